import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkspaceLock } from '../../../local/sfn/workspace-lock';
import { Workspace } from '../../../local/workspace';

// Two WorkspaceLock objects on one workspace stand for two processes: proper-lockfile's lock is a folder,
// which a second holder cannot create whether it lives in this process or another.
async function twoHolders() {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-lock-')));
  const options = { retryMs: 20 };
  return { workspace, first: new WorkspaceLock(workspace, options), second: new WorkspaceLock(workspace, options) };
}

/** Whether `promise` settles within `ms`; it keeps running either way. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('WorkspaceLock', () => {
  it('is held once per process for all its executions, and another holder waits for the last one, told the pid', async () => {
    // Prepare
    const { first, second } = await twoHolders();
    const waits: (number | undefined)[] = [];
    second.onWait((pid) => waits.push(pid));
    await first.acquire();
    await first.acquire();

    // Act
    const secondTakes = second.acquire();
    const whileBoth = await settledWithin(secondTakes, 300);
    await first.releaseOne();
    const whileOne = await settledWithin(secondTakes, 300);
    await first.releaseOne();
    const afterBoth = await settledWithin(secondTakes, 2_000);

    // Assess
    expect([whileBoth, whileOne, afterBoth]).toEqual([false, false, true]);
    expect(waits).toEqual([process.pid]);
    await second.releaseOne();
  });

  it('takes over a lock whose holder stopped refreshing it (a killed process)', async () => {
    // Prepare: the lock folder of a process that died 10 s ago.
    const { workspace } = await twoHolders();
    const left = path.join(workspace.home, 'executions.lock');
    await mkdir(left);
    const old = new Date(Date.now() - 10_000);
    await utimes(left, old, old);
    const lock = new WorkspaceLock(workspace, { staleMs: 2_000, retryMs: 20 });

    // Act
    const taken = await settledWithin(lock.acquire(), 3_000);

    // Assess
    expect(taken).toBe(true);
    await lock.releaseOne();
  });

  it('takes over at once, well before the stale time, a lock whose recorded holder process is gone', async () => {
    // Prepare: a lock left 10 s ago by a process that has exited, with its pid recorded.
    const { workspace } = await twoHolders();
    const left = path.join(workspace.home, 'executions.lock');
    await mkdir(left);
    const old = new Date(Date.now() - 10_000);
    await utimes(left, old, old);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(workspace.home, 'executions.lock.pid'), String(gone));
    const lock = new WorkspaceLock(workspace, { staleMs: 60_000, retryMs: 20 });
    const waits: (number | undefined)[] = [];
    lock.onWait((pid) => waits.push(pid));

    // Act
    const taken = await settledWithin(lock.acquire(), 2_000);

    // Assess
    expect(taken).toBe(true);
    expect(waits).toEqual([]);
    await lock.releaseOne();
  });

  it('stops waiting when the execution is aborted, and leaves the lock usable', async () => {
    // Prepare
    const { first, second } = await twoHolders();
    await first.acquire();
    const abort = new AbortController();

    // Act
    const waiting = second.acquire(abort.signal);
    abort.abort();
    const outcome = await waiting.then(
      () => 'acquired',
      () => 'rejected',
    );
    await first.releaseOne();
    const later = await settledWithin(second.acquire(), 2_000);

    // Assess
    expect(outcome).toBe('rejected');
    expect(later).toBe(true);
    await second.releaseOne();
  });
});
