// The local twin's names for everything the deployment names at deploy time, and each Lambda's
// configuration built through that Lambda's own schema, so the twin is validated exactly like production.
import path from 'node:path';
import { loadPrepareValidationsConfig } from '../../functions/prepare-validations/app';
import { loadScreenFilesConfig } from '../../functions/screen-files/app';
import { ConfigError } from '../../functions/shared/errors';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { loadStartPipelineConfig } from '../../functions/start-pipeline/app';
import { datasetContracts } from '../../infra/datasets.cjs';
// The one definition of each dataset, shared with the deployment (datasets/<name>/dataset.yml).
import { registry } from '../../infra/registry.cjs';
import { type DatasetResources, datasetResources } from './dataset-resources';
import { placeholderArns, readDeployment } from './deployment';

/** The repository root: handlers, the ASL, job manifests and validations are read from here. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

/** The deployment of stage `local` in a pretend account: every name and setting the twin runs with. */
export const DEPLOYMENT = readDeployment({ stage: LOCAL_STAGE, account: LOCAL_ACCOUNT, region: LOCAL_REGION });

export const BUCKETS = DEPLOYMENT.buckets;

export const STATE_MACHINE = { name: DEPLOYMENT.names.stateMachine, arn: DEPLOYMENT.stateMachineArn };

export const TOPIC_ARN = DEPLOYMENT.topicArn;

/** How lakepipe's crawler treats schema changes, as deployed (infra/dataset-resources.cjs). */
export const CRAWLER_SCHEMA_SETTINGS = {
  SchemaChangePolicy: DEPLOYMENT.crawler.SchemaChangePolicy,
  Configuration: DEPLOYMENT.crawler.Configuration,
};

/** The ASL's Lambda placeholders -> the task Lambda's folder under functions/ (infra/asl-definition.cjs). */
export const FUNCTIONS = DEPLOYMENT.taskFunctions;

export function functionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${DEPLOYMENT.names.prefix}-${name}`;
}

/** Every ASL placeholder -> the local function ARN the twin binds its in-process handler to. */
export function localPlaceholders(): Record<string, string> {
  return placeholderArns(DEPLOYMENT, functionArn);
}

/** The dataset registry: each dataset's folder holds its job manifest and its validations. */
export const DATASETS_DIR = path.join(REPO_ROOT, 'datasets');

/** Every dataset of the registry under `root` (default: this repository) with its plan, crawler and job. */
export function twinDatasets(root: string = REPO_ROOT): DatasetResources[] {
  return datasetResources(DEPLOYMENT, registry(root));
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
  /** A root holding another `datasets/` registry (tests of a dataset added by configuration); default: the repository. */
  datasetsRoot?: string;
}

/** A number from the environment, refused with a ConfigError naming the variable when it is not what `fits` wants. */
function numberSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  fits: (n: number) => boolean,
  expected: string,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !fits(value)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not ${expected}`, name);
  }
  return value;
}

function asOfSetting(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.LAKEPIPE_AS_OF;
  if (!raw) return undefined;
  const date = new Date(`${raw}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw) {
    throw new ConfigError(`LAKEPIPE_AS_OF=${JSON.stringify(raw)} is not a date (YYYY-MM-DD)`, 'LAKEPIPE_AS_OF');
  }
  return raw;
}

/** The twin's settings from the environment, each checked before anything runs. */
export function defaultSettings(home: string, env: NodeJS.ProcessEnv = process.env): TwinSettings {
  return {
    home,
    alertEmail: env.LAKEPIPE_ALERT_EMAIL ?? 'ops@example.com',
    smtpUrl: env.LAKEPIPE_SMTP_URL || undefined,
    // Crawler polls are 30 s apart when deployed; 1/150 makes them 200 ms here, and the ASL's bound of 60
    // polls 12 s: room for a crawl on a busy laptop. 0 would make the bound trip before any crawl ends.
    timeScale: numberSetting(env, 'LAKEPIPE_TIME_SCALE', 1 / 150, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    syncPollMs: numberSetting(
      env,
      'LAKEPIPE_SYNC_POLL_MS',
      50,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of ms',
    ),
    asOf: asOfSetting(env),
    rejectedShareMax: numberSetting(
      env,
      'LAKEPIPE_REJECTED_SHARE_MAX',
      0.05,
      (n) => n >= 0 && n <= 1,
      'a share in [0, 1]',
    ),
  };
}

/** start-pipeline's configuration serving these plans (prefix -> dataset), as DATASETS gives them when deployed. */
export function startPipelineConfig(plans: DatasetPlan | DatasetPlan[]) {
  return loadStartPipelineConfig({
    STATE_MACHINE_ARN: STATE_MACHINE.arn,
    RAW_BUCKET: BUCKETS.raw,
    DATASETS: JSON.stringify(Array.isArray(plans) ? plans : [plans]),
  });
}

export function screenFilesConfig(root: string = REPO_ROOT) {
  return loadScreenFilesConfig({ DATASET_CONTRACTS: JSON.stringify(datasetContracts(registry(root))) });
}

export function prepareValidationsConfig(settings: TwinSettings) {
  return loadPrepareValidationsConfig({
    DATASETS_DIR: settings.datasetsRoot ? path.join(settings.datasetsRoot, 'datasets') : DATASETS_DIR,
    REJECTED_SHARE_MAX: String(settings.rejectedShareMax),
  });
}
