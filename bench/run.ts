// Benchmark (not a test): generated transactions through the whole local pipeline exactly as a user runs it,
// `node bin/lakepipe.cjs run FILE` in its own process, timed from the command's start to its exit. Before each run
// the same file is scanned once in a fresh in-memory DuckDB with default settings (the floor every ratio is taken
// against, measured in the same run). Prints per-stage times, rows/s and the command's peak RSS, then writes the
// table into docs/benchmarks.md.
//
//   npm run bench                                  # 1 million and 10 million rows
//   npm run bench -- --rows 2000000                # one size (repeat --rows or --size for more)
//   npm run bench -- --size 10GB                   # a file of about that size (MB or GB)
//   npm run bench -- --rows 2000000 --against f907668 --rounds 3
//                                                  # alternate with another commit's CLI (checked out in the temp
//                                                  # folder); prints, writes nothing
//   npm run bench -- --no-write                    # print only
// Generated data is kept in bench/out/ and reused; every run gets a fresh workspace.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateTransactionsFile } from '../local/generate/transactions';
import { calibrationSeconds } from './calibrate';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const TABLE_START = '<!-- bench:table:start -->';
const TABLE_END = '<!-- bench:table:end -->';
const STAGE_NAMES = ['ScreenFiles', 'WaitForCrawl', 'RunJob', 'RunValidations'];

interface RunResult {
  /** Which CLI ran: this checkout, or the commit given with --against. */
  side: string;
  rows: number;
  bytes: number;
  status: string;
  scanSeconds: number;
  totalSeconds: number;
  peakRssMiB: number;
  stages: { state: string; seconds: number }[];
  rowsRead?: number;
  validationsPassed: number;
  validations: number;
  error?: string;
}

interface CliSummary {
  status: string;
  stages?: { state: string; durationMs: number }[];
  rowsRead?: number;
  validations?: { passed: boolean }[];
  error?: string;
  cause?: string;
}

/** `10GB`, `500MB` -> bytes. */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(MB|GB)$/i.exec(text.trim());
  if (!m) throw new Error(`--size takes a size such as 500MB or 10GB, not ${JSON.stringify(text)}`);
  return Number(m[1]) * (m[2]?.toUpperCase() === 'GB' ? 1e9 : 1e6);
}

/** Rows that make a file of about `bytes`, from the size of a generated sample. */
async function rowsForSize(bytes: number): Promise<number> {
  const sample = path.join(OUT, 'size-sample.csv');
  const stats = await generateTransactionsFile(sample, { rows: 100_000, seed: 1, idPrefix: 'P1000000000-' });
  await rm(sample, { force: true });
  return Math.round((bytes / stats.bytes) * 100_000);
}

async function ensureData(rows: number): Promise<string> {
  const file = path.join(OUT, `pipeline-${rows}`, `transactions-${rows}.csv`);
  if (await stat(file).catch(() => undefined)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows -> ${file}\n`);
  let shown = 0;
  await generateTransactionsFile(file, { rows, seed: rows, idPrefix: `P${rows}-` }, (done) => {
    if (done - shown >= 10_000_000) {
      shown = done;
      process.stderr.write(`  ${done.toLocaleString('en-US')} rows\n`);
    }
  });
  return file;
}

/** The floor: one scan of the file in a fresh in-memory DuckDB with default settings, in its own process. */
function oneScanSeconds(file: string): number {
  const script = `
    const { DuckDBInstance } = require('@duckdb/node-api');
    (async () => {
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      const started = performance.now();
      await c.run("SELECT count(*), sum(length(customer_id)) FROM read_csv('" + process.argv[1].replace(/'/g, "''") + "')");
      console.log((performance.now() - started) / 1000);
    })();`;
  return Number(execFileSync(process.execPath, ['-e', script, file], { cwd: ROOT, encoding: 'utf8' }).trim());
}

/** Runs `node bin/lakepipe.cjs run FILE --json` of the checkout at `root`; wall time and peak RSS of that process. */
async function runCli(root: string, file: string): Promise<{ seconds: number; peakRssMiB: number; out: string }> {
  const home = await mkdtemp(path.join(OUT, 'home-'));
  try {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin', 'lakepipe.cjs'), 'run', file, '--json', '--home', home],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let progress = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    // Progress goes to stderr; shown only when the command fails.
    child.stderr.on('data', (chunk: Buffer) => {
      progress = (progress + chunk.toString('utf8')).slice(-20_000);
    });
    // VmHWM is the kernel's high-water mark of the process: the last reading before exit is its peak, give or take
    // what it reached in its last 50 ms.
    let peakKiB = 0;
    const sample = setInterval(() => {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('VmHWM:'));
        peakKiB = Math.max(peakKiB, Number(line?.replace(/\D+/g, '') ?? 0));
      } catch {
        // The process has ended.
      }
    }, 50);
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    clearInterval(sample);
    const seconds = (performance.now() - started) / 1000;
    if (code > 1) throw new Error(`lakepipe run exited ${code}:\n${progress}`);
    return { seconds, peakRssMiB: Math.round(peakKiB / 1024), out };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function benchOnce(side: string, root: string, rows: number): Promise<RunResult> {
  const file = await ensureData(rows);
  const bytes = (await stat(file)).size;
  const scanSeconds = oneScanSeconds(file);
  const { seconds, peakRssMiB, out } = await runCli(root, file);
  const [summary] = JSON.parse(out) as CliSummary[];
  if (!summary) throw new Error('lakepipe run printed no execution');
  const stages = new Map<string, number>();
  // A state that ran more than once (CheckCatalog around a crawl) counts with all its runs.
  for (const s of summary.stages ?? []) stages.set(s.state, (stages.get(s.state) ?? 0) + s.durationMs / 1000);
  return {
    side,
    rows,
    bytes,
    status: summary.status,
    scanSeconds,
    totalSeconds: seconds,
    peakRssMiB,
    stages: [...stages].map(([state, s]) => ({ state, seconds: s })),
    rowsRead: summary.rowsRead,
    validationsPassed: (summary.validations ?? []).filter((v) => v.passed).length,
    validations: (summary.validations ?? []).length,
    ...(summary.status === 'SUCCEEDED' ? {} : { error: `${summary.error ?? ''} ${summary.cause ?? ''}`.trim() }),
  };
}

const seconds = (s: number) => s.toFixed(2);

function tableOf(results: RunResult[], withSide = false): string {
  const header = [
    `| ${withSide ? 'CLI | ' : ''}rows | CSV | status | command start to exit | one scan | ratio | rows/s | peak RSS | ` +
      `${STAGE_NAMES.join(' | ')} | validations |`,
    `|${withSide ? '---|' : ''}---:|---:|---|---:|---:|---:|---:|---:|${STAGE_NAMES.map(() => '---:|').join('')}---|`,
  ];
  const rows = results.map((r) => {
    const stage = (name: string) => {
      const found = r.stages.find((s) => s.state === name);
      return found ? `${seconds(found.seconds)} s` : '-';
    };
    return [
      ...(withSide ? [r.side] : []),
      r.rows.toLocaleString('en-US'),
      `${(r.bytes / 1e6).toFixed(0)} MB`,
      r.status,
      `${seconds(r.totalSeconds)} s`,
      `${seconds(r.scanSeconds)} s`,
      `${(r.totalSeconds / r.scanSeconds).toFixed(1)}x`,
      Math.round(r.rows / r.totalSeconds).toLocaleString('en-US'),
      `${r.peakRssMiB} MiB`,
      ...STAGE_NAMES.map(stage),
      `${r.validationsPassed}/${r.validations} passed`,
    ].join(' | ');
  });
  return [...header, ...rows.map((r) => `| ${r} |`)].join('\n');
}

/** Replaces the table between the markers in docs/benchmarks.md, leaving the prose around it. */
async function writeTable(table: string, machine: string): Promise<void> {
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${TABLE_START} ... ${TABLE_END} block`);
  const block = `${TABLE_START}\n${machine}\n\n${table}\n${TABLE_END}`;
  await writeFile(DOC, doc.slice(0, start) + block + doc.slice(end + TABLE_END.length));
}

/** A checkout of `commit` in the temp folder, sharing this repository's node_modules, for --against. */
function checkoutOf(commit: string): string {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  // Outside the repository, so neither the type checker nor jest sees another commit's sources.
  const dir = path.join(os.tmpdir(), `lakepipe-bench-${sha.slice(0, 12)}`);
  if (!existsSync(dir)) {
    execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: ROOT, stdio: 'ignore' });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', multiple: true },
      size: { type: 'string', multiple: true },
      against: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'no-write': { type: 'boolean' },
    },
  });
  const sizes = [
    ...(values.rows ?? []).map(Number),
    ...(await Promise.all((values.size ?? []).map((s) => rowsForSize(parseSize(s))))),
  ];
  if (sizes.length === 0) sizes.push(1_000_000, 10_000_000);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rows takes a whole number of rows');
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number');
  const cpus = os.cpus();
  const machine =
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
    `Node ${process.version}; machine calibration ${await calibrationSeconds()} s (bench/calibrate.ts, lower is faster).`;
  console.log(machine);

  if (values.against) {
    const base = checkoutOf(values.against);
    for (const rows of sizes) {
      const results: RunResult[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const [side, root] of [
          [values.against, base],
          ['this checkout', ROOT],
        ] as const) {
          const r = await benchOnce(side, root, rows);
          results.push(r);
          console.log(`${side}: ${seconds(r.totalSeconds)} s (${r.status})`);
        }
      }
      console.log(`\n${tableOf(results, true)}`);
      const [a, b] = [values.against, 'this checkout'].map((side) =>
        median(results.filter((r) => r.side === side).map((r) => r.totalSeconds)),
      ) as [number, number];
      console.log(
        `\nmedian: ${values.against} ${seconds(a)} s, this checkout ${seconds(b)} s (${(b / a).toFixed(3)}x)`,
      );
    }
    return;
  }

  const results: RunResult[] = [];
  for (const rows of sizes) {
    const r = await benchOnce('this checkout', ROOT, rows);
    results.push(r);
    console.log(`\n${tableOf([r])}`);
    if (r.error) console.log(`  error: ${r.error}`);
  }
  if (!values['no-write']) {
    await writeTable(tableOf(results), machine);
    console.log(`\nwrote the table into ${path.relative(ROOT, DOC)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
