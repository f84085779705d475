// The execution input contract (docs/architecture.md, "Execution input"): self-contained, so "New execution" in the console and
// `lakepipe rerun` work from it alone.

/** One dataset's resolved plan: the deploy-time (or twin) names of everything its execution touches. */
export interface DatasetPlan {
  /** Dataset name, `[a-z][a-z0-9_]*`; also the catalog table name of its raw data. */
  dataset: string;
  /** Raw prefix that maps keys to this dataset, e.g. `raw/customer_transactions/`. */
  prefix: string;
  database: string;
  crawler: string;
  job: string;
  workgroup: string;
  /** Names of `validations/<name>.sql` to run after the job. */
  validations: string[];
  topicArn: string;
}

export interface ArrivedObject {
  key: string;
  size: number;
  eTag: string;
  sequencer: string;
  /** ISO 8601, from the S3 event record. */
  eventTime: string;
}

export interface ExecutionInput {
  dataset: string;
  bucket: string;
  objects: ArrivedObject[];
  receivedAt: string;
  trigger: 's3' | 'manual';
  plan: DatasetPlan;
}
