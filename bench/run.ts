// Benchmark (not a test): generated transactions through the whole local pipeline, as `lakepipe run` does it:
// land, arrival Lambda, screen, crawl, job, validations, notification. Each size runs in its own process, so its
// peak RSS is its own. Prints per-stage times, wall time, rows/s, peak memory and the ratio of the wall time to one
// DuckDB scan of the same CSV timed in the same process, then writes the table into docs/benchmarks.md.
//
//   npm run bench                      # 1 million and 10 million rows
//   npm run bench -- --rows 2000000    # one size (repeat --rows for more)
//   npm run bench -- --no-write        # print only
// Generated data is kept in bench/out/ and reused; every run gets a fresh workspace.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sqlString } from '../functions/shared/sql-literal';
import { withDuckDb } from '../local/duckdb';
import { generateTransactionsFile } from '../local/generate/transactions';
import { defaultSettings } from '../local/twin/config';
import { deliverArrivals, landFiles, waitForExecutions } from '../local/twin/pipeline-run';
import { foldStages, summarize } from '../local/twin/summary';
import { createTwin } from '../local/twin/twin';
import { calibrationSeconds } from './calibrate';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const TABLE_START = '<!-- bench:table:start -->';
const TABLE_END = '<!-- bench:table:end -->';

interface SizeResult {
  rows: number;
  bytes: number;
  status: string;
  error?: string;
  scanSeconds: number;
  totalSeconds: number;
  peakRssMiB: number;
  stages: { state: string; seconds: number }[];
  rowsRead?: number;
  validationsPassed: number;
  validations: number;
}

/** Peak resident memory of this process so far (the kernel's high-water mark), in MiB. */
function peakRssMiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

async function ensureData(rows: number): Promise<string> {
  const file = path.join(OUT, `pipeline-${rows}`, `transactions-${rows}.csv`);
  if (await stat(file).catch(() => undefined)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows -> ${file}\n`);
  await generateTransactionsFile(file, { rows, seed: rows, idPrefix: `P${rows}-` });
  return file;
}

/** The floor every ratio is taken against: one scan of the file in a fresh in-memory DuckDB, default settings. */
async function oneScanSeconds(file: string): Promise<number> {
  return withDuckDb(async (db) => {
    const started = performance.now();
    await db.query(`SELECT count(*), sum(length(customer_id)) FROM read_csv(${sqlString(file)})`);
    return (performance.now() - started) / 1000;
  });
}

/** One size, in this process: the child side of the benchmark. */
async function benchOneSize(rows: number): Promise<SizeResult> {
  const file = await ensureData(rows);
  const bytes = (await stat(file)).size;
  const scanSeconds = await oneScanSeconds(file);
  const home = await mkdtemp(path.join(OUT, 'home-'));
  try {
    const twin = await createTwin({ ...defaultSettings(home), asOf: '2025-07-01' });
    const started = performance.now();
    const landed = await landFiles(twin, [file]);
    const arrival = await deliverArrivals(twin, landed);
    const [record] = await waitForExecutions(twin, arrival.started);
    const totalSeconds = (performance.now() - started) / 1000;
    if (!record) throw new Error('no execution started');
    const summary = await summarize(twin, record);
    return {
      rows,
      bytes,
      status: record.status,
      error: record.error,
      scanSeconds,
      totalSeconds,
      peakRssMiB: peakRssMiB(),
      stages: foldStages(summary.stages).map((s) => ({ state: s.state, seconds: s.durationMs / 1000 })),
      rowsRead: summary.rowsRead,
      validationsPassed: summary.validations.filter((v) => v.passed).length,
      validations: summary.validations.length,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Runs one size in a child process and reads its result line. */
function benchInChild(rows: number): SizeResult {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'run-ts.cjs'), path.join(ROOT, 'bench', 'run.ts'), '--child', String(rows)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as SizeResult;
}

const seconds = (s: number) => s.toFixed(2);
const STAGE_NAMES = ['ScreenFiles', 'CheckCatalog', 'WaitForCrawl', 'RunJob', 'RunValidations'];

function tableOf(results: SizeResult[]): string {
  const header = [
    '| rows | CSV | status | land to notified | one scan | ratio | rows/s | peak RSS | ' +
      `${STAGE_NAMES.join(' | ')} | validations |`,
    `|---:|---:|---|---:|---:|---:|---:|---:|${STAGE_NAMES.map(() => '---:|').join('')}---|`,
  ];
  const rows = results.map((r) => {
    const stage = (name: string) => {
      const found = r.stages.find((s) => s.state === name);
      return found ? `${seconds(found.seconds)} s` : '-';
    };
    return [
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

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', multiple: true },
      child: { type: 'string' },
      'no-write': { type: 'boolean' },
    },
  });
  if (values.child) {
    console.log(JSON.stringify(await benchOneSize(Number(values.child))));
    return;
  }
  const sizes = (values.rows ?? ['1000000', '10000000']).map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rows takes a whole number of rows');
  const cpus = os.cpus();
  const machine =
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
    `Node ${process.version}; machine calibration ${await calibrationSeconds()} s (bench/calibrate.ts, lower is faster).`;
  console.log(machine);
  const results: SizeResult[] = [];
  for (const rows of sizes) {
    const r = benchInChild(rows);
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
