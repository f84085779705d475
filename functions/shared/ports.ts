// Ports: the AWS operations lakepipe calls, typed with the SDK's own request/response models and named
// after the SDK operations. Production wires SDK clients (aws-ports.ts), the local twin wires local/
// services with the same shapes, unit tests put aws-sdk-client-mock on the real clients.
import type * as Athena from '@aws-sdk/client-athena';
import type * as Glue from '@aws-sdk/client-glue';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Sfn from '@aws-sdk/client-sfn';
import type * as Sns from '@aws-sdk/client-sns';

export interface GluePort {
  startCrawler(input: Glue.StartCrawlerRequest): Promise<Glue.StartCrawlerResponse>;
  getCrawler(input: Glue.GetCrawlerRequest): Promise<Glue.GetCrawlerResponse>;
  startJobRun(input: Glue.StartJobRunRequest): Promise<Glue.StartJobRunResponse>;
  getJobRun(input: Glue.GetJobRunRequest): Promise<Glue.GetJobRunResponse>;
  getJobRuns(input: Glue.GetJobRunsRequest): Promise<Glue.GetJobRunsResponse>;
  getDatabase(input: Glue.GetDatabaseRequest): Promise<Glue.GetDatabaseResponse>;
  createDatabase(input: Glue.CreateDatabaseRequest): Promise<Glue.CreateDatabaseResponse>;
  getTable(input: Glue.GetTableRequest): Promise<Glue.GetTableResponse>;
  getTables(input: Glue.GetTablesRequest): Promise<Glue.GetTablesResponse>;
  createTable(input: Glue.CreateTableRequest): Promise<Glue.CreateTableResponse>;
  updateTable(input: Glue.UpdateTableRequest): Promise<Glue.UpdateTableResponse>;
  deleteTable(input: Glue.DeleteTableRequest): Promise<Glue.DeleteTableResponse>;
  getPartitions(input: Glue.GetPartitionsRequest): Promise<Glue.GetPartitionsResponse>;
  batchCreatePartition(input: Glue.BatchCreatePartitionRequest): Promise<Glue.BatchCreatePartitionResponse>;
  batchDeletePartition(input: Glue.BatchDeletePartitionRequest): Promise<Glue.BatchDeletePartitionResponse>;
}

export interface AthenaPort {
  startQueryExecution(input: Athena.StartQueryExecutionInput): Promise<Athena.StartQueryExecutionOutput>;
  getQueryExecution(input: Athena.GetQueryExecutionInput): Promise<Athena.GetQueryExecutionOutput>;
  getQueryResults(input: Athena.GetQueryResultsInput): Promise<Athena.GetQueryResultsOutput>;
}

export interface SnsPort {
  publish(input: Sns.PublishInput): Promise<Sns.PublishResponse>;
}

export interface SfnPort {
  startExecution(input: Sfn.StartExecutionInput): Promise<Sfn.StartExecutionOutput>;
  describeExecution(input: Sfn.DescribeExecutionInput): Promise<Sfn.DescribeExecutionOutput>;
  listExecutions(input: Sfn.ListExecutionsInput): Promise<Sfn.ListExecutionsOutput>;
  redriveExecution(input: Sfn.RedriveExecutionInput): Promise<Sfn.RedriveExecutionOutput>;
}

/** What lakepipe reads of an S3 object body: the two helpers the SDK's stream mixin provides. */
export interface ObjectBody {
  transformToByteArray(): Promise<Uint8Array>;
  transformToString(encoding?: string): Promise<string>;
}

export interface S3Port {
  putObject(input: S3.PutObjectRequest): Promise<S3.PutObjectOutput>;
  getObject(input: S3.GetObjectRequest): Promise<Omit<S3.GetObjectOutput, 'Body'> & { Body?: ObjectBody }>;
  headObject(input: S3.HeadObjectRequest): Promise<S3.HeadObjectOutput>;
  listObjectsV2(input: S3.ListObjectsV2Request): Promise<S3.ListObjectsV2Output>;
  copyObject(input: S3.CopyObjectRequest): Promise<S3.CopyObjectOutput>;
  deleteObject(input: S3.DeleteObjectRequest): Promise<S3.DeleteObjectOutput>;
}

/** A Task resource `arn:aws:states:::aws-sdk:<service>:<action>` maps to `ports.<service>.<action>`. */
export interface Ports {
  glue: GluePort;
  athena: AthenaPort;
  sns: SnsPort;
  sfn: SfnPort;
  s3: S3Port;
}
