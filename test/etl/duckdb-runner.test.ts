// The customer-analytics job end to end on the twin's DuckDB manifest runner (local/glue/jobs/job-runner.ts): a real
// workspace, the local Glue catalog with a crawled-like CSV source table, bookmarks across two runs, snappy
// Parquet outputs registered in the catalog; then the validations over those outputs with the Trino shim.
// Expected values come from the independent TypeScript model (reference-model.ts).
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDb } from '../../local/duckdb';
import { TRANSACTION_COLUMNS } from '../../local/generate/transactions';
import { LocalGlueCatalog } from '../../local/glue/catalog/catalog';
import { buildTableScan } from '../../local/glue/catalog/table-scan';
import { JobBookmarks } from '../../local/glue/jobs/job-bookmarks';
import { loadManifest } from '../../local/glue/jobs/job-manifest';
import { executeJobRun, type JobRunStats } from '../../local/glue/jobs/job-runner';
import { loadShims, TRINO_COMPAT_SQL } from '../../local/sql/load-shims';
import { Workspace } from '../../local/workspace';
import { JOB_DIR, renderValidation } from './job-harness';
import { customerSegments, type RunResult, readFixture, runModel } from './reference-model';

const FIXTURES = path.resolve(__dirname, '../fixtures/etl');
const DATABASE = 'lakepipe_test';
const RAW = 's3://lakepipe-raw/transactions/';
// The raw layout the generator writes: the columns a customer-transactions file carries.
const COLUMNS = TRANSACTION_COLUMNS;
const RUN_1 = 'customer-analytics-20240401T000000Z-1111111111';
const RUN_2 = 'customer-analytics-20240405T000000Z-2222222222';

let home: string;
let workspace: Workspace;
let catalog: LocalGlueCatalog;
let bookmarks: JobBookmarks;
const stats: JobRunStats[] = [];

async function landFile(fixture: string, key: string): Promise<void> {
  const target = workspace.dir('buckets', 'lakepipe-raw', 'transactions', key);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(path.join(FIXTURES, fixture), target);
}

async function runJob(runId: string, asOf: string): Promise<JobRunStats> {
  const result = await executeJobRun({
    workspace,
    catalog,
    bookmarks,
    manifest: await loadManifest(path.join(JOB_DIR, 'job.yml')),
    jobName: 'customer-analytics',
    runId,
    args: {
      '--database': DATABASE,
      '--source_table': 'transactions',
      '--curated_location': 's3://lakepipe-curated/',
      '--run_id': runId,
      '--as_of': asOf,
    },
    startedOn: new Date(`${asOf}T06:00:00Z`),
    threads: 1,
    memoryLimit: '512MB',
  });
  stats.push(result);
  return result;
}

/** A DuckDB with one view per catalog table in schema DATABASE, like local Athena, and the Trino shim. */
async function openLake(): Promise<DuckDb> {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await loadShims(db.connection, TRINO_COMPAT_SQL);
  await db.run(`CREATE SCHEMA ${DATABASE}`);
  const { TableList = [] } = await catalog.getTables({ DatabaseName: DATABASE });
  for (const table of TableList) {
    const { Partitions = [] } = await catalog.getPartitions({ DatabaseName: DATABASE, TableName: table.Name });
    const { sql } = await buildTableScan(db, workspace, { table, partitions: Partitions });
    await db.run(`CREATE VIEW ${DATABASE}.${table.Name} AS ${sql}`);
  }
  return db;
}

let model1: RunResult;
let model2: RunResult;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'lakepipe-etl-'));
  workspace = await Workspace.open(home);
  catalog = new LocalGlueCatalog(workspace);
  bookmarks = new JobBookmarks(workspace);
  await catalog.createDatabase({ DatabaseInput: { Name: DATABASE } });
  // The table a crawler makes of header CSV files it could not type beyond strings.
  await catalog.createTable({
    DatabaseName: DATABASE,
    TableInput: {
      Name: 'transactions',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
      StorageDescriptor: {
        Columns: COLUMNS.map((Name) => ({ Name, Type: 'string' })),
        Location: RAW,
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        SerdeInfo: {
          SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          Parameters: { 'field.delim': ',' },
        },
      },
    },
  });
  await landFile('run-1-transactions.csv', 'run-1.csv');
  await runJob(RUN_1, '2024-04-01');
  await landFile('run-2-transactions.csv', 'run-2.csv');
  await runJob(RUN_2, '2024-04-05');
  model1 = runModel(readFixture(path.join(FIXTURES, 'run-1-transactions.csv'), `${RAW}run-1.csv`), RUN_1, new Set());
  model2 = runModel(
    readFixture(path.join(FIXTURES, 'run-2-transactions.csv'), `${RAW}run-2.csv`),
    RUN_2,
    new Set(model1.enriched.map((e) => e.transaction_id)),
  );
}, 60_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('customer-analytics on the DuckDB runner', () => {
  it('reads only new files through the bookmark and writes every output', () => {
    // Assess
    expect(stats.map((s) => [s.sourceFiles, s.rowsRead])).toEqual([
      [1, 41],
      [1, 5],
    ]);
    const written = (s: JobRunStats) => Object.fromEntries(s.outputs.map((o) => [o.table, o.rowsWritten]));
    expect(written(stats[0] as JobRunStats)).toMatchObject({
      transactions_enriched: model1.enriched.length,
      rejected_transactions: model1.rejected.length,
      ingest_audit: 1,
    });
    expect(written(stats[1] as JobRunStats)).toMatchObject({
      transactions_enriched: model2.enriched.length,
      rejected_transactions: model2.rejected.length,
    });
  });

  it('registers transactions_enriched partitioned by year and month, including the new month', async () => {
    // Act
    const { Partitions = [] } = await catalog.getPartitions({
      DatabaseName: DATABASE,
      TableName: 'transactions_enriched',
    });
    // Assess
    const expected = new Set([...model1.enriched, ...model2.enriched].map((e) => `${e.year}/${e.month}`));
    expect(new Set(Partitions.map((p) => (p.Values ?? []).join('/')))).toEqual(expected);
  });

  it('leaves enriched rows, lineage and segments as the model says', async () => {
    // Prepare
    const db = await openLake();
    try {
      // Act
      const enriched = await db.queryJson(
        `SELECT transaction_id, transaction_amount, day_of_week, source_file, run_id
         FROM ${DATABASE}.transactions_enriched ORDER BY transaction_id`,
      );
      const segments = await db.queryJson(
        `SELECT customer_id, segment, total_spent FROM ${DATABASE}.customer_segments ORDER BY customer_id`,
      );
      // Assess
      const all = [...model1.enriched, ...model2.enriched].sort((a, b) =>
        a.transaction_id < b.transaction_id ? -1 : 1,
      );
      expect(
        enriched.map((r) => [
          r.transaction_id,
          Math.round(Number(r.transaction_amount) * 100),
          r.day_of_week,
          r.source_file,
          r.run_id,
        ]),
      ).toEqual(all.map((e) => [e.transaction_id, e.cents, e.day_of_week, e.source_file, e.run_id]));
      const expectedSegments = customerSegments(all, '2024-04-05').sort((a, b) =>
        a.customer_id < b.customer_id ? -1 : 1,
      );
      expect(segments.map((r) => [r.customer_id, r.segment, Math.round(Number(r.total_spent) * 100)])).toEqual(
        expectedSegments.map((s) => [s.customer_id, s.segment, s.total_cents]),
      );
    } finally {
      db.close();
    }
  });

  it('passes the validations for run 2, except the rejected share (1 invalid row of 5)', async () => {
    // Prepare
    const db = await openLake();
    try {
      const results: Record<string, unknown> = {};
      for (const name of [
        'rows_written',
        'no_null_keys',
        'amounts_reconcile',
        'one_segment_per_customer',
        'rejected_share',
      ]) {
        const sql = await readFile(
          path.resolve(JOB_DIR, '../../datasets/customer_transactions/validations', `${name}.sql`),
          'utf8',
        );
        // Act
        const rows = await db.queryJson(renderValidation(sql, { database: DATABASE, runId: RUN_2, share: 0.05 }));
        results[name] = rows[0]?.passed;
      }
      // Assess
      expect(results).toEqual({
        rows_written: true,
        no_null_keys: true,
        amounts_reconcile: true,
        one_segment_per_customer: true,
        rejected_share: false,
      });
    } finally {
      db.close();
    }
  });
});
