// Runs one execution of a (loaded, guarded) definition on aws-local-stepfunctions with every Task bound to
// local handlers. The one place that knows how to run the ASL locally: the twin and the tests both use it.
import './polyfill';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { BindOptions } from './bind-tasks';
import { bindTasks } from './bind-tasks';
import type { Definition } from './definition';
import { walkStates } from './definition';

type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** An engine event-log entry; `Cause`, when present, is always text (as in Step Functions' history). */
export type ExecutionEvent = EngineEvent;

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  events: ExecutionEvent[];
  startDate: Date;
  stopDate: Date;
}

export interface RunExecutionOptions extends Omit<BindOptions, 'signal'> {
  definition: Definition;
  input: unknown;
  /** `$$.Execution.Name`. */
  name: string;
  /** `$$.Execution.Id`; defaults to an execution ARN built from the state machine ARN and the name. */
  executionArn?: string;
  stateMachine?: { name: string; arn: string };
  /**
   * Multiplies every Wait state's `Seconds` and every retrier's `IntervalSeconds` (1 = as written, 0 = no
   * waiting). Applied through the engine's overrides, never by editing the definition.
   */
  timeScale?: number;
  /** Called with each event-log entry as it happens (progress display, persisted history). */
  onEvent?: (event: ExecutionEvent) => void;
  /** Aborting it stops the execution with status ABORTED. */
  signal?: AbortSignal;
}

const DEFAULT_STATE_MACHINE = {
  name: 'lakepipe-pipeline',
  arn: 'arn:aws:states:local:000000000000:stateMachine:lakepipe-pipeline',
};

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}

function normalizeEvent(event: EngineEvent): ExecutionEvent {
  return 'Cause' in event ? ({ ...event, Cause: causeText(event.Cause) } as ExecutionEvent) : event;
}

/** The engine's waitTimeOverrides / retryIntervalOverrides (milliseconds) for a time scale. */
export function timeOverrides(definition: Definition, timeScale: number) {
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number[]> = {};
  if (timeScale === 1) return { waitTimeOverrides, retryIntervalOverrides };
  for (const { name, state } of walkStates(definition)) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number') {
      waitTimeOverrides[name] = Math.round(state.Seconds * 1000 * timeScale);
    }
    if (Array.isArray(state.Retry)) {
      retryIntervalOverrides[name] = state.Retry.map((retrier: { IntervalSeconds?: number }) =>
        Math.round((retrier.IntervalSeconds ?? 1) * 1000 * timeScale),
      );
    }
  }
  return { waitTimeOverrides, retryIntervalOverrides };
}

/**
 * Runs the execution to its end. Refuses to start (UnboundTaskError) when a Task has no local binding.
 * Resolves with the final status; it rejects only for a problem of the binding itself, never for a failed run.
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionResult> {
  const stateMachine = options.stateMachine ?? DEFAULT_STATE_MACHINE;
  const executionArn =
    options.executionArn ?? `${stateMachine.arn.replace(':stateMachine:', ':execution:')}:${options.name}`;
  const stopPolling = new AbortController();
  const taskResourceLocalHandlers = bindTasks(options.definition, {
    ports: options.ports,
    lambdas: options.lambdas,
    syncPollMs: options.syncPollMs,
    signal: stopPolling.signal,
  });
  const { waitTimeOverrides, retryIntervalOverrides } = timeOverrides(options.definition, options.timeScale ?? 1);

  // The engine annotates the definition it validates, so it gets its own copy (JSON: structuredClone would
  // make objects of another realm under jest, which the engine does not treat as plain objects).
  const machine = new StateMachine(JSON.parse(JSON.stringify(options.definition)));
  const startDate = new Date();
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: {
      Execution: { Id: executionArn, Name: options.name, RedriveCount: 0 },
      StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
    },
  });

  const events: ExecutionEvent[] = [];
  const collecting = (async () => {
    for await (const raw of execution.eventLogs) {
      const event = normalizeEvent(raw);
      events.push(event);
      options.onEvent?.(event);
    }
  })();

  const onAbort = () => execution.abort();
  if (options.signal?.aborted) execution.abort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  let result: Omit<ExecutionResult, 'events' | 'startDate' | 'stopDate'>;
  try {
    result = { status: 'SUCCEEDED', output: await execution.result };
  } catch (error) {
    if (error instanceof ExecutionError) {
      const failure = error.cause instanceof Error ? error.cause : new Error(causeText(error.cause));
      result = { status: 'FAILED', error: failure.name, cause: failure.message };
    } else if (error instanceof ExecutionTimeoutError) {
      result = { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution exceeded its TimeoutSeconds' };
    } else if (error instanceof ExecutionAbortedError) {
      result = { status: 'ABORTED' };
    } else {
      throw error;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stopPolling.abort();
  }
  await collecting;
  return { ...result, events, startDate, stopDate: new Date() };
}
