// The local twin's names for everything the deployment names at deploy time, and each Lambda's
// configuration built through that Lambda's own schema, so the twin is validated exactly like production.
import path from 'node:path';
import { loadPrepareValidationsConfig } from '../../functions/prepare-validations/app';
import { loadScreenFilesConfig } from '../../functions/screen-files/app';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { loadStartPipelineConfig } from '../../functions/start-pipeline/app';
// The one definition of each dataset, shared with the deployment (infra/datasets.cjs).
import DATASETS from '../../infra/datasets.json';

/** The repository root: handlers, the ASL, job manifests and validations are read from here. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

export const BUCKETS = {
  raw: 'lakepipe-raw',
  curated: 'lakepipe-curated',
  athenaResults: 'lakepipe-athena-results',
} as const;

export const STATE_MACHINE = {
  name: 'lakepipe-pipeline',
  arn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:lakepipe-pipeline`,
};

export const TOPIC_ARN = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:lakepipe-alerts`;

/** The reference dataset and the columns a file must carry to be processed (extra columns are merged). */
export const DATASET = 'customer_transactions';
export const REQUIRED_COLUMNS = DATASETS[DATASET].requiredColumns;

/**
 * How lakepipe's crawler treats schema changes, as deployed (infra/resources): new columns merged into the
 * table, partitions inherit the table's schema, a changed type updates the catalog, vanished data is logged.
 */
export const CRAWLER_SCHEMA_SETTINGS = {
  SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
  Configuration: JSON.stringify({
    Version: 1.0,
    CrawlerOutput: {
      Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
      Tables: { AddOrUpdateBehavior: 'MergeNewColumns' },
    },
  }),
} as const;

/** The ASL's Lambda placeholders, resolved to local function ARNs bound to in-process handlers. */
export const FUNCTIONS = {
  ScreenFilesFunctionArn: 'screen-files',
  CheckCatalogFunctionArn: 'check-catalog',
  PrepareValidationsFunctionArn: 'prepare-validations',
  BuildNotificationFunctionArn: 'build-notification',
} as const;

export function functionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:lakepipe-local-${name}`;
}

export const VALIDATIONS_DIR = path.join(REPO_ROOT, 'validations');

export function datasetPlan(): DatasetPlan {
  return {
    dataset: DATASET,
    prefix: `raw/${DATASET}/`,
    database: 'lakepipe',
    crawler: 'lakepipe-raw-crawler',
    job: DATASETS[DATASET].job,
    workgroup: 'lakepipe',
    validations: DATASETS[DATASET].validations,
    topicArn: TOPIC_ARN,
  };
}

export interface TwinSettings {
  home: string;
  /** Who the alert e-mails are addressed to (outbox `.eml` files, and SMTP when configured). */
  alertEmail: string;
  /** Optional SMTP URL (smtp://host:port) to also deliver the alerts. */
  smtpUrl?: string;
  /** Multiplies every Wait and Retry interval of the ASL (1 = as deployed). */
  timeScale: number;
  /** Interval between status polls of `.sync` tasks, in milliseconds. */
  syncPollMs: number;
  /** `--as_of` for the job (ISO date); default: the run date. */
  asOf?: string;
  /** Rejected share above which the rejected_share validation fails. */
  rejectedShareMax: number;
  /** Another ASL file or job manifest (tests of the refusal and failure paths); default: the repository's. */
  aslFile?: string;
  jobManifest?: string;
}

export function defaultSettings(home: string, env: NodeJS.ProcessEnv = process.env): TwinSettings {
  return {
    home,
    alertEmail: env.LAKEPIPE_ALERT_EMAIL ?? 'ops@example.com',
    smtpUrl: env.LAKEPIPE_SMTP_URL || undefined,
    // Crawler polls are 30 s apart when deployed; 1/150 makes them 200 ms here, and the ASL's bound of 60
    // polls 12 s: room for a crawl on a busy laptop. 0 would make the bound trip before any crawl ends.
    timeScale: Number(env.LAKEPIPE_TIME_SCALE ?? 1 / 150),
    syncPollMs: Number(env.LAKEPIPE_SYNC_POLL_MS ?? 50),
    asOf: env.LAKEPIPE_AS_OF || undefined,
    rejectedShareMax: Number(env.LAKEPIPE_REJECTED_SHARE_MAX ?? 0.05),
  };
}

export function startPipelineConfig(plan: DatasetPlan) {
  return loadStartPipelineConfig({
    STATE_MACHINE_ARN: STATE_MACHINE.arn,
    RAW_BUCKET: BUCKETS.raw,
    DATASETS: JSON.stringify([plan]),
  });
}

export function screenFilesConfig() {
  return loadScreenFilesConfig({ DATASET_COLUMNS: JSON.stringify({ [DATASET]: REQUIRED_COLUMNS }) });
}

export function prepareValidationsConfig(settings: TwinSettings) {
  return loadPrepareValidationsConfig({
    VALIDATIONS_DIR,
    REJECTED_SHARE_MAX: String(settings.rejectedShareMax),
  });
}
