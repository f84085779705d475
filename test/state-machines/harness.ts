// Runs the real pipeline definition through local/sfn with scripted fake ports: plain objects answering the port
// methods from a script (responses in order, the last one repeating; an Error in the script is thrown). The task
// Lambdas are the real ones, built with createHandler on those same fake ports.
import '../fixtures/quiet-logs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Athena from '@aws-sdk/client-athena';
import type * as Glue from '@aws-sdk/client-glue';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Sns from '@aws-sdk/client-sns';
import { createHandler as buildNotificationHandler } from '../../functions/build-notification/app';
import { createHandler as checkCatalogHandler } from '../../functions/check-catalog/app';
import {
  loadPrepareValidationsConfig,
  createHandler as prepareValidationsHandler,
} from '../../functions/prepare-validations/app';
import { loadScreenFilesConfig, createHandler as screenFilesHandler } from '../../functions/screen-files/app';
import type { ExecutionInput } from '../../functions/shared/pipeline-input';
import type { LambdaHandler, TaskPorts } from '../../local/sfn/bind-tasks';
import { type Definition, loadDefinition } from '../../local/sfn/definition';
import type { EngineEvent, RedrivePoint } from '../../local/sfn/execution-store';
import { type ExecutionResult, runExecution } from '../../local/sfn/run-execution';
import { placeholderArns, readDeployment } from '../../local/twin/deployment';
import { contractsEnv } from '../functions/screen-files/support';

export const ROOT = path.resolve(__dirname, '../..');
export const DEFINITION_FILE = path.join(ROOT, 'state-machines/pipeline.asl.yml');
export const DATASETS_DIR = path.join(__dirname, 'fixtures/datasets');
export const EXECUTION_NAME = 'customer_transactions-20261124T095958Z-0123456789';

/** The ASL's Lambda placeholders as the deployment maps them, with ARNs in a pretend test account. */
export const FUNCTION_ARNS = placeholderArns(
  readDeployment({ stage: 'test', account: '123456789012', region: 'eu-west-1' }),
  (folder) => `arn:aws:lambda:eu-west-1:123456789012:function:lakepipe-test-${folder}`,
);

function arnOf(placeholder: string): string {
  const arn = FUNCTION_ARNS[placeholder];
  if (arn === undefined) throw new Error(`the deployment maps no function to \${${placeholder}}`);
  return arn;
}

/** The manual re-run sample event is the execution input of every scenario. */
export function executionInput(): ExecutionInput {
  return JSON.parse(readFileSync(path.join(ROOT, 'events/manual/customer-transactions-rerun.json'), 'utf8'));
}

/** Newest eventTime of the sample input (the two files arrived 09:59:58.120 and 10:00:00). */
export const NEWEST_FILE = new Date('2026-11-24T10:00:00.000Z');
export const at = (offsetSeconds: number) => new Date(NEWEST_FILE.getTime() + offsetSeconds * 1000);

let loaded: Promise<Definition> | undefined;

/** The resolved, guarded, validated definition; loaded once per test file, a fresh copy for each caller. */
export async function loadPipeline(): Promise<Definition> {
  loaded ??= loadDefinition(DEFINITION_FILE, FUNCTION_ARNS);
  return JSON.parse(JSON.stringify(await loaded));
}

type Step<I, O> = O | Error | ((input: I) => O | Error);

/** A port method that answers from a script and records what it was called with. */
export function scripted<I, O>(steps: ReadonlyArray<Step<I, O>>) {
  const calls: I[] = [];
  const fn = async (input: I): Promise<O> => {
    calls.push(input);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error('empty script');
    const value = typeof step === 'function' ? (step as (input: I) => O | Error)(input) : step;
    if (value instanceof Error) throw value;
    return value;
  };
  return Object.assign(fn, { calls });
}

export function crawler(
  state: 'READY' | 'RUNNING' | 'STOPPING',
  lastCrawl?: { status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; started: Date; error?: string },
): Glue.GetCrawlerResponse {
  return {
    Crawler: {
      Name: 'lakepipe-customer-transactions',
      State: state,
      ...(lastCrawl
        ? {
            LastCrawl: {
              Status: lastCrawl.status,
              StartTime: lastCrawl.started,
              ...(lastCrawl.error ? { ErrorMessage: lastCrawl.error } : {}),
              LogGroup: '/aws-glue/crawlers',
              LogStream: 'lakepipe-customer-transactions',
            },
          }
        : {}),
    },
  };
}

export function jobRun(state: string, extra: Partial<Glue.JobRun> = {}): Glue.GetJobRunResponse {
  return {
    JobRun: {
      Id: 'jr_0123456789abcdef',
      JobName: 'customer-analytics',
      JobRunState: state as Glue.JobRunState,
      StartedOn: at(60),
      ...(state === 'RUNNING' ? {} : { CompletedOn: at(102), ExecutionTime: 42 }),
      ...extra,
    },
  };
}

/** One validation's answer: the value of `passed` (null for SQL NULL) and its detail columns. */
export interface ValidationAnswer {
  passed: 'true' | 'false' | null;
  details: Record<string, string>;
}

export interface Scenario {
  getCrawler: ReadonlyArray<Step<Glue.GetCrawlerRequest, Glue.GetCrawlerResponse>>;
  startCrawler?: ReadonlyArray<Step<Glue.StartCrawlerRequest, Glue.StartCrawlerResponse>>;
  startJobRun?: ReadonlyArray<Step<Glue.StartJobRunRequest, Glue.StartJobRunResponse>>;
  getJobRun?: ReadonlyArray<Step<Glue.GetJobRunRequest, Glue.GetJobRunResponse>>;
  startQueryExecution?: ReadonlyArray<Step<Athena.StartQueryExecutionInput, Athena.StartQueryExecutionOutput>>;
  validations?: Record<string, ValidationAnswer>;
  publish?: ReadonlyArray<Step<Sns.PublishInput, Sns.PublishResponse>>;
  /** First bytes of each raw file, as screen-files reads them. */
  fileHead?: string;
  /** The raw table check-catalog compares column types on; default: no such table. */
  getTable?: ReadonlyArray<Step<Glue.GetTableRequest, Glue.GetTableResponse>>;
}

const PASSING: Record<string, ValidationAnswer> = {
  row_count: { passed: 'true', details: { rows_written: '1000' } },
  no_null_ids: { passed: 'true', details: { null_ids: '0' } },
};

function queryIdFor(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function fakePorts(scenario: Scenario) {
  const queries = new Map<string, { query: string; polls: number }>();
  const startQuery = scripted<Athena.StartQueryExecutionInput, Athena.StartQueryExecutionOutput>(
    scenario.startQueryExecution ?? [() => ({ QueryExecutionId: '' })],
  );
  const glue = {
    getCrawler: scripted(scenario.getCrawler),
    startCrawler: scripted<Glue.StartCrawlerRequest, Glue.StartCrawlerResponse>(scenario.startCrawler ?? [{}]),
    getTable: scripted<Glue.GetTableRequest, Glue.GetTableResponse>(
      scenario.getTable ?? [Object.assign(new Error('Table not found'), { name: 'EntityNotFoundException' })],
    ),
    updateTable: scripted<Glue.UpdateTableRequest, Glue.UpdateTableResponse>([{}]),
    startJobRun: scripted<Glue.StartJobRunRequest, Glue.StartJobRunResponse>(
      scenario.startJobRun ?? [{ JobRunId: 'jr_0123456789abcdef' }],
    ),
    getJobRun: scripted<Glue.GetJobRunRequest, Glue.GetJobRunResponse>(
      scenario.getJobRun ?? [jobRun('RUNNING'), jobRun('SUCCEEDED')],
    ),
  };
  const athena = {
    startQueryExecution: Object.assign(
      async (input: Athena.StartQueryExecutionInput) => {
        const out = await startQuery(input);
        const id = queryIdFor(queries.size + 1);
        queries.set(id, { query: input.QueryString ?? '', polls: 0 });
        return { ...out, QueryExecutionId: id };
      },
      { calls: startQuery.calls },
    ),
    getQueryExecution: async (input: Athena.GetQueryExecutionInput): Promise<Athena.GetQueryExecutionOutput> => {
      const q = queries.get(input.QueryExecutionId ?? '');
      if (!q) throw Object.assign(new Error('unknown query'), { name: 'InvalidRequestException' });
      q.polls += 1;
      return {
        QueryExecution: {
          QueryExecutionId: input.QueryExecutionId,
          Query: q.query,
          Status: {
            State: q.polls < 2 ? 'RUNNING' : 'SUCCEEDED',
            SubmissionDateTime: at(120),
            ...(q.polls < 2 ? {} : { CompletionDateTime: at(123.5) }),
          },
        },
      };
    },
    getQueryResults: scripted<Athena.GetQueryResultsInput, Athena.GetQueryResultsOutput>([
      (input) => {
        const q = queries.get(input.QueryExecutionId ?? '');
        const name = Object.keys(scenario.validations ?? PASSING).find((n) => q?.query.includes(`/* ${n} */`));
        const answer = name ? (scenario.validations ?? PASSING)[name] : undefined;
        if (!answer) return new Error(`no scripted answer for ${q?.query}`);
        const names = ['passed', ...Object.keys(answer.details)];
        const values = [answer.passed, ...Object.values(answer.details)];
        return {
          ResultSet: {
            ResultSetMetadata: {
              ColumnInfo: names.map((Name, i) => ({ Name, Type: i === 0 ? 'boolean' : 'bigint' })),
            },
            Rows: [
              { Data: names.map((VarCharValue) => ({ VarCharValue })) },
              { Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) },
            ],
          },
        };
      },
    ]),
  };
  const sns = {
    publish: scripted<Sns.PublishInput, Sns.PublishResponse>(
      scenario.publish ?? [{ MessageId: '5f1e0a43-7f1c-5b7a-9d0b-123456789abc' }],
    ),
  };
  const head = new TextEncoder().encode(
    scenario.fileHead ?? 'transaction_id,customer_id,transaction_amount\nt1,c1,10.5\n',
  );
  const s3 = {
    getObject: scripted<S3.GetObjectRequest, { Body: { transformToByteArray(): Promise<Uint8Array> } }>([
      () => ({ Body: { transformToByteArray: async () => head } }),
    ]),
    headObject: scripted<S3.HeadObjectRequest, S3.HeadObjectOutput>([{}]),
    copyObject: scripted<S3.CopyObjectRequest, S3.CopyObjectOutput>([{}]),
    deleteObject: scripted<S3.DeleteObjectRequest, S3.DeleteObjectOutput>([{}]),
  };
  return { glue, athena, sns, s3 };
}

export type FakePorts = ReturnType<typeof fakePorts>;

/** The real task Lambdas, on the fake ports. */
export function realLambdas(ports: FakePorts): Record<string, LambdaHandler> {
  const screen = screenFilesHandler({
    config: loadScreenFilesConfig(contractsEnv()),
    s3: ports.s3 as never,
  });
  return {
    [arnOf('ScreenFilesFunctionArn')]: screen as LambdaHandler,
    [arnOf('CheckCatalogFunctionArn')]: checkCatalogHandler({ glue: ports.glue }),
    [arnOf('PrepareValidationsFunctionArn')]: prepareValidationsHandler({
      config: loadPrepareValidationsConfig({ DATASETS_DIR, REJECTED_SHARE_MAX: '0.05' }),
    }),
    [arnOf('BuildNotificationFunctionArn')]: buildNotificationHandler(),
  };
}

export interface ScenarioRun {
  result: ExecutionResult;
  ports: FakePorts;
  /** Names of the top-level states entered, in order. */
  path: string[];
  /** Names of the states entered inside Map iterations, in order. */
  iterationPath: string[];
  retried: string[];
  published: Sns.PublishInput[];
}

export const entered = (events: readonly EngineEvent[], nested: boolean) =>
  events
    .filter((e) => e.type === 'StateEntered' && ('index' in e && e.index !== undefined) === nested)
    .map((e) => ('state' in e ? e.state.name : ''));

export interface RunOptions {
  definition?: Definition;
  /** Resume at this state with this input (a redrive). */
  resume?: RedrivePoint;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const ports = fakePorts(scenario);
  const taskPorts: TaskPorts = { glue: ports.glue, athena: ports.athena, sns: ports.sns };
  const result = await runExecution({
    definition: options.definition ?? (await loadPipeline()),
    input: options.resume?.input ?? executionInput(),
    ...(options.resume ? { startAt: options.resume.state, redriveCount: 1 } : {}),
    name: EXECUTION_NAME,
    stateMachine: {
      name: 'lakepipe-test-pipeline',
      arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:lakepipe-test-pipeline',
    },
    ports: taskPorts,
    lambdas: realLambdas(ports),
    timeScale: 0,
    syncPollMs: 1,
  });
  return {
    result,
    ports,
    path: entered(result.events, false),
    iterationPath: entered(result.events, true),
    retried: result.events.filter((e) => e.type === 'StateRetried').map((e) => ('state' in e ? e.state.name : '')),
    published: ports.sns.publish.calls,
  };
}
