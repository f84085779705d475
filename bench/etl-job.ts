// Benchmark (not a test): the customer-analytics job alone on the twin's DuckDB runner over generated raw
// transactions. Reports wall time per step and in total, rows per output, and peak RSS of this process (the
// runner's DuckDB lives in it). The data is generated once into bench/out/ and reused.
//
//   node bin/run-ts.cjs bench/etl-job.ts [--rows 10000000] [--threads 2] [--memory 2GB]
import { link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateTransactionsFile, TRANSACTION_COLUMNS } from '../local/generate/transactions';
import { LocalGlueCatalog } from '../local/glue/catalog/catalog';
import { JobBookmarks } from '../local/glue/jobs/job-bookmarks';
import { loadManifest } from '../local/glue/jobs/job-manifest';
import { executeJobRun } from '../local/glue/jobs/job-runner';
import { Workspace } from '../local/workspace';
import { calibrationSeconds } from './calibrate';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? fallback;
}

const rows = Number(option('rows', '10000000'));
const threads = Number(option('threads', '2'));
const memory = option('memory', '2GB');
const OUT = path.resolve(__dirname, 'out');
const DATABASE = 'bench';
const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const data = path.join(OUT, `transactions-${rows}.csv`);
  if (!(await exists(data))) {
    const started = Date.now();
    const generated = await generateTransactionsFile(data, { rows, seed: 7 });
    console.log(
      `generated ${generated.rows} rows (${Math.round(generated.bytes / 1e6)} MB) in ${Date.now() - started} ms`,
    );
  }
  const home = await mkdtemp(path.join(OUT, 'etl-job-'));
  try {
    const workspace = await Workspace.open(home);
    const catalog = new LocalGlueCatalog(workspace);
    const raw = workspace.dir('buckets', 'lakepipe-raw', 'transactions');
    await mkdir(raw, { recursive: true });
    // A hard link: the runner lists regular files only, and a copy of a 600 MB file would be timed by nobody.
    await link(data, path.join(raw, 'transactions.csv'));
    await catalog.createDatabase({ DatabaseInput: { Name: DATABASE } });
    await catalog.createTable({
      DatabaseName: DATABASE,
      TableInput: {
        Name: 'transactions',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
        StorageDescriptor: {
          Columns: TRANSACTION_COLUMNS.map((Name) => ({ Name, Type: 'string' })),
          Location: 's3://lakepipe-raw/transactions/',
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: {
            SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
            Parameters: { 'field.delim': ',' },
          },
        },
      },
    });
    // The runner points DuckDB's spill folder at jobs/<job>/staging/<run>/spill, and DuckDB creates only the last
    // level of it; at 10M rows the job spills, so the parent must exist (reported to the runner's owner).
    await mkdir(workspace.dir('jobs', 'customer-analytics', 'staging', 'bench-run'), { recursive: true });
    const manifest = await loadManifest(path.resolve(__dirname, '../datasets/customer_transactions/job.yml'));
    const calibration = await calibrationSeconds(threads);
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const stats = await executeJobRun({
      workspace,
      catalog,
      bookmarks: new JobBookmarks(workspace),
      manifest,
      jobName: 'customer-analytics',
      runId: 'bench-run',
      args: {
        '--database': DATABASE,
        '--source_table': 'transactions',
        '--curated_location': 's3://lakepipe-curated/',
        '--run_id': 'bench-run',
      },
      startedOn: new Date(),
      threads,
      memoryLimit: memory,
    });
    const wall = performance.now() - started;
    console.log(
      `rows read: ${stats.rowsRead} (counted by ${stats.rowsCountedBy}); threads ${threads}; memory_limit ${memory}`,
    );
    for (const [step, ms] of Object.entries(stats.stepMillis)) console.log(`  step ${step}: ${ms} ms`);
    for (const o of stats.outputs) console.log(`  output ${o.table}: ${o.rowsWritten} rows, ${o.files} files`);
    console.log(`job wall time: ${(wall / 1000).toFixed(2)} s (target < 15 s); machine calibration ${calibration} s`);
    console.log(`peak RSS: ${mib(process.resourceUsage().maxRSS)} (before the job: ${mib(rssBefore)})`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
