// The twin's Step Functions service: the SfnPort operations over persisted executions. It runs each
// execution in the background through an injected runner (the ASL engine binding), records every
// engine event, and redrives from the state that failed.
import type * as Sfn from '@aws-sdk/client-sfn';
import { errorMessage, errorName } from '../../functions/shared/errors';
import { EXECUTION_NAME as NAME } from '../../functions/shared/execution-name';
import type { SfnPort } from '../../functions/shared/ports';
import { pageOf } from '../paging';
import type { Definition } from './definition';
import {
  type EngineEvent,
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStore,
  findRedrivePoint,
  type HistoryEvent,
  type RedrivePoint,
  toHistoryEvent,
} from './execution-store';
import type { WorkspaceLock } from './workspace-lock';

export interface ExecutionContextObject {
  Execution: { Id: string; Name: string; StartTime: string; Input: unknown; RoleArn: string; RedriveCount: number };
  StateMachine: { Id: string; Name: string };
}

export interface RunRequest {
  definition: Definition;
  /** For a redrive: the top-level state to resume at, with `input` as its input. */
  startAt?: string;
  input: unknown;
  context: ExecutionContextObject;
  onEvent: (event: EngineEvent) => void;
  signal: AbortSignal;
}

export interface RunOutcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: unknown;
  error?: string;
  cause?: string;
}

export type ExecutionRunner = (request: RunRequest) => Promise<RunOutcome>;

export interface LocalStateMachine {
  name: string;
  arn: string;
  definition: RunRequest['definition'];
}

function sfnError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class LocalSfn implements SfnPort {
  private readonly running = new Map<string, { settled: Promise<ExecutionRecord>; abort: AbortController }>();
  private readonly startListeners = new Set<(name: string) => void>();

  constructor(
    private readonly store: ExecutionStore,
    private readonly stateMachine: LocalStateMachine,
    private readonly runner: ExecutionRunner,
    private readonly observe: (name: string, event: HistoryEvent) => void = () => undefined,
    /** Held while any execution runs, so another process on the workspace waits (none: no waiting). */
    private readonly lock?: Pick<WorkspaceLock, 'acquire' | 'releaseOne'>,
  ) {}

  executionArn(name: string): string {
    const base = this.stateMachine.arn.replace(':stateMachine:', ':execution:');
    return `${base}:${name}`;
  }

  nameOf(executionArn: string): string {
    const prefix = `${this.executionArn('')}`;
    if (!executionArn.startsWith(prefix))
      throw sfnError('ExecutionDoesNotExist', `Execution does not exist: ${executionArn}`);
    return executionArn.slice(prefix.length);
  }

  /** Calls `listener` with the name of every execution started from now on; returns the unsubscribe. */
  onStarted(listener: (name: string) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /** Names of executions this process is running now. */
  runningNames(): Set<string> {
    return new Set(this.running.keys());
  }

  async startExecution(input: Sfn.StartExecutionInput): Promise<Sfn.StartExecutionOutput> {
    if (input.stateMachineArn !== this.stateMachine.arn) {
      throw sfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    }
    const name = input.name ?? crypto.randomUUID();
    if (!NAME.test(name)) throw sfnError('InvalidName', `Invalid Name: '${name}'`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.input ?? '{}');
    } catch (cause) {
      throw Object.assign(sfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input'), { cause });
    }
    const existing = await this.store.get(name);
    if (existing) {
      // Standard workflows: the same name and input while running is idempotent; anything else is a conflict.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(parsed)) {
        return { executionArn: existing.executionArn, startDate: new Date(existing.startDate) };
      }
      throw sfnError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    const startDate = new Date();
    const record: ExecutionRecord = {
      name,
      executionArn: this.executionArn(name),
      stateMachineArn: this.stateMachine.arn,
      status: 'RUNNING',
      input: parsed,
      startDate: startDate.toISOString(),
      pid: process.pid,
      redriveCount: 0,
    };
    await this.store.save(record);
    await this.store.saveHistory(name, []);
    this.launch(record, parsed, []);
    for (const listener of this.startListeners) listener(name);
    return { executionArn: record.executionArn, startDate };
  }

  async describeExecution(input: Sfn.DescribeExecutionInput): Promise<Sfn.DescribeExecutionOutput> {
    const record = await this.store.get(this.nameOf(input.executionArn ?? ''));
    if (!record) throw sfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      stopDate: record.stopDate ? new Date(record.stopDate) : undefined,
      input: JSON.stringify(record.input),
      output: record.output === undefined ? undefined : JSON.stringify(record.output),
      error: record.error,
      cause: record.cause,
      redriveCount: record.redriveCount,
      redriveDate: record.redriveDate ? new Date(record.redriveDate) : undefined,
      redriveStatus: record.status === 'RUNNING' || record.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
    };
  }

  async listExecutions(input: Sfn.ListExecutionsInput): Promise<Sfn.ListExecutionsOutput> {
    const all = (await this.store.list()).filter((r) => !input.statusFilter || r.status === input.statusFilter);
    const { page, next } = pageOf(
      all,
      input.nextToken,
      input.maxResults && input.maxResults > 0 ? input.maxResults : 100,
    );
    return {
      executions: page.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: new Date(r.startDate),
        stopDate: r.stopDate ? new Date(r.stopDate) : undefined,
        redriveCount: r.redriveCount,
      })),
      nextToken: next,
    };
  }

  async redriveExecution(input: Sfn.RedriveExecutionInput): Promise<Sfn.RedriveExecutionOutput> {
    const name = this.nameOf(input.executionArn ?? '');
    await this.store.markInterrupted(this.runningNames());
    const record = await this.store.get(name);
    if (!record) throw sfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
      throw sfnError(
        'ExecutionNotRedrivable',
        `Execution is ${record.status} and cannot be redriven: '${record.executionArn}'`,
      );
    }
    const history = await this.store.history(name);
    const point = findRedrivePoint(history) ?? this.startOver(record, history);
    if (!point) {
      throw sfnError(
        'ExecutionNotRedrivable',
        `No failed or interrupted state to redrive from in '${record.executionArn}'`,
      );
    }
    const redriveDate = new Date();
    const next = await this.store.update(name, {
      status: 'RUNNING',
      pid: process.pid,
      redriveCount: record.redriveCount + 1,
      redriveDate: redriveDate.toISOString(),
      stopDate: undefined,
      error: undefined,
      cause: undefined,
      output: undefined,
    });
    this.launch(next, point.input, history, point.state);
    return { redriveDate };
  }

  /**
   * An execution interrupted before its latest attempt entered any state (a process killed while it started)
   * resumes at the start, with its input: nothing of it ran.
   */
  private startOver(record: ExecutionRecord, history: readonly HistoryEvent[]): RedrivePoint | undefined {
    if (record.status !== 'ABORTED') return undefined;
    const latest = Math.max(0, ...history.map((e) => e.attempt));
    const entered = history.some((e) => e.attempt === latest && e.type === 'StateEntered' && e.index === undefined);
    return entered ? undefined : { state: this.stateMachine.definition.StartAt, input: record.input };
  }

  /** Resolves when the execution (started or redriven by this process) ends. */
  async waitFor(name: string): Promise<ExecutionRecord> {
    const run = this.running.get(name);
    return run ? run.settled : this.store.require(name);
  }

  /** Stops every execution this process runs (Ctrl-C), marking them ABORTED. */
  async abortAll(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.settled));
  }

  /** Waits for the workspace lock; the outcome of an execution that never got it, else undefined. */
  private async takeLock(signal: AbortSignal): Promise<RunOutcome | undefined> {
    try {
      await this.lock?.acquire(signal);
      return undefined;
    } catch (error) {
      if (signal.aborted) return { status: 'ABORTED' };
      return { status: 'FAILED', error: errorName(error) || 'States.Runtime', cause: errorMessage(error) };
    }
  }

  private launch(record: ExecutionRecord, input: unknown, prior: HistoryEvent[], startAt?: string) {
    const definition = this.stateMachine.definition;
    const abort = new AbortController();
    const attempt = record.redriveCount;
    const events = [...prior];
    let flushing = Promise.resolve();
    const onEvent = (event: EngineEvent) => {
      const entry = toHistoryEvent(event, attempt);
      events.push(entry);
      this.observe(record.name, entry);
      const snapshot = [...events];
      flushing = flushing.then(() => this.store.saveHistory(record.name, snapshot));
    };
    const context: ExecutionContextObject = {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        StartTime: record.startDate,
        Input: record.input,
        RoleArn: 'arn:aws:iam::000000000000:role/lakepipe-local',
        RedriveCount: record.redriveCount,
      },
      StateMachine: { Id: this.stateMachine.arn, Name: this.stateMachine.name },
    };
    const settled = (async () => {
      const refused = await this.takeLock(abort.signal);
      let outcome = refused;
      try {
        outcome ??= await this.runner({ definition, startAt, input, context, onEvent, signal: abort.signal });
      } catch (error) {
        // A runner crash is an execution failure with the reason recorded, never a lost execution.
        outcome = { status: 'FAILED', error: errorName(error) || 'States.Runtime', cause: errorMessage(error) };
      }
      try {
        await flushing;
        return await this.store.update(record.name, { ...outcome, stopDate: new Date().toISOString() });
      } finally {
        this.running.delete(record.name);
        if (!refused) await this.lock?.releaseOne();
      }
    })();
    this.running.set(record.name, { settled, abort });
  }
}
