// `lakepipe watch`: files dropped into the landing folder are picked up once completely written, batched
// like the SQS batching window (the window opens with the first file), landed in the raw bucket one by one
// and delivered to the real start-pipeline handler. Files stay in the landing folder (nothing is deleted);
// landing the same bytes again is recognised, so a restart never processes a file twice.
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { errorMessage, hasErrorName } from '../../functions/shared/errors';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import type { LandedObject } from './arrival-events';
import { type ArrivalResult, deliverArrivals, landFiles } from './pipeline-run';
import type { Twin } from './twin';

/** Long enough for a writer that pauses between pieces (a copy over a network share, a slow export). */
export const DEFAULT_SETTLE_MS = 3000;

export interface WatchOptions {
  dir: string;
  /** The dataset whose raw prefix the files land under; default: the twin's default dataset. */
  plan?: Pick<DatasetPlan, 'prefix'>;
  /** How long to collect arrivals after the first one before delivering them (SQS batching window). */
  batchWindowMs: number;
  /** A file counts as completely written when its size has not changed for this long. */
  stabilityMs?: number;
  onBatch?: (result: ArrivalResult) => void;
  /** A file that cannot be landed; called once per file and reason, the file is then left alone. */
  onRejected?: (file: string, reason: string) => void;
  /** The landed files could not be delivered. */
  onError?: (error: Error, files: string[]) => void;
}

/**
 * Names a writer uses while a file is incomplete, so writing under one of them and renaming is the safe way
 * to write slowly: hidden (`.`) and `_` names, partial downloads, editor swap and backup files.
 */
const IGNORED = /^[._]|\.(tmp|part|crdownload|swp)$|~$/i;

export function isIgnoredName(name: string): boolean {
  return IGNORED.test(name);
}

/** Why a file was not landed, in words a user acts on. */
function rejection(error: unknown): string {
  // The raw bucket refuses other bytes under a key already landed: loading them again would load the file twice.
  if (hasErrorName(error, 'PreconditionFailed')) return 'changed after it was landed; land it under a new name';
  return errorMessage(error);
}

export class LandingWatcher {
  private watcher: FSWatcher | undefined;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> = Promise.resolve();
  /** The reason each rejected file was last reported with, so a file is reported once, not on every change. */
  private readonly rejected = new Map<string, string>();
  readonly started: string[] = [];

  constructor(
    private readonly twin: Twin,
    private readonly options: WatchOptions,
  ) {}

  async start(): Promise<void> {
    const stability = this.options.stabilityMs ?? DEFAULT_SETTLE_MS;
    const dir = path.resolve(this.options.dir);
    this.watcher = watch(dir, {
      ignoreInitial: false,
      // Only names inside the folder: the folder itself may have any name.
      ignored: (file) => path.resolve(file) !== dir && isIgnoredName(path.basename(file)),
      awaitWriteFinish: {
        stabilityThreshold: stability,
        pollInterval: Math.max(20, Math.min(500, Math.floor(stability / 5))),
      },
      depth: 0,
    });
    this.watcher.on('add', (file) => this.arrive(file));
    this.watcher.on('change', (file) => this.arrive(file));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
  }

  private arrive(file: string): void {
    this.pending.add(file);
    this.timer ??= setTimeout(() => this.flush(), this.options.batchWindowMs);
  }

  /** Delivers what has arrived so far (one batch at a time, in arrival order). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const files = [...this.pending];
    this.pending.clear();
    if (files.length === 0) return this.delivering;
    this.delivering = this.delivering.then(() => this.deliver(files));
    return this.delivering;
  }

  /** Lands each file on its own, so a bad file never holds back the others, and delivers the landed ones. */
  private async deliver(files: string[]): Promise<void> {
    const landed: LandedObject[] = [];
    for (const file of files) {
      try {
        landed.push(...(await landFiles(this.twin, [file], new Date(), this.options.plan)));
        this.rejected.delete(file);
      } catch (error) {
        const reason = rejection(error);
        if (this.rejected.get(file) === reason) continue;
        this.rejected.set(file, reason);
        this.options.onRejected?.(file, reason);
      }
    }
    if (landed.length === 0) return;
    try {
      const result = await deliverArrivals(this.twin, landed);
      this.started.push(...result.started);
      this.options.onBatch?.(result);
    } catch (error) {
      this.options.onError?.(
        error as Error,
        landed.map((l) => l.key),
      );
    }
  }

  /** Stops watching; files still waiting in the batching window are delivered first. */
  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await this.flush();
  }
}
