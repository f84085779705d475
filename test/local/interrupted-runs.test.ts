// One rule for runs a stopped process left behind: in progress, not running here, and its process is gone. A run
// that another live process is running (a second terminal on the same workspace) is not failed behind its back.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { LocalAthena } from '../../local/athena/local-athena';
import { processIsAlive, wasInterrupted } from '../../local/interrupted-runs';
import { writeJsonAtomic } from '../../local/workspace';
import { jobWorld } from './glue/jobs/job-world';

async function liveProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

async function endedProcessPid(): Promise<number> {
  const child = await liveProcess();
  child.kill('SIGKILL');
  await once(child, 'exit');
  return child.pid;
}

describe('wasInterrupted', () => {
  it('is false for a run of this process, and for one whose owner process is alive', async () => {
    const other = await liveProcess();
    try {
      expect(wasInterrupted(process.pid, true)).toBe(false);
      expect(wasInterrupted(other.pid, false)).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('is true when no process owns the run any more, or no owner was recorded', async () => {
    const gone = await endedProcessPid();

    expect(processIsAlive(gone)).toBe(false);
    expect(wasInterrupted(gone, false)).toBe(true);
    expect(wasInterrupted(undefined, false)).toBe(true);
    expect(wasInterrupted(process.pid, false)).toBe(true);
  });
});

describe('a job run left RUNNING in the workspace', () => {
  const RUN_ID = `jr_${'a'.repeat(64)}`;

  async function leftRunning(pid: number) {
    const world = await jobWorld();
    world.register('orders', 'orders');
    const file = world.workspace.dir('jobs', 'orders', 'runs', `${RUN_ID}.json`);
    const startedOn = new Date().toISOString();
    await writeJsonAtomic(file, {
      pid,
      jobRun: { Id: RUN_ID, JobName: 'orders', JobRunState: 'RUNNING', StartedOn: startedOn },
    });
    return world;
  }

  it('stays RUNNING while the process that runs it is alive', async () => {
    const other = await liveProcess();
    try {
      const world = await leftRunning(other.pid);

      const { JobRun } = await world.jobs.getJobRun({ JobName: 'orders', RunId: RUN_ID });

      expect(JobRun?.JobRunState).toBe('RUNNING');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('is FAILED, saying why, once that process is gone', async () => {
    const world = await leftRunning(await endedProcessPid());

    const { JobRun } = await world.jobs.getJobRun({ JobName: 'orders', RunId: RUN_ID });

    expect(JobRun?.JobRunState).toBe('FAILED');
    expect(JobRun?.ErrorMessage).toMatch(/stopped while this run was in progress/);
  });
});

describe('an Athena query left RUNNING in the workspace', () => {
  const QUERY_ID = '0b6e2f43-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

  async function leftRunning(pid: number) {
    const world = await jobWorld();
    const athena = new LocalAthena({ workspace: world.workspace, catalog: world.catalog, workgroups: {} });
    const submitted = new Date().toISOString();
    await writeJsonAtomic(world.workspace.dir('queries', `${QUERY_ID}.json`), {
      OwnerPid: pid,
      QueryExecutionId: QUERY_ID,
      Query: 'SELECT 1',
      Status: { State: 'RUNNING', SubmissionDateTime: submitted },
    });
    return athena;
  }

  it('stays RUNNING while the process that runs it is alive, and FAILED once it is gone', async () => {
    const other = await liveProcess();
    const athena = await leftRunning(other.pid);

    const running = await athena.getQueryExecution({ QueryExecutionId: QUERY_ID });
    other.kill('SIGKILL');
    await once(other, 'exit');
    const after = await athena.getQueryExecution({ QueryExecutionId: QUERY_ID });

    expect(running.QueryExecution?.Status?.State).toBe('RUNNING');
    expect(running.QueryExecution).not.toHaveProperty('OwnerPid');
    expect(after.QueryExecution?.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: expect.stringMatching(/stopped/),
    });
  });
});
