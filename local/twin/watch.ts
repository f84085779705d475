// `lakepipe watch`: files dropped into the landing folder are picked up once completely written, batched
// like the SQS batching window (the window opens with the first file), landed in the raw bucket and
// delivered to the real start-pipeline handler. Files stay in the landing folder (nothing is deleted);
// landing the same bytes again is recognised, so a restart never processes a file twice.
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { type ArrivalResult, deliverArrivals, landFiles } from './pipeline-run';
import type { Twin } from './twin';

export interface WatchOptions {
  dir: string;
  /** How long to collect arrivals after the first one before delivering them (SQS batching window). */
  batchWindowMs: number;
  /** A file counts as completely written when its size has not changed for this long. */
  stabilityMs?: number;
  onBatch?: (result: ArrivalResult) => void;
  onError?: (error: Error, files: string[]) => void;
}

/** Partial downloads and editor/temp files are never picked up. */
const IGNORED = /(^|[/\\])\.|\.(tmp|part|crdownload|swp)$|~$/;

export class LandingWatcher {
  private watcher: FSWatcher | undefined;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> = Promise.resolve();
  readonly started: string[] = [];

  constructor(
    private readonly twin: Twin,
    private readonly options: WatchOptions,
  ) {}

  async start(): Promise<void> {
    const stability = this.options.stabilityMs ?? 500;
    this.watcher = watch(this.options.dir, {
      ignoreInitial: false,
      ignored: (file) => IGNORED.test(path.basename(file)),
      awaitWriteFinish: { stabilityThreshold: stability, pollInterval: Math.max(20, Math.floor(stability / 5)) },
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
    this.delivering = this.delivering.then(async () => {
      try {
        const result = await deliverArrivals(this.twin, await landFiles(this.twin, files));
        this.started.push(...result.started);
        this.options.onBatch?.(result);
      } catch (error) {
        this.options.onError?.(error as Error, files);
      }
    });
    return this.delivering;
  }

  /** Stops watching; files still waiting in the batching window are delivered first. */
  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await this.flush();
  }
}
