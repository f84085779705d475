// The local twin: the real handlers and the real ASL, wired to local services on files and DuckDB.
// Everything the deployment does on AWS happens here with the same shapes, names and errors.
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { createHandler as createBuildNotification } from '../../functions/build-notification/app';
import { createHandler as createCheckCatalog } from '../../functions/check-catalog/app';
import { createHandler as createPrepareValidations } from '../../functions/prepare-validations/app';
import { createHandler as createScreenFiles } from '../../functions/screen-files/app';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import type { Ports } from '../../functions/shared/ports';
import { createHandler as createStartPipeline } from '../../functions/start-pipeline/app';
import { LocalAthena } from '../athena/local-athena';
import { LocalGlueCatalog } from '../glue/catalog';
import { LocalCrawlers } from '../glue/crawlers';
import { LocalGlueJobs } from '../glue/jobs/jobs';
import { LocalGlue } from '../glue/local-glue';
import { LocalS3 } from '../s3/local-s3';
import { bindTasks, type LambdaHandler } from '../sfn/bind-tasks';
import { type Definition, loadDefinition } from '../sfn/definition';
import { ExecutionStore, type HistoryEvent } from '../sfn/execution-store';
import { LocalSfn } from '../sfn/local-sfn';
import { runExecution } from '../sfn/run-execution';
import { LocalSns } from '../sns/local-sns';
import { Workspace } from '../workspace';
import {
  BUCKETS,
  CRAWLER_SCHEMA_SETTINGS,
  datasetPlan,
  FUNCTIONS,
  functionArn,
  prepareValidationsConfig,
  REPO_ROOT,
  STATE_MACHINE,
  screenFilesConfig,
  startPipelineConfig,
  TOPIC_ARN,
  type TwinSettings,
} from './config';

export const ASL_FILE = path.join(REPO_ROOT, 'state-machines', 'pipeline.asl.yml');

export interface Twin {
  settings: TwinSettings;
  workspace: Workspace;
  plan: DatasetPlan;
  s3: LocalS3;
  catalog: LocalGlueCatalog;
  crawlers: LocalCrawlers;
  jobs: LocalGlueJobs;
  athena: LocalAthena;
  sns: LocalSns;
  store: ExecutionStore;
  sfn: LocalSfn;
  ports: Ports;
  definition: Definition;
  /** The in-process Lambdas, by function ARN, as the resolved ASL names them. */
  lambdas: Record<string, LambdaHandler>;
  startPipeline: ReturnType<typeof createStartPipeline>;
  /** Subscribe to every history event of every execution (progress display). */
  onHistoryEvent(listener: (execution: string, event: HistoryEvent) => void): void;
}

/** One fake Lambda context per in-process invocation, like the Lambda runtime gives. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(functionName),
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${process.pid}`,
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function createTwin(settings: TwinSettings): Promise<Twin> {
  const workspace = await Workspace.open(settings.home);
  const plan = datasetPlan();

  const s3 = new LocalS3(workspace);
  for (const bucket of Object.values(BUCKETS)) await s3.createBucket({ Bucket: bucket });

  const catalog = new LocalGlueCatalog(workspace);
  await catalog.ensureDatabase(plan.database);
  const crawlers = new LocalCrawlers({ workspace, catalog });
  await crawlers.defineCrawler({
    Name: plan.crawler,
    DatabaseName: plan.database,
    Targets: { S3Targets: [{ Path: `s3://${BUCKETS.raw}/raw/` }] },
    ...CRAWLER_SCHEMA_SETTINGS,
  });
  const jobs = new LocalGlueJobs({ workspace, catalog });
  jobs.registerJob({
    Name: plan.job,
    manifestPath: settings.jobManifest ?? path.join(REPO_ROOT, 'glue-jobs', plan.job, 'job.yml'),
    DefaultArguments: {
      '--curated_location': `s3://${BUCKETS.curated}/`,
      ...(settings.asOf ? { '--as_of': settings.asOf } : {}),
    },
    MaxConcurrentRuns: 1,
  });
  const glue = new LocalGlue(catalog, crawlers, jobs);
  const athena = new LocalAthena({
    workspace,
    catalog,
    workgroups: { [plan.workgroup]: { OutputLocation: `s3://${BUCKETS.athenaResults}/` } },
  });
  const sns = new LocalSns({
    workspace,
    topics: { [TOPIC_ARN]: { subscriptions: [settings.alertEmail] } },
    smtpUrl: settings.smtpUrl,
  });

  const lambdas: Record<string, LambdaHandler> = {
    [functionArn(FUNCTIONS.ScreenFilesFunctionArn)]: createScreenFiles({ config: screenFilesConfig(), s3 }),
    [functionArn(FUNCTIONS.CheckCatalogFunctionArn)]: createCheckCatalog({ glue }),
    [functionArn(FUNCTIONS.PrepareValidationsFunctionArn)]: createPrepareValidations({
      config: prepareValidationsConfig(settings),
    }),
    [functionArn(FUNCTIONS.BuildNotificationFunctionArn)]: createBuildNotification(),
  } as Record<string, LambdaHandler>;
  const placeholders = Object.fromEntries(Object.entries(FUNCTIONS).map(([k, name]) => [k, functionArn(name)]));
  const definition = await loadDefinition(settings.aslFile ?? ASL_FILE, placeholders);
  const ports = { glue, athena, sns } as const;
  // Bind once now: a Task without a local binding would call real AWS, so the twin refuses to start at all.
  bindTasks(definition, { ports, lambdas });

  const listeners: ((execution: string, event: HistoryEvent) => void)[] = [];
  const store = new ExecutionStore(workspace);
  const sfn = new LocalSfn(
    store,
    { ...STATE_MACHINE, definition },
    async (request) => {
      const result = await runExecution({
        definition: request.definition,
        startAt: request.startAt,
        redriveCount: request.context.Execution.RedriveCount,
        input: request.input,
        name: request.context.Execution.Name,
        executionArn: request.context.Execution.Id,
        stateMachine: STATE_MACHINE,
        ports,
        lambdas,
        timeScale: settings.timeScale,
        syncPollMs: settings.syncPollMs,
        onEvent: request.onEvent,
        signal: request.signal,
      });
      return { status: result.status, output: result.output, error: result.error, cause: result.cause };
    },
    (execution, event) => {
      for (const listener of listeners) listener(execution, event);
    },
  );
  await store.markInterrupted();

  const startPipeline = createStartPipeline({ config: startPipelineConfig(plan), glue, sfn });
  return {
    settings,
    workspace,
    plan,
    s3,
    catalog,
    crawlers,
    jobs,
    athena,
    sns,
    store,
    sfn,
    ports: { glue, athena, sns, sfn, s3 },
    definition,
    lambdas,
    startPipeline,
    onHistoryEvent: (listener) => listeners.push(listener),
  };
}
