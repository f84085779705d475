// Shows an execution while it runs: each top-level state as it starts and ends with its duration, retries
// and caught errors, and a live indicator on long stages (a ticking line on a terminal, a line every 10 s
// in a log). States inside a Map are folded into their Map, with a count of iterations.

import { describeFailure } from '../../functions/shared/error-cause';
import type { HistoryEvent } from '../sfn/execution-store';
import { type CliIo, formatDuration } from './cli-io';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class ProgressView {
  private readonly started = new Map<string, number>();
  private readonly visits = new Map<string, number>();
  private readonly pendingDone = new Map<string, number>();
  /** States whose failure was printed, so the failed-caught-exited sequence prints one line and no success. */
  private readonly failed = new Set<string>();
  private ticker: NodeJS.Timeout | undefined;
  private current: { execution: string; label: string; since: number } | undefined;
  private frame = 0;
  private lastLogged = 0;

  constructor(
    private readonly io: CliIo,
    private readonly logEveryMs = 10_000,
  ) {}

  private clearLine(): void {
    if (this.io.interactive && this.current) process.stderr.write('\r\x1b[2K');
  }

  private startTicker(execution: string, label: string): void {
    this.current = { execution, label, since: Date.now() };
    this.lastLogged = Date.now();
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), this.io.interactive ? 100 : 1000);
    this.ticker.unref();
  }

  private tick(): void {
    if (!this.current) return;
    const elapsed = Date.now() - this.current.since;
    if (this.io.interactive) {
      this.frame = (this.frame + 1) % SPINNER.length;
      process.stderr.write(`\r\x1b[2K  ${SPINNER[this.frame]} ${this.current.label} ${formatDuration(elapsed)}`);
    } else if (Date.now() - this.lastLogged >= this.logEveryMs) {
      this.lastLogged = Date.now();
      this.io.progress(`  … ${this.current.label} still running (${formatDuration(elapsed)})`);
    }
  }

  private stopTicker(): void {
    this.clearLine();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.current = undefined;
  }

  stop(): void {
    for (const execution of new Set([...this.pendingDone.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))) {
      this.flush(execution);
    }
    this.stopTicker();
  }

  /** Feed it every history event of one execution. */
  onEvent(execution: string, event: HistoryEvent): void {
    if (event.index !== undefined) return;
    if (!event.state) {
      // The execution ended: its last state is done, and a long-lived process (watch) must not keep ticking it.
      if (/^Execution(Succeeded|Failed|Aborted|Timeout|TimedOut)$/.test(event.type)) {
        this.flush(execution);
        if (this.current?.execution === execution) this.stopTicker();
      }
      return;
    }
    const key = `${execution}/${event.state}`;
    const at = Date.parse(event.timestamp);
    const shown = event.stateType === 'Task' || event.stateType === 'Map';
    this.clearLine();
    // A state is done once the execution moves on to another state: print it then, with all its visits.
    if (event.type === 'StateEntered') {
      for (const [doneKey, end] of this.pendingDone) {
        if (doneKey === key || !doneKey.startsWith(`${execution}/`)) continue;
        if (event.stateType === 'Wait' || event.stateType === 'Choice') continue;
        const name = doneKey.slice(execution.length + 1);
        const visits = this.visits.get(doneKey) ?? 1;
        const began = this.started.get(doneKey) ?? end;
        this.io.progress(`  ✓ ${name}${visits > 1 ? ` (${visits} checks)` : ''} ${formatDuration(end - began)}`);
        this.pendingDone.delete(doneKey);
      }
    }
    switch (event.type) {
      case 'StateEntered': {
        this.failed.delete(key);
        const visits = (this.visits.get(key) ?? 0) + 1;
        this.visits.set(key, visits);
        if (!this.started.has(key)) this.started.set(key, at);
        // A loop (the crawler poll) prints its first visit; later ones only move the live line.
        if (shown && visits === 1) this.io.progress(`  ▶ ${event.state}`);
        if (shown) this.startTicker(execution, visits > 1 ? `${event.state} (check ${visits})` : event.state);
        else if (event.stateType === 'Wait') this.startTicker(execution, `${event.state}`);
        break;
      }
      case 'StateExited':
        if (shown && !this.failed.has(key)) this.pendingDone.set(key, at);
        break;
      case 'StateRetried':
        this.io.progress(`  ↻ ${event.state} retry ${event.retryAttempt ?? ''}`.trimEnd());
        break;
      case 'StateFailed':
      case 'StateCaught':
        // The engine reports a caught failure twice (failed, then caught) and then exits the state: one line.
        if (!this.failed.has(key)) {
          this.io.progress(`  ✗ ${event.state} ${oneLine(describeFailure(event.error, event.cause))}`);
        }
        this.failed.add(key);
        this.pendingDone.delete(key);
        break;
      default:
        break;
    }
  }

  /** Prints the states that ended but were not reported yet (the last one of an execution). */
  flush(execution: string): void {
    this.clearLine();
    for (const [doneKey, end] of this.pendingDone) {
      if (!doneKey.startsWith(`${execution}/`)) continue;
      const began = this.started.get(doneKey) ?? end;
      this.io.progress(`  ✓ ${doneKey.slice(execution.length + 1)} ${formatDuration(end - began)}`);
      this.pendingDone.delete(doneKey);
    }
  }
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
