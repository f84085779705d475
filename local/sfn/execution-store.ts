// Persisted executions of the local twin: `<home>/executions/<name>/{execution,history}.json`, written
// atomically, so `describe`, `rerun` and `redrive` work after the process that ran them is gone.
import { readdir } from 'node:fs/promises';
import type { StateMachine } from 'aws-local-stepfunctions';
import { EXECUTION_NAME as NAME } from '../../functions/shared/execution-name';
import { wasInterrupted } from '../interrupted-runs';
import { readJsonIfExists, type Workspace, writeJsonAtomic } from '../workspace';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  input: unknown;
  startDate: string;
  stopDate?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** The process that runs (or last ran) the execution; a RUNNING record whose process is gone was interrupted. */
  pid: number;
  redriveCount: number;
  redriveDate?: string;
  /** Set on `lakepipe rerun` executions: the execution whose input they reuse. */
  rerunOf?: string;
}

type EngineEventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** An aws-local-stepfunctions event-log entry; `Cause`, when present, is always text (as in Step Functions). */
export type EngineEvent = EngineEventLog;

export interface HistoryEvent {
  timestamp: string;
  type: string;
  /** 0 for the first attempt, n for the n-th redrive. */
  attempt: number;
  state?: string;
  stateType?: string;
  /** Map iteration index, for states inside a Map. */
  index?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  retryAttempt?: number;
}

export class ExecutionDoesNotExist extends Error {
  constructor(name: string) {
    super(`Execution does not exist: ${name}`);
    this.name = 'ExecutionDoesNotExist';
  }
}

export function toHistoryEvent(event: EngineEvent, attempt: number): HistoryEvent {
  const out: HistoryEvent = { timestamp: new Date(event.timestamp).toISOString(), type: event.type, attempt };
  if ('state' in event) {
    out.state = event.state.name;
    out.stateType = event.state.type;
    if (event.type === 'StateEntered') out.input = event.state.input;
    if (event.type === 'StateExited') out.output = event.state.output;
  }
  if ('index' in event && event.index !== undefined) out.index = event.index;
  if ('Error' in event) {
    out.error = event.Error;
    if (event.Cause !== undefined)
      out.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
  }
  if ('retry' in event) out.retryAttempt = event.retry.attempt;
  return out;
}

export class ExecutionStore {
  constructor(private readonly workspace: Workspace) {}

  private file(name: string, which: 'execution' | 'history'): string {
    if (!NAME.test(name)) throw new ExecutionDoesNotExist(name);
    return this.workspace.dir('executions', name, `${which}.json`);
  }

  async get(name: string): Promise<ExecutionRecord | undefined> {
    return readJsonIfExists<ExecutionRecord>(this.file(name, 'execution'));
  }

  async require(name: string): Promise<ExecutionRecord> {
    const record = await this.get(name);
    if (!record) throw new ExecutionDoesNotExist(name);
    return record;
  }

  async save(record: ExecutionRecord): Promise<void> {
    await writeJsonAtomic(this.file(record.name, 'execution'), record);
  }

  async update(name: string, patch: Partial<ExecutionRecord>): Promise<ExecutionRecord> {
    const next = { ...(await this.require(name)), ...patch };
    await this.save(next);
    return next;
  }

  async history(name: string): Promise<HistoryEvent[]> {
    return (await readJsonIfExists<HistoryEvent[]>(this.file(name, 'history'))) ?? [];
  }

  async saveHistory(name: string, events: HistoryEvent[]): Promise<void> {
    await writeJsonAtomic(this.file(name, 'history'), events);
  }

  /** Every execution, newest first. */
  async list(): Promise<ExecutionRecord[]> {
    const names = await readdir(this.workspace.dir('executions')).catch(() => [] as string[]);
    const records = await Promise.all(names.filter((n) => NAME.test(n)).map((n) => this.get(n)));
    return records
      .filter((r): r is ExecutionRecord => r !== undefined)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name));
  }

  /**
   * Marks RUNNING executions whose process is gone (a crash, a kill, Ctrl-C) as ABORTED, so they can be
   * redriven or re-run. `running` lists the executions this process is running right now.
   */
  async markInterrupted(running: ReadonlySet<string> = new Set(), now = new Date()): Promise<ExecutionRecord[]> {
    const interrupted: ExecutionRecord[] = [];
    for (const record of await this.list()) {
      if (record.status !== 'RUNNING' || !wasInterrupted(record.pid, running.has(record.name))) continue;
      interrupted.push(
        await this.update(record.name, {
          status: 'ABORTED',
          stopDate: now.toISOString(),
          error: 'States.Aborted',
          cause: `interrupted: the lakepipe process (pid ${record.pid}) ended while the execution was running`,
        }),
      );
    }
    return interrupted;
  }
}

export interface StateSummary {
  state: string;
  type: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CAUGHT';
  attempt: number;
  start: string;
  end?: string;
  durationMs?: number;
  retries: number;
  error?: string;
  cause?: string;
}

/** One line per top-level state visit (Map iterations folded into their Map), in order. */
export function summarizeStates(history: HistoryEvent[]): StateSummary[] {
  const out: StateSummary[] = [];
  const open = new Map<string, StateSummary>();
  for (const event of history) {
    if (event.index !== undefined || !event.state) continue;
    const key = event.state;
    if (event.type === 'StateEntered') {
      const summary: StateSummary = {
        state: event.state,
        type: event.stateType ?? '',
        status: 'RUNNING',
        attempt: event.attempt,
        start: event.timestamp,
        retries: 0,
      };
      out.push(summary);
      open.set(key, summary);
      continue;
    }
    const summary = open.get(key);
    if (!summary) continue;
    if (event.type === 'StateRetried') {
      summary.retries++;
      continue;
    }
    if (event.type === 'StateExited' || event.type === 'StateFailed' || event.type === 'StateCaught') {
      summary.status = event.type === 'StateExited' ? 'SUCCEEDED' : event.type === 'StateFailed' ? 'FAILED' : 'CAUGHT';
      summary.end = event.timestamp;
      summary.durationMs = Date.parse(event.timestamp) - Date.parse(summary.start);
      if (event.error !== undefined) summary.error = event.error;
      if (event.cause !== undefined) summary.cause = event.cause;
      open.delete(key);
    }
  }
  return out;
}

export interface RedrivePoint {
  state: string;
  input: unknown;
}

/**
 * Where a redrive resumes an unsuccessful execution, from the history of its latest attempt: the first
 * top-level state whose error was caught (the failure path after it only reports), else the last top-level
 * state that was entered and never exited (failed, timed out, aborted, interrupted), with the input it was
 * entered with. States that succeeded before it are not run again. An execution that ended in a Fail state
 * without a caught error (ValidationFailed) has nothing to resume: `undefined`, re-run it.
 */
export function findRedrivePoint(history: readonly HistoryEvent[]): RedrivePoint | undefined {
  const latest = Math.max(0, ...history.map((e) => e.attempt));
  const open = new Map<string, unknown>();
  let last: string | undefined;
  for (const e of history) {
    if (e.attempt !== latest || e.index !== undefined || e.state === undefined) continue;
    if (e.type === 'StateCaught') return { state: e.state, input: open.get(e.state) };
    if (e.type === 'StateEntered' && e.stateType !== 'Fail') {
      open.set(e.state, e.input);
      last = e.state;
    } else if (e.type === 'StateExited') {
      open.delete(e.state);
      if (last === e.state) last = undefined;
    }
  }
  return last !== undefined && open.has(last) ? { state: last, input: open.get(last) } : undefined;
}
