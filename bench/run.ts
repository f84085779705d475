// Benchmark (not a test): generated transactions through the whole local pipeline, as `lakepipe run` does
// it: land, arrival Lambda, screen, crawl, job, validations, notification. Prints per-stage times, total
// wall time, rows/s, peak memory and the ratio of the total to one DuckDB scan of the same CSV.
//
//   npm run bench                      # 1 million and 10 million rows
//   npm run bench -- --rows 2000000    # one size
// Generated data is kept in bench/out/ and reused; every run gets a fresh workspace.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
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

const OUT = path.resolve(__dirname, 'out');

/** Peak resident memory of this process so far (the kernel's high-water mark), in MiB. */
function peakRssMiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

async function ensureData(rows: number): Promise<string> {
  const file = path.join(OUT, `pipeline-${rows}`, `transactions-${rows}.csv`);
  const have = await stat(file).catch(() => undefined);
  if (!have) {
    await mkdir(path.dirname(file), { recursive: true });
    const t = Date.now();
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows -> ${file}\n`);
    await generateTransactionsFile(file, { rows, seed: rows, idPrefix: `P${rows}-` });
    process.stderr.write(`  generated in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  return file;
}

async function duckdbScanMs(file: string): Promise<number> {
  return withDuckDb(async (db) => {
    const t = performance.now();
    await db.query(
      `SELECT count(*) AS n, sum(TRY_CAST(transaction_amount AS DECIMAL(18,2))) AS s FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)`,
    );
    return performance.now() - t;
  });
}

async function benchOnce(rows: number) {
  const file = await ensureData(rows);
  const bytes = (await stat(file)).size;
  const scanMs = await duckdbScanMs(file);
  const home = await mkdtemp(path.join(OUT, 'home-'));
  try {
    const twin = await createTwin({ ...defaultSettings(home), asOf: '2025-07-01' });
    const t0 = performance.now();
    const landed = await landFiles(twin, [file]);
    const arrival = await deliverArrivals(twin, landed);
    const [record] = await waitForExecutions(twin, arrival.started);
    const totalMs = performance.now() - t0;
    if (!record) throw new Error('no execution started');
    const summary = await summarize(twin, record);
    return { rows, bytes, scanMs, totalMs, status: record.status, error: record.error, summary, peak: peakRssMiB() };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({ options: { rows: { type: 'string', multiple: true } } });
  const sizes = (values.rows ?? ['1000000', '10000000']).map(Number);
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version}`,
  );
  console.log(`machine calibration: ${await calibrationSeconds()} s (bench/calibrate.ts; lower is faster)`);
  for (const rows of sizes) {
    const r = await benchOnce(rows);
    console.log(
      `\n${rows.toLocaleString('en-US')} rows (${(r.bytes / 1e6).toFixed(0)} MB CSV): ${r.status}${r.error ? ` ${r.error}` : ''}`,
    );
    for (const st of foldStages(r.summary.stages).filter((s) => s.durationMs >= 5)) {
      console.log(
        `  ${st.state.padEnd(22)} ${(st.durationMs / 1000).toFixed(2).padStart(7)} s${st.count > 1 ? `  (${st.count} visits)` : ''}`,
      );
    }
    console.log(`  ${'total (land to notified)'.padEnd(22)} ${(r.totalMs / 1000).toFixed(2).padStart(7)} s`);
    console.log(`  rows/s end to end       ${Math.round(rows / (r.totalMs / 1000)).toLocaleString('en-US')}`);
    console.log(
      `  one DuckDB scan of CSV  ${(r.scanMs / 1000).toFixed(2)} s  (total = ${(r.totalMs / r.scanMs).toFixed(1)}x a scan)`,
    );
    console.log(
      `  peak RSS (VmHWM)        ${r.peak} MiB (this process, DuckDB included; cumulative over sizes run so far)`,
    );
    console.log(
      `  rows read ${r.summary.rowsRead ?? '-'}, rejected ${r.summary.rowsRejected ?? '-'}, validations ${r.summary.validations.map((v) => `${v.name}:${v.passed ? 'ok' : 'FAIL'}`).join(' ')}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
