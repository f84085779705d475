// Runs one execution of a (loaded, guarded) definition on aws-local-stepfunctions with every Task bound to
// local handlers. The one place that knows how to run the ASL locally: the twin and the tests both use it.
import './polyfill';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { BindOptions } from './bind-tasks';
import { bindTasks } from './bind-tasks';
import type { Definition } from './definition';
import { guardDefinition, validateAsl, walkStates } from './definition';
import { DefinitionError } from './errors';
import type { EngineEvent, ExecutionStatus } from './execution-store';

export interface ExecutionResult {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: unknown;
  error?: string;
  cause?: string;
  events: EngineEvent[];
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
   * waiting). Applied through the engine's overrides, never by editing the definition. Task TimeoutSeconds and
   * the execution's TimeoutSeconds stay real time: they bound real local work.
   */
  timeScale?: number;
  /**
   * Start at this top-level state instead of the definition's StartAt, with `input` as that state's input: how
   * a redrive resumes (see findRedrivePoint). States before it are not run again.
   */
  startAt?: string;
  /** `$$.Execution.RedriveCount`, 0 for a first run. */
  redriveCount?: number;
  /** Called with each event-log entry as it happens (progress display, persisted history). */
  onEvent?: (event: EngineEvent) => void;
  /** Aborting it stops the execution with status ABORTED. */
  signal?: AbortSignal;
}

const DEFAULT_STATE_MACHINE = {
  name: 'lakepipe-pipeline',
  arn: 'arn:aws:states:local:000000000000:stateMachine:lakepipe-pipeline',
};

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  // Duck-typed: errors of another realm (jest's sandbox) fail `instanceof Error`.
  if (typeof cause === 'object' && cause !== null && typeof (cause as Error).message === 'string') {
    return (cause as Error).message;
  }
  return JSON.stringify(cause) ?? '';
}

function normalizeEvent(event: EngineEvent): EngineEvent {
  return 'Cause' in event ? { ...event, Cause: causeText(event.Cause) } : event;
}

/** Definitions (as JSON text) that passed the guard and asl-validator in this process: validating is slow. */
const checkedDefinitions = new Set<string>();

/**
 * Guard and asl-validator, on the definition as written. The engine's own validation is switched off because a
 * redrive's StartAt leaves earlier states unreachable, which it would reject.
 */
function checkDefinition(definition: Definition): void {
  const text = JSON.stringify(definition);
  if (checkedDefinitions.has(text)) return;
  guardDefinition(definition);
  const invalid = validateAsl(definition);
  if (invalid.length > 0)
    throw new DefinitionError(`The definition is not valid ASL:\n- ${invalid.join('\n- ')}`, invalid);
  if (checkedDefinitions.size > 50) checkedDefinitions.clear();
  checkedDefinitions.add(text);
}

/** The engine's waitTimeOverrides (milliseconds) for a time scale. */
export function timeOverrides(definition: Definition, timeScale: number) {
  const waitTimeOverrides: Record<string, number> = {};
  if (timeScale === 1) return { waitTimeOverrides };
  for (const { name, state } of walkStates(definition)) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number') {
      waitTimeOverrides[name] = Math.round(state.Seconds * 1000 * timeScale);
    }
  }
  return { waitTimeOverrides };
}

/**
 * The engine's own copy of the definition with every retrier's IntervalSeconds and MaxDelaySeconds multiplied
 * by the time scale. Not the engine's retryIntervalOverrides: those replace a retrier's interval by one fixed
 * value, which drops BackoffRate and MaxDelaySeconds and shrinks a retry budget of an hour (ConcurrentRuns:
 * 60 s doubling to 600 s, 10 attempts) to seconds. Scaled this way, backoff and jitter behave as written.
 */
export function scaleRetriers(definition: Definition, timeScale: number): Definition {
  const copy: Definition = JSON.parse(JSON.stringify(definition));
  if (timeScale === 1) return copy;
  for (const { state } of walkStates(copy)) {
    if (!Array.isArray(state.Retry)) continue;
    for (const retrier of state.Retry as { IntervalSeconds?: number; MaxDelaySeconds?: number }[]) {
      retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * timeScale;
      if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= timeScale;
    }
  }
  return copy;
}

/**
 * Runs the execution to its end. Refuses to start (UnboundTaskError) when a Task has no local binding.
 * Resolves with the final status; it rejects only for a problem of the binding itself (or of onEvent), never for
 * a failed run.
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionResult> {
  const stateMachine = options.stateMachine ?? DEFAULT_STATE_MACHINE;
  const executionArn =
    options.executionArn ?? `${stateMachine.arn.replace(':stateMachine:', ':execution:')}:${options.name}`;
  checkDefinition(options.definition);
  if (options.startAt !== undefined && !(options.startAt in options.definition.States)) {
    throw new DefinitionError(`Cannot start at ${options.startAt}: no such top-level state`, [options.startAt]);
  }
  const stopPolling = new AbortController();
  const taskResourceLocalHandlers = bindTasks(options.definition, {
    ports: options.ports,
    lambdas: options.lambdas,
    syncPollMs: options.syncPollMs,
    signal: stopPolling.signal,
  });
  const { waitTimeOverrides } = timeOverrides(options.definition, options.timeScale ?? 1);

  // The engine gets its own copy (retriers scaled, StartAt set for a redrive); a JSON copy, because
  // structuredClone makes objects of another realm under jest, which the engine does not treat as plain objects.
  const definition = scaleRetriers(options.definition, options.timeScale ?? 1);
  if (options.startAt !== undefined) definition.StartAt = options.startAt;
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const startDate = new Date();
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides },
    context: {
      Execution: { Id: executionArn, Name: options.name, RedriveCount: options.redriveCount ?? 0 },
      StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
    },
  });

  const events: EngineEvent[] = [];
  // A failing onEvent (e.g. history not persisted) must not stop the log from being drained; it is rethrown
  // once the execution has ended.
  let onEventError: unknown;
  const collecting = (async () => {
    for await (const raw of execution.eventLogs) {
      const event = normalizeEvent(raw);
      events.push(event);
      try {
        options.onEvent?.(event);
      } catch (error) {
        onEventError ??= error;
      }
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
      const failure = error.cause as { name?: unknown } | undefined;
      const name = typeof failure?.name === 'string' ? failure.name : 'States.Runtime';
      result = { status: 'FAILED', error: name, cause: causeText(error.cause) };
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
  if (onEventError !== undefined) throw onEventError;
  return { ...result, events, startDate, stopDate: new Date() };
}
