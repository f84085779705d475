// The twin's GluePort: one object answering every Glue operation the Lambdas and the state machine call, composed
// of the local catalog, crawlers and jobs (a Task `aws-sdk:glue:<action>` maps to `ports.glue.<action>`).
import type * as Glue from '@aws-sdk/client-glue';
import type { GluePort } from '../../functions/shared/ports';
import type { LocalGlueCatalog } from './catalog/catalog';
import type { LocalCrawlers } from './crawler/crawlers';
import type { LocalGlueJobs } from './jobs/jobs';

export class LocalGlue implements GluePort {
  constructor(
    readonly catalog: LocalGlueCatalog,
    readonly crawlers: LocalCrawlers,
    readonly jobs: LocalGlueJobs,
  ) {}

  startCrawler(input: Glue.StartCrawlerRequest): Promise<Glue.StartCrawlerResponse> {
    return this.crawlers.startCrawler(input);
  }
  getCrawler(input: Glue.GetCrawlerRequest): Promise<Glue.GetCrawlerResponse> {
    return this.crawlers.getCrawler(input);
  }
  startJobRun(input: Glue.StartJobRunRequest): Promise<Glue.StartJobRunResponse> {
    return this.jobs.startJobRun(input);
  }
  getJobRun(input: Glue.GetJobRunRequest): Promise<Glue.GetJobRunResponse> {
    return this.jobs.getJobRun(input);
  }
  getJobRuns(input: Glue.GetJobRunsRequest): Promise<Glue.GetJobRunsResponse> {
    return this.jobs.getJobRuns(input);
  }
  getDatabase(input: Glue.GetDatabaseRequest): Promise<Glue.GetDatabaseResponse> {
    return this.catalog.getDatabase(input);
  }
  createDatabase(input: Glue.CreateDatabaseRequest): Promise<Glue.CreateDatabaseResponse> {
    return this.catalog.createDatabase(input);
  }
  getTable(input: Glue.GetTableRequest): Promise<Glue.GetTableResponse> {
    return this.catalog.getTable(input);
  }
  getTables(input: Glue.GetTablesRequest): Promise<Glue.GetTablesResponse> {
    return this.catalog.getTables(input);
  }
  createTable(input: Glue.CreateTableRequest): Promise<Glue.CreateTableResponse> {
    return this.catalog.createTable(input);
  }
  updateTable(input: Glue.UpdateTableRequest): Promise<Glue.UpdateTableResponse> {
    return this.catalog.updateTable(input);
  }
  deleteTable(input: Glue.DeleteTableRequest): Promise<Glue.DeleteTableResponse> {
    return this.catalog.deleteTable(input);
  }
  getPartitions(input: Glue.GetPartitionsRequest): Promise<Glue.GetPartitionsResponse> {
    return this.catalog.getPartitions(input);
  }
  batchCreatePartition(input: Glue.BatchCreatePartitionRequest): Promise<Glue.BatchCreatePartitionResponse> {
    return this.catalog.batchCreatePartition(input);
  }
  batchDeletePartition(input: Glue.BatchDeletePartitionRequest): Promise<Glue.BatchDeletePartitionResponse> {
    return this.catalog.batchDeletePartition(input);
  }
}
