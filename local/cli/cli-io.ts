// What every CLI command shares: output (text or --json), exit codes, and the usage error.

/** Exit codes: 0 success, 1 the pipeline or execution failed (incl. failed validation), 2 bad usage or input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliIo {
  json: boolean;
  /** Human-readable line on stdout (suppressed with --json). */
  say(line: string): void;
  /** Progress line on stderr, so stdout stays clean for --json and pipes. */
  progress(line: string): void;
  /** Machine-readable result on stdout (only with --json). */
  result(value: unknown): void;
  error(line: string): void;
  /** Whether stderr is a terminal (live indicators only then). */
  interactive: boolean;
}

/** What a command's work gets besides its own arguments and options: the global flags, resolved. */
export interface CommandContext {
  io: CliIo;
  /** The workspace folder (--home). */
  home: string;
}

/** Turns a command's work into a commander action that resolves the global flags and keeps its exit code. */
export type Act = <A extends unknown[]>(
  work: (context: CommandContext, ...args: A) => Promise<ExitCode>,
) => (...args: A) => Promise<void>;

export function processIo(json: boolean): CliIo {
  return {
    json,
    say: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
    progress: (line) => process.stderr.write(`${line}\n`),
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    error: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function parseNumberOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min)
    throw new UsageError(`--${name} must be a number >= ${min}, got "${value}"`);
  return n;
}
