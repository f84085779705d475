// Binds every Task state of a definition to a local handler by its resource, the way Step Functions would
// call the service: `aws-sdk:<service>:<action>` -> ports.<service>.<action>(Parameters); the optimized `.sync`
// integrations start, then poll to a terminal state; `sns:publish`; Lambda functions -> in-process handlers.
// Port errors are renamed the way Step Functions names them, so Retry/Catch in the ASL are exercised for real.
import type { Context } from 'aws-lambda';
import type { AthenaPort, GluePort, SnsPort } from '../../functions/shared/ports';
import { lambdaContext } from '../lambda-context';
import type { Definition } from './definition';
import { walkStates } from './definition';
import { TaskError, UnboundTaskError } from './errors';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskHandler = (input: Json) => Promise<Json>;

/** The ports a Task may reach; a partial port is fine as long as the definition only uses what it has. */
export interface TaskPorts {
  glue?: Partial<GluePort>;
  athena?: Partial<AthenaPort>;
  sns?: Partial<SnsPort>;
}

/** An in-process Lambda handler (a middy handler from createHandler fits). */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

export interface BindOptions {
  ports: TaskPorts;
  /** Keyed by function ARN or function name, as the resolved definition names them. */
  lambdas: Readonly<Record<string, LambdaHandler>>;
  /** Interval between status polls of `.sync` integrations (real time), default 250 ms. */
  syncPollMs?: number;
  /** Ends `.sync` polling once the execution is over (timeout, abort). */
  signal?: AbortSignal;
}

/** Step Functions' `<ServiceName>.` prefix for errors of each integrated service. */
const SERVICE_ERROR_PREFIX: Record<string, string> = {
  glue: 'Glue',
  athena: 'Athena',
  sns: 'SNS',
  s3: 'S3',
  lambda: 'Lambda',
};

/** JavaScript's own errors are bugs, not AWS exceptions: Step Functions would report them as a task failure. */
const PROGRAMMING_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

const GLUE_FAILED = new Set(['FAILED', 'TIMEOUT', 'ERROR', 'STOPPED']);
const ATHENA_FAILED = new Set(['FAILED', 'CANCELLED']);

const STATES_ARN = /^arn:aws[a-z-]*:states:::(.+)$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)/;

/** The Step Functions name for an error a port threw, e.g. `Glue.ConcurrentRunsExceededException`. */
export function stepFunctionsErrorName(service: string, error: unknown): string {
  const { name } = errorParts(error);
  if (name === '' || PROGRAMMING_ERRORS.has(name)) return 'States.TaskFailed';
  if (name.includes('.')) return name;
  const prefix = SERVICE_ERROR_PREFIX[service] ?? service;
  return `${prefix}.${name.endsWith('Exception') ? name : `${name}Exception`}`;
}

/** Duck-typed: errors from other realms (jest's sandbox, DOMException) fail `instanceof Error`. */
function errorParts(error: unknown): { name: string; message: string; stack?: string } {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : '',
      message: typeof e.message === 'string' ? e.message : String(error),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    };
  }
  return { name: '', message: String(error) };
}

// TaskErrors carry no `cause`: the engine reports `cause ?? message` as the history's Cause, which must stay
// the text Step Functions would show.
function asTaskError(service: string, error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  return new TaskError(stepFunctionsErrorName(service, error), errorParts(error).message);
}

/**
 * SDK output -> what Step Functions puts in the state: no `$metadata`, no undefined fields; timestamps as epoch
 * milliseconds for the optimized integrations and as ISO strings for aws-sdk integrations.
 */
export function toStateJson(value: unknown, dates: 'epoch-millis' | 'iso'): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return dates === 'epoch-millis' ? value.getTime() : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toStateJson(v, dates));
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$metadata' || v === undefined) continue;
      out[key] = toStateJson(v, dates);
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TaskError('States.Aborted', 'the execution ended while the task was polling'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TaskError('States.Aborted', 'the execution ended while the task was polling'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type PortCall = (input: unknown) => Promise<unknown>;

function portMethod(ports: TaskPorts, service: string, action: string): PortCall | undefined {
  const port = (ports as Record<string, Record<string, unknown> | undefined>)[service];
  const method = port?.[action];
  return typeof method === 'function' ? (method.bind(port) as PortCall) : undefined;
}

async function callPort(call: PortCall, service: string, input: unknown): Promise<unknown> {
  try {
    return await call(input);
  } catch (error) {
    throw asTaskError(service, error);
  }
}

/** Polling stops at the Task's TimeoutSeconds: the engine has raised States.Timeout by then. */
function pastDeadline(deadline: number): boolean {
  return Date.now() > deadline;
}

function glueJobRunSync(
  ports: TaskPorts,
  pollMs: number,
  timeoutSeconds: number,
  signal?: AbortSignal,
): TaskHandler | undefined {
  const start = portMethod(ports, 'glue', 'startJobRun');
  const get = portMethod(ports, 'glue', 'getJobRun');
  if (!start || !get) return undefined;
  return async (params) => {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const started = (await callPort(start, 'glue', params)) as { JobRunId?: string };
    const jobName = (params as { JobName?: string }).JobName;
    for (;;) {
      const { JobRun } = (await callPort(get, 'glue', { JobName: jobName, RunId: started.JobRunId })) as {
        JobRun?: { JobRunState?: string };
      };
      const state = JobRun?.JobRunState ?? '';
      // Step Functions returns the JobRun itself; a failed run is States.TaskFailed with the JobRun as cause.
      if (state === 'SUCCEEDED') return toStateJson(JobRun, 'epoch-millis');
      if (GLUE_FAILED.has(state)) {
        throw new TaskError('States.TaskFailed', JSON.stringify(toStateJson(JobRun, 'epoch-millis')));
      }
      if (pastDeadline(deadline)) throw new TaskError('States.Timeout', 'the task exceeded its TimeoutSeconds');
      await sleep(pollMs, signal);
    }
  };
}

function athenaQuerySync(
  ports: TaskPorts,
  pollMs: number,
  timeoutSeconds: number,
  signal?: AbortSignal,
): TaskHandler | undefined {
  const start = portMethod(ports, 'athena', 'startQueryExecution');
  const get = portMethod(ports, 'athena', 'getQueryExecution');
  if (!start || !get) return undefined;
  return async (params) => {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const started = (await callPort(start, 'athena', params)) as { QueryExecutionId?: string };
    for (;;) {
      const output = (await callPort(get, 'athena', { QueryExecutionId: started.QueryExecutionId })) as {
        QueryExecution?: { Status?: { State?: string } };
      };
      const state = output.QueryExecution?.Status?.State ?? '';
      // Step Functions returns the GetQueryExecution output; FAILED/CANCELLED is States.TaskFailed with it as cause.
      if (state === 'SUCCEEDED') return toStateJson(output, 'epoch-millis');
      if (ATHENA_FAILED.has(state)) {
        throw new TaskError('States.TaskFailed', JSON.stringify(toStateJson(output, 'epoch-millis')));
      }
      if (pastDeadline(deadline)) throw new TaskError('States.Timeout', 'the task exceeded its TimeoutSeconds');
      await sleep(pollMs, signal);
    }
  };
}

function findLambda(lambdas: BindOptions['lambdas'], functionArn: string): LambdaHandler | undefined {
  return lambdas[functionArn] ?? lambdas[FUNCTION_ARN.exec(functionArn)?.[3] ?? ''];
}

/** Calls the handler as Lambda would; a thrown error becomes errorType/errorMessage, as Step Functions sees it. */
async function invokeLambda(handler: LambdaHandler, functionArn: string, event: Json, timeoutSeconds: number) {
  try {
    return toStateJson(await handler(event as never, lambdaContext(functionArn, timeoutSeconds)), 'iso');
  } catch (error) {
    const err = errorParts(error);
    const errorType = err.name || 'Error';
    const cause = { errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
    throw new TaskError(errorType, JSON.stringify(cause));
  }
}

function handlerFor(state: Record<string, unknown>, options: BindOptions): TaskHandler | undefined {
  const resource = String(state.Resource ?? '');
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : 60;
  const pollMs = options.syncPollMs ?? 250;
  const fn = FUNCTION_ARN.test(resource) ? findLambda(options.lambdas, resource) : undefined;
  if (fn) return (input) => invokeLambda(fn, resource, input, timeoutSeconds);

  const integration = STATES_ARN.exec(resource)?.[1] ?? '';
  const sdk = /^aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(integration);
  if (sdk) {
    const [, service = '', action = ''] = sdk;
    const call = portMethod(options.ports, service, action);
    return call ? async (input) => toStateJson(await callPort(call, service, input), 'iso') : undefined;
  }
  switch (integration) {
    case 'glue:startJobRun.sync':
      return glueJobRunSync(options.ports, pollMs, timeoutSeconds, options.signal);
    case 'athena:startQueryExecution.sync':
      return athenaQuerySync(options.ports, pollMs, timeoutSeconds, options.signal);
    case 'sns:publish': {
      const publish = portMethod(options.ports, 'sns', 'publish');
      return publish ? async (input) => toStateJson(await callPort(publish, 'sns', input), 'epoch-millis') : undefined;
    }
    case 'lambda:invoke': {
      const staticName = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
      if (typeof staticName === 'string' && !findLambda(options.lambdas, staticName)) return undefined;
      return async (input) => {
        const { FunctionName = '', Payload = null } = (input ?? {}) as { FunctionName?: string; Payload?: Json };
        const handler = findLambda(options.lambdas, FunctionName);
        if (!handler) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${FunctionName}`);
        const result = await invokeLambda(handler, FunctionName, Payload, timeoutSeconds);
        return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
      };
    }
    default:
      return undefined;
  }
}

/**
 * One local handler per Task state name (the engine's `taskResourceLocalHandlers`). Throws UnboundTaskError,
 * naming the states, when any Task has no local binding: the engine would otherwise invoke real AWS Lambda.
 */
export function bindTasks(definition: Definition, options: BindOptions): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  const unbound: string[] = [];
  for (const { name, state } of walkStates(definition)) {
    if (state.Type !== 'Task') continue;
    const handler = handlerFor(state, options);
    if (handler) handlers[name] = handler;
    else unbound.push(name);
  }
  if (unbound.length > 0) throw new UnboundTaskError(unbound);
  return handlers;
}
