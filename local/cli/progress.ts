// Shows an execution while it runs: each top-level state as it starts and ends with its duration, retries
// and caught errors, and a live indicator on long stages (a ticking line on a terminal, a line every 10 s
// in a log). States inside a Map are folded into their Map, with a count of iterations.
import type { HistoryEvent } from '../sfn/execution-store';
import { type CliIo, formatDuration } from './cli-io';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class ProgressView {
  private readonly started = new Map<string, number>();
  private ticker: NodeJS.Timeout | undefined;
  private current: { label: string; since: number } | undefined;
  private frame = 0;
  private lastLogged = 0;

  constructor(
    private readonly io: CliIo,
    private readonly logEveryMs = 10_000,
  ) {}

  private clearLine(): void {
    if (this.io.interactive && this.current) process.stderr.write('\r\x1b[2K');
  }

  private startTicker(label: string): void {
    this.current = { label, since: Date.now() };
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

  stop(): void {
    this.clearLine();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.current = undefined;
  }

  /** Feed it every history event of one execution. */
  onEvent(execution: string, event: HistoryEvent): void {
    if (event.index !== undefined || !event.state) return;
    const key = `${execution}/${event.state}`;
    const at = Date.parse(event.timestamp);
    const label = `${event.state}`;
    this.clearLine();
    switch (event.type) {
      case 'StateEntered':
        this.started.set(key, at);
        if (event.stateType === 'Task' || event.stateType === 'Map' || event.stateType === 'Wait') {
          this.io.progress(`  ▶ ${label}`);
          this.startTicker(label);
        }
        break;
      case 'StateExited': {
        const began = this.started.get(key);
        if (event.stateType === 'Task' || event.stateType === 'Map' || event.stateType === 'Wait') {
          this.io.progress(`  ✓ ${label} ${formatDuration(began === undefined ? undefined : at - began)}`);
        }
        if (this.current?.label === label) this.current = undefined;
        break;
      }
      case 'StateRetried':
        this.io.progress(`  ↻ ${label} retry ${event.retryAttempt ?? ''}`.trimEnd());
        break;
      case 'StateFailed':
      case 'StateCaught':
        this.io.progress(`  ✗ ${label} ${event.error ?? ''}${event.cause ? `: ${oneLine(event.cause)}` : ''}`);
        if (this.current?.label === label) this.current = undefined;
        break;
      default:
        break;
    }
  }
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
