// The cross-process lock on a workspace: a process holds it while it runs any execution, so two lakepipe
// processes on one --home never run the crawler, the job or the validations over each other's half-written
// files. Executions of one process share the lock (counted); another process waits for it, and says so.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';
import { hasErrorCode } from '../../functions/shared/errors';
import { processIsAlive } from '../interrupted-runs';
import type { Workspace } from '../workspace';

/** A lock whose holder stopped refreshing it for this long (killed, crashed) is taken over. */
const STALE_MS = 20_000;
const UPDATE_MS = 4_000;
const RETRY_MS = 200;

export interface WorkspaceLockOptions {
  staleMs?: number;
  retryMs?: number;
}

export class WorkspaceLock {
  private holders = 0;
  private acquiring: Promise<void> | undefined;
  private release: (() => Promise<void>) | undefined;
  private readonly waitListeners = new Set<(pid: number | undefined) => void>();
  private readonly target: string;
  private readonly staleMs: number;
  private readonly updateMs: number;
  private readonly ownerFile: string;

  constructor(
    workspace: Workspace,
    private readonly options: WorkspaceLockOptions = {},
  ) {
    this.target = workspace.dir('executions');
    this.staleMs = options.staleMs ?? STALE_MS;
    this.updateMs = Math.min(UPDATE_MS, this.staleMs / 2);
    this.ownerFile = path.join(workspace.home, 'executions.lock.pid');
  }

  /** Calls `listener` with the holder's pid whenever this process starts waiting for another one. */
  onWait(listener: (pid: number | undefined) => void): () => void {
    this.waitListeners.add(listener);
    return () => this.waitListeners.delete(listener);
  }

  /** Takes the lock for one execution; resolves once this process holds it. Rejects when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    this.holders++;
    try {
      this.acquiring ??= this.take().finally(() => {
        this.acquiring = undefined;
      });
      await untilAborted(this.acquiring, signal);
    } catch (error) {
      this.holders--;
      await this.releaseIfIdle();
      throw error;
    }
  }

  /** Gives back one execution's share; the last one releases the lock for other processes. */
  async releaseOne(): Promise<void> {
    this.holders--;
    await this.releaseIfIdle();
  }

  private async releaseIfIdle(): Promise<void> {
    if (this.holders > 0 || !this.release) return;
    const release = this.release;
    this.release = undefined;
    await rm(this.ownerFile, { force: true });
    await release().catch(() => undefined);
  }

  /** Retries until the lock is free; stops when every execution that wanted it gave up waiting. */
  private async take(): Promise<void> {
    let told = false;
    while (!this.release && this.holders > 0) {
      try {
        this.release = await lock(this.target, {
          realpath: false,
          stale: this.staleMs,
          update: this.updateMs,
          // Another process took over a lock this one failed to refresh: nothing to undo, the next run waits.
          onCompromised: () => {
            this.release = undefined;
          },
        });
        await writeFile(this.ownerFile, String(process.pid));
        await this.releaseIfIdle();
        return;
      } catch (error) {
        if (!hasErrorCode(error, 'ELOCKED')) throw error;
      }
      const pid = await this.holderPid();
      if (await this.heldByDeadProcess(pid)) continue;
      if (!told) {
        told = true;
        for (const listener of this.waitListeners) listener(pid);
      }
      await sleep(this.options.retryMs ?? RETRY_MS);
    }
  }

  /**
   * A holder that was killed stops refreshing the lock; once its process is gone and the lock has missed a refresh,
   * the lock is removed at once rather than after the stale time. A holder that has just taken the lock has a fresh
   * lock and may not have written its pid yet, so a dead pid alone is not enough.
   */
  private async heldByDeadProcess(pid: number | undefined): Promise<boolean> {
    if (pid === undefined || processIsAlive(pid)) return false;
    const lockDir = `${this.target}.lock`;
    const refreshed = await stat(lockDir).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (refreshed === undefined || Date.now() - refreshed < this.updateMs * 1.5) return false;
    await rm(lockDir, { recursive: true, force: true });
    await rm(this.ownerFile, { force: true });
    return true;
  }

  private async holderPid(): Promise<number | undefined> {
    const text = await readFile(this.ownerFile, 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }
}

/** `promise`, or the abort reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
