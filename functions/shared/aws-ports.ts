// Production wiring of the ports: bare-bones SDK v3 clients, `client.send(new XCommand(input))`.
import * as Glue from '@aws-sdk/client-glue';
import * as S3 from '@aws-sdk/client-s3';
import * as Sfn from '@aws-sdk/client-sfn';
import type { GluePort, S3Port, SfnPort } from './ports';

export function glueAdapter(client: Glue.GlueClient): GluePort {
  return {
    startCrawler: (input) => client.send(new Glue.StartCrawlerCommand(input)),
    getCrawler: (input) => client.send(new Glue.GetCrawlerCommand(input)),
    startJobRun: (input) => client.send(new Glue.StartJobRunCommand(input)),
    getJobRun: (input) => client.send(new Glue.GetJobRunCommand(input)),
    getJobRuns: (input) => client.send(new Glue.GetJobRunsCommand(input)),
    getDatabase: (input) => client.send(new Glue.GetDatabaseCommand(input)),
    createDatabase: (input) => client.send(new Glue.CreateDatabaseCommand(input)),
    getTable: (input) => client.send(new Glue.GetTableCommand(input)),
    getTables: (input) => client.send(new Glue.GetTablesCommand(input)),
    createTable: (input) => client.send(new Glue.CreateTableCommand(input)),
    updateTable: (input) => client.send(new Glue.UpdateTableCommand(input)),
    deleteTable: (input) => client.send(new Glue.DeleteTableCommand(input)),
    getPartitions: (input) => client.send(new Glue.GetPartitionsCommand(input)),
    batchCreatePartition: (input) => client.send(new Glue.BatchCreatePartitionCommand(input)),
    batchDeletePartition: (input) => client.send(new Glue.BatchDeletePartitionCommand(input)),
  };
}

export function sfnAdapter(client: Sfn.SFNClient): SfnPort {
  return {
    startExecution: (input) => client.send(new Sfn.StartExecutionCommand(input)),
    describeExecution: (input) => client.send(new Sfn.DescribeExecutionCommand(input)),
    listExecutions: (input) => client.send(new Sfn.ListExecutionsCommand(input)),
    redriveExecution: (input) => client.send(new Sfn.RedriveExecutionCommand(input)),
  };
}

export function s3Adapter(client: S3.S3Client): S3Port {
  return {
    putObject: (input) => client.send(new S3.PutObjectCommand(input)),
    getObject: (input) => client.send(new S3.GetObjectCommand(input)),
    headObject: (input) => client.send(new S3.HeadObjectCommand(input)),
    listObjectsV2: (input) => client.send(new S3.ListObjectsV2Command(input)),
    copyObject: (input) => client.send(new S3.CopyObjectCommand(input)),
    deleteObject: (input) => client.send(new S3.DeleteObjectCommand(input)),
  };
}
