import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Definition } from '../../../local/sfn/definition';
import {
  type EngineEvent,
  ExecutionStore,
  findRedrivePoint,
  summarizeStates,
} from '../../../local/sfn/execution-store';
import { type ExecutionRunner, LocalSfn, type RunRequest } from '../../../local/sfn/local-sfn';
import { WorkspaceLock } from '../../../local/sfn/workspace-lock';
import { Workspace } from '../../../local/workspace';

const ARN = 'arn:aws:states:local:000000000000:stateMachine:lakepipe-local';
const definition: Definition = {
  StartAt: 'Crawl',
  States: { Crawl: { Type: 'Pass', Next: 'Job' }, Job: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } },
};

/** The engine events a scripted runner emits (the engine's own carry JSON values only). */
interface ScriptedEvent {
  type: 'StateEntered' | 'StateExited' | 'StateFailed';
  state: { name: string; type: 'Pass'; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: string;
}

/** A scripted runner: walks the given states from StartAt, failing at `failAt` while `broken` is true. */
function scriptedRunner(state: { broken: boolean; failAt: string; calls: RunRequest[] }): ExecutionRunner {
  return async (request) => {
    state.calls.push(request);
    const order = ['Crawl', 'Job', 'Done'];
    let t = Date.now();
    const emit = (event: ScriptedEvent) => request.onEvent({ ...event, timestamp: t++ } as EngineEvent);
    for (const name of order.slice(order.indexOf(request.startAt ?? request.definition.StartAt))) {
      emit({ type: 'StateEntered', state: { name, type: 'Pass', input: { at: name, from: request.input } } });
      if (name === state.failAt && state.broken) {
        emit({ type: 'StateFailed', state: { name, type: 'Pass' }, Error: 'Boom', Cause: 'scripted failure' });
        return { status: 'FAILED', error: 'Boom', cause: 'scripted failure' };
      }
      emit({ type: 'StateExited', state: { name, type: 'Pass', output: { at: name } } });
    }
    return { status: 'SUCCEEDED', output: { done: true } };
  };
}

async function setup(failAt = 'Job') {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-sfn-')));
  const store = new ExecutionStore(workspace);
  const script = { broken: true, failAt, calls: [] as RunRequest[] };
  const sfn = new LocalSfn(store, { name: 'lakepipe-local', arn: ARN, definition }, scriptedRunner(script));
  return { store, sfn, script };
}

describe('LocalSfn', () => {
  it('runs an execution, persists status and history, and describes it like DescribeExecution', async () => {
    const { sfn, store, script } = await setup();
    script.broken = false;

    const started = await sfn.startExecution({ stateMachineArn: ARN, name: 'ds-1', input: '{"a":1}' });
    const final = await sfn.waitFor('ds-1');
    const described = await sfn.describeExecution({ executionArn: started.executionArn });

    expect(started.executionArn).toBe('arn:aws:states:local:000000000000:execution:lakepipe-local:ds-1');
    expect(final.status).toBe('SUCCEEDED');
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'ds-1', input: '{"a":1}', output: '{"done":true}' });
    expect(script.calls[0]?.context.Execution).toMatchObject({
      Name: 'ds-1',
      Id: started.executionArn,
      RedriveCount: 0,
    });
    expect(summarizeStates(await store.history('ds-1')).map((s) => [s.state, s.status])).toEqual([
      ['Crawl', 'SUCCEEDED'],
      ['Job', 'SUCCEEDED'],
      ['Done', 'SUCCEEDED'],
    ]);
  });

  it('treats a repeated name as ExecutionAlreadyExists once the first has ended, and tells listeners of new starts only', async () => {
    const { sfn } = await setup();
    const started: string[] = [];
    const forget = sfn.onStarted((name) => started.push(name));
    await sfn.startExecution({ stateMachineArn: ARN, name: 'ds-2', input: '{}' });
    await sfn.waitFor('ds-2');

    await expect(sfn.startExecution({ stateMachineArn: ARN, name: 'ds-2', input: '{}' })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    forget();
    await sfn.startExecution({ stateMachineArn: ARN, name: 'ds-2b', input: '{}' });
    await sfn.waitFor('ds-2b');
    expect(started).toEqual(['ds-2']);
  });

  it('refuses bad names, bad input and other state machines with the AWS error names', async () => {
    const { sfn } = await setup();
    await expect(sfn.startExecution({ stateMachineArn: ARN, name: 'a b', input: '{}' })).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(sfn.startExecution({ stateMachineArn: ARN, name: 'x', input: '{nope' })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(sfn.startExecution({ stateMachineArn: `${ARN}-other`, name: 'x', input: '{}' })).rejects.toMatchObject(
      {
        name: 'StateMachineDoesNotExist',
      },
    );
  });

  it('redrives from the failed state with its recorded input, without re-running the states before it', async () => {
    const { sfn, store, script } = await setup('Job');
    const { executionArn } = await sfn.startExecution({ stateMachineArn: ARN, name: 'ds-3', input: '{"n":3}' });
    expect((await sfn.waitFor('ds-3')).status).toBe('FAILED');

    script.broken = false; // the operator fixed the cause
    await sfn.redriveExecution({ executionArn });
    const final = await sfn.waitFor('ds-3');

    const redrive = script.calls[1];
    expect(final).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(redrive?.startAt).toBe('Job');
    expect(redrive?.input).toEqual({ at: 'Job', from: { n: 3 } });
    expect(redrive?.context.Execution.RedriveCount).toBe(1);
    const states = summarizeStates(await store.history('ds-3')).map((s) => `${s.attempt}:${s.state}:${s.status}`);
    expect(states).toEqual(['0:Crawl:SUCCEEDED', '0:Job:FAILED', '1:Job:SUCCEEDED', '1:Done:SUCCEEDED']);
  });

  it('refuses to redrive a succeeded execution', async () => {
    const { sfn, script } = await setup();
    script.broken = false;
    const { executionArn } = await sfn.startExecution({ stateMachineArn: ARN, name: 'ds-4', input: '{}' });
    await sfn.waitFor('ds-4');
    await expect(sfn.redriveExecution({ executionArn })).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
  });

  it('marks an execution whose process died as ABORTED, and redrives it from the state that was running', async () => {
    const { sfn, store, script } = await setup();
    // A record left behind by a process that no longer exists, which had entered Job and never left it.
    await store.save({
      name: 'ds-5',
      executionArn: sfn.executionArn('ds-5'),
      stateMachineArn: ARN,
      status: 'RUNNING',
      input: { n: 5 },
      startDate: new Date().toISOString(),
      pid: 2 ** 22 + 12345,
      redriveCount: 0,
    });
    const t = new Date().toISOString();
    await store.saveHistory('ds-5', [
      { timestamp: t, type: 'StateEntered', attempt: 0, state: 'Crawl', stateType: 'Pass', input: { n: 5 } },
      { timestamp: t, type: 'StateExited', attempt: 0, state: 'Crawl', stateType: 'Pass', output: { c: 1 } },
      { timestamp: t, type: 'StateEntered', attempt: 0, state: 'Job', stateType: 'Pass', input: { c: 1 } },
    ]);

    const interrupted = await store.markInterrupted(sfn.runningNames());
    expect(interrupted.map((r) => [r.name, r.status])).toEqual([['ds-5', 'ABORTED']]);
    expect(findRedrivePoint(await store.history('ds-5'))).toEqual({ state: 'Job', input: { c: 1 } });

    script.broken = false;
    await sfn.redriveExecution({ executionArn: sfn.executionArn('ds-5') });
    expect((await sfn.waitFor('ds-5')).status).toBe('SUCCEEDED');
    expect(script.calls[0]?.startAt).toBe('Job');
  });

  it('redrives an execution whose process died before it entered any state from the start, with its input', async () => {
    const { sfn, store, script } = await setup();
    await store.save({
      name: 'ds-6',
      executionArn: sfn.executionArn('ds-6'),
      stateMachineArn: ARN,
      status: 'RUNNING',
      input: { n: 6 },
      startDate: new Date().toISOString(),
      pid: 2 ** 22 + 12346,
      redriveCount: 0,
    });
    await store.saveHistory('ds-6', []);
    await store.markInterrupted(sfn.runningNames());
    script.broken = false;

    await sfn.redriveExecution({ executionArn: sfn.executionArn('ds-6') });

    expect((await sfn.waitFor('ds-6')).status).toBe('SUCCEEDED');
    expect(script.calls[0]?.startAt).toBe('Crawl');
    expect(script.calls[0]?.input).toEqual({ n: 6 });
  });

  it('lists executions newest first with paging and a status filter', async () => {
    const { sfn, script } = await setup();
    script.broken = false;
    for (const name of ['a', 'b', 'c']) {
      await sfn.startExecution({ stateMachineArn: ARN, name, input: '{}' });
      await sfn.waitFor(name);
    }
    const first = await sfn.listExecutions({ stateMachineArn: ARN, maxResults: 2 });
    const second = await sfn.listExecutions({ stateMachineArn: ARN, maxResults: 2, nextToken: first.nextToken });
    const failed = await sfn.listExecutions({ stateMachineArn: ARN, statusFilter: 'FAILED' });

    expect([...(first.executions ?? []), ...(second.executions ?? [])].map((e) => e.name).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(second.nextToken).toBeUndefined();
    expect(failed.executions).toEqual([]);
  });

  it('runs several executions of one process at once under one workspace lock, which another holder waits for', async () => {
    // Prepare
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-sfn-')));
    let inFlight = 0;
    let most = 0;
    const runner: ExecutionRunner = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 200));
      inFlight--;
      return { status: 'SUCCEEDED' };
    };
    const sfn = new LocalSfn(
      new ExecutionStore(workspace),
      { name: 'lakepipe-local', arn: ARN, definition },
      runner,
      undefined,
      new WorkspaceLock(workspace),
    );
    const other = new WorkspaceLock(workspace, { retryMs: 20 });

    // Act
    await sfn.startExecution({ stateMachineArn: ARN, name: 'p-1', input: '{}' });
    await sfn.startExecution({ stateMachineArn: ARN, name: 'p-2', input: '{}' });
    while (inFlight < 2) await new Promise((r) => setTimeout(r, 10));
    let otherHeldAt = -1;
    const otherTakes = other.acquire().then(() => {
      otherHeldAt = inFlight;
    });
    const records = await Promise.all([sfn.waitFor('p-1'), sfn.waitFor('p-2')]);
    await otherTakes;

    // Assess
    expect(records.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(most).toBe(2);
    expect(otherHeldAt).toBe(0);
    await other.releaseOne();
  });
});
