// The local twin: the real handlers and the real ASL, wired to local services on files and DuckDB.
// Everything the deployment does on AWS happens here with the same shapes, names and errors.
import path from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createHandler as createBuildNotification } from '../../functions/build-notification/app';
import { createHandler as createCheckCatalog } from '../../functions/check-catalog/app';
import { createHandler as createPrepareValidations } from '../../functions/prepare-validations/app';
import { createHandler as createScreenFiles } from '../../functions/screen-files/app';
import { ConfigError } from '../../functions/shared/errors';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import type { Ports } from '../../functions/shared/ports';
import { createHandler as createStartPipeline } from '../../functions/start-pipeline/app';
import { LocalAthena } from '../athena/local-athena';
import { LocalGlueCatalog } from '../glue/catalog/catalog';
import { LocalCrawlers } from '../glue/crawler/crawlers';
import { LocalGlueJobs } from '../glue/jobs/jobs';
import { LocalGlue } from '../glue/local-glue';
import { lambdaContext as localLambdaContext } from '../lambda-context';
import { LocalS3 } from '../s3/local-s3';
import { bindTasks, type LambdaHandler, type TaskPorts } from '../sfn/bind-tasks';
import { type Definition, loadDefinition } from '../sfn/definition';
import { ExecutionStore, type HistoryEvent } from '../sfn/execution-store';
import { LocalSfn } from '../sfn/local-sfn';
import { runExecution } from '../sfn/run-execution';
import { WorkspaceLock } from '../sfn/workspace-lock';
import { LocalSns } from '../sns/local-sns';
import { Workspace } from '../workspace';
import {
  BUCKETS,
  DEPLOYMENT,
  functionArn,
  localPlaceholders,
  prepareValidationsConfig,
  REPO_ROOT,
  STATE_MACHINE,
  screenFilesConfig,
  startPipelineConfig,
  TOPIC_ARN,
  type TwinSettings,
  twinDatasets,
} from './config';
import type { DatasetResources } from './dataset-resources';
import { twinSecrets } from './secrets';

export const ASL_FILE = path.join(REPO_ROOT, 'state-machines', 'pipeline.asl.yml');

export interface Twin {
  settings: TwinSettings;
  workspace: Workspace;
  /** The default dataset's plan (`customer_transactions`, where `lakepipe run` lands files unless told otherwise). */
  plan: DatasetPlan;
  /** Every dataset the twin serves, with its plan, crawler and job (the registry). */
  datasets: DatasetResources[];
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
  /** The start-pipeline Lambda; it holds the workspace lock, since it starts the crawler before any execution. */
  startPipeline: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Called with the other process's pid when an execution waits for it to finish its executions. */
  onWorkspaceWait(listener: (pid: number | undefined) => void): void;
  /** Subscribe to every history event of every execution (progress display). */
  onHistoryEvent(listener: (execution: string, event: HistoryEvent) => void): void;
}

/** One fake Lambda context per in-process invocation, like the Lambda runtime gives. */
export function lambdaContext(functionName: string): Context {
  return localLambdaContext(functionArn(functionName));
}

type Services = Pick<Twin, 's3' | 'catalog' | 'crawlers' | 'jobs' | 'athena' | 'sns'> & { glue: LocalGlue };

/** The local AWS services, with the buckets, database, and every dataset's classifier, crawler and job. */
async function openServices(
  settings: TwinSettings,
  workspace: Workspace,
  plan: DatasetPlan,
  datasets: DatasetResources[],
): Promise<Services> {
  const s3 = new LocalS3(workspace);
  for (const bucket of Object.values(BUCKETS)) await s3.createBucket({ Bucket: bucket });
  const catalog = new LocalGlueCatalog(workspace);
  await catalog.ensureDatabase(plan.database);
  const crawlers = new LocalCrawlers({ workspace, catalog });
  const jobs = new LocalGlueJobs({ workspace, catalog, secrets: twinSecrets(workspace.home) });
  for (const { classifier, crawler, job, plan: own } of datasets) {
    if (classifier) await crawlers.createClassifier({ CsvClassifier: classifier });
    await crawlers.defineCrawler(crawler);
    // Another manifest replaces the default dataset's (tests of the failure paths).
    const manifest = own.dataset === plan.dataset ? settings.jobManifest : undefined;
    jobs.registerJob({
      Name: job.Name,
      manifestPath: manifest ?? job.manifestFile,
      DefaultArguments: { ...job.DefaultArguments, ...(settings.asOf ? { '--as_of': settings.asOf } : {}) },
      MaxConcurrentRuns: job.MaxConcurrentRuns,
      Timeout: job.Timeout,
    });
  }
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
  return { s3, catalog, crawlers, jobs, glue: new LocalGlue(catalog, crawlers, jobs), athena, sns };
}

/** The task Lambdas' in-process handlers, by the local function ARN the resolved ASL names them with. */
function taskLambdas(settings: TwinSettings, services: Services): Record<string, LambdaHandler> {
  const handlers: Record<string, unknown> = {
    'screen-files': createScreenFiles({ config: screenFilesConfig(settings.datasetsRoot), s3: services.s3 }),
    'check-catalog': createCheckCatalog({ glue: services.glue }),
    'prepare-validations': createPrepareValidations({ config: prepareValidationsConfig(settings) }),
    'build-notification': createBuildNotification(),
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([fn, handler]) => [functionArn(fn), handler as LambdaHandler]),
  );
}

interface SfnParts {
  store: ExecutionStore;
  definition: Definition;
  ports: TaskPorts;
  lambdas: Record<string, LambdaHandler>;
  lock: WorkspaceLock;
  observe: (execution: string, event: HistoryEvent) => void;
}

/** The local Step Functions service, running each execution on the ASL engine with the twin's bindings. */
function createSfn(settings: TwinSettings, parts: SfnParts): LocalSfn {
  const { store, definition, ports, lambdas, lock, observe } = parts;
  return new LocalSfn(
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
    observe,
    lock,
  );
}

/** start-pipeline under the workspace lock: it starts the crawler, which another process may be using. */
function lockedHandler(lock: WorkspaceLock, handler: Twin['startPipeline']): Twin['startPipeline'] {
  return async (event, context) => {
    await lock.acquire();
    try {
      return await handler(event, context);
    } finally {
      await lock.releaseOne();
    }
  };
}

/** The deployment's default dataset (`customer_transactions`) when the registry has it, else the first. */
function defaultPlan(datasets: DatasetResources[]): DatasetPlan {
  const found = datasets.find((d) => d.plan.dataset === DEPLOYMENT.plan.dataset) ?? datasets[0];
  if (!found) throw new Error('the registry declares no dataset');
  return { ...found.plan };
}

/** The plan of a dataset the twin serves; a name it does not serve is refused with the names it does. */
export function planFor(twin: Pick<Twin, 'datasets'>, dataset: string): DatasetPlan {
  const found = twin.datasets.find((d) => d.plan.dataset === dataset);
  if (!found) {
    throw new ConfigError(
      `unknown dataset "${dataset}" (have: ${twin.datasets.map((d) => d.plan.dataset).join(', ')})`,
      'dataset',
    );
  }
  return { ...found.plan };
}

export async function createTwin(settings: TwinSettings): Promise<Twin> {
  const workspace = await Workspace.open(settings.home);
  const datasets = twinDatasets(settings.datasetsRoot);
  const plan = defaultPlan(datasets);
  const services = await openServices(settings, workspace, plan, datasets);
  const { glue, athena, sns, s3 } = services;
  const lambdas = taskLambdas(settings, services);
  const definition = await loadDefinition(settings.aslFile ?? ASL_FILE, localPlaceholders());
  const ports = { glue, athena, sns } as const;
  // Bind once now: a Task without a local binding would call real AWS, so the twin refuses to start at all.
  bindTasks(definition, { ports, lambdas });

  const listeners: ((execution: string, event: HistoryEvent) => void)[] = [];
  const store = new ExecutionStore(workspace);
  const lock = new WorkspaceLock(workspace);
  const observe = (execution: string, event: HistoryEvent) => {
    for (const listener of listeners) listener(execution, event);
  };
  const sfn = createSfn(settings, { store, definition, ports, lambdas, lock, observe });
  await store.markInterrupted();
  const plans = datasets.map((d) => d.plan);
  const startPipeline = createStartPipeline({ config: startPipelineConfig(plans), glue, sfn });
  return {
    settings,
    workspace,
    plan,
    datasets,
    ...services,
    store,
    sfn,
    ports: { glue, athena, sns, sfn, s3 },
    definition,
    lambdas,
    startPipeline: lockedHandler(lock, startPipeline),
    onHistoryEvent: (listener) => listeners.push(listener),
    onWorkspaceWait: (listener) => lock.onWait(listener),
  };
}
