// Each validation query passes on good data and fails on data made to break it. The job runs on DuckDB with the
// Spark shim; the validations run on the same tables with the Trino shim, after placeholder substitution.
import path from 'node:path';
import { DuckDb } from '../../local/duckdb';
import { prepareDatabase, runJob, runValidation, sourceFromCsv } from './job-harness';

const FIXTURES = path.resolve(__dirname, '../fixtures/etl');
const RUN_ID = 'customer-analytics-20240401T000000Z-cccccccccc';

/** A fresh database after one run of the job over `fixture`. */
async function afterRun(fixture: string, runId = RUN_ID): Promise<DuckDb> {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await prepareDatabase(db);
  await sourceFromCsv(db, [{ file: path.join(FIXTURES, fixture), uri: `s3://lakepipe-raw/transactions/${fixture}` }]);
  await runJob(db, { runId, asOf: '2024-04-01' });
  return db;
}

let good: DuckDb;
beforeAll(async () => {
  // 22 rows, one invalid (4.5 % rejected), no duplicates
  good = await afterRun('good-transactions.csv');
});
afterAll(() => good.close());

describe('on good data', () => {
  it.each(['rows_written', 'no_null_keys', 'amounts_reconcile', 'one_segment_per_customer', 'rejected_share'])(
    '%s passes',
    async (name) => {
      // Act
      const result = await runValidation(good, name, RUN_ID);
      // Assess
      expect(result.passed).toBe(true);
    },
  );

  it('reports the details an operator needs', async () => {
    // Act
    const rows = await runValidation(good, 'rows_written', RUN_ID);
    const share = await runValidation(good, 'rejected_share', RUN_ID);
    // Assess
    expect(rows).toEqual({ passed: true, rows_in: '22', rows_out: '21', rejected: '1', duplicates: '0', note: null });
    expect(share).toMatchObject({ passed: true, rejected_share: 0.0455, rejected: '1', rows_in: '22' });
  });
});

describe('on broken data', () => {
  let db: DuckDb;
  beforeEach(async () => {
    db = await afterRun('good-transactions.csv');
  });
  afterEach(() => db.close());

  it('rows_written fails when the run wrote nothing (every id already loaded)', async () => {
    // Prepare: the same file again under a new run id: every row is a duplicate of run 1
    const rerun = 'customer-analytics-20240402T000000Z-dddddddddd';
    await sourceFromCsv(db, [
      { file: path.join(FIXTURES, 'good-transactions.csv'), uri: 's3://lakepipe-raw/transactions/again.csv' },
    ]);
    await runJob(db, { runId: rerun, asOf: '2024-04-02' });
    // Act
    const result = await runValidation(db, 'rows_written', rerun);
    // Assess
    expect(result).toEqual({
      passed: false,
      rows_in: '22',
      rows_out: '0',
      rejected: '1',
      duplicates: '21',
      note: null,
    });
  });

  it('rows_written passes, with a note, when an earlier run had already read every file (nothing new to read)', async () => {
    // Prepare: a run with no new source files, as when an overlapping execution's job took them first
    const late = 'customer-analytics-20240402T000000Z-eeeeeeeeee';
    await db.run('CREATE OR REPLACE TEMP TABLE source AS SELECT * FROM source WHERE false');
    await db.run('CREATE OR REPLACE TEMP TABLE source_files AS SELECT * FROM source_files WHERE false');
    await runJob(db, { runId: late, asOf: '2024-04-02' });
    // Act
    const result = await runValidation(db, 'rows_written', late);
    // Assess
    expect(result).toEqual({
      passed: true,
      rows_in: '0',
      rows_out: '0',
      rejected: '0',
      duplicates: '0',
      note: 'no new rows: an earlier run read these files (job bookmark)',
    });
  });

  it('rows_written passes, with a note that says so, when the run read only files without data rows', async () => {
    // Prepare: a run whose one file holds a header and no rows
    const empty = 'customer-analytics-20240402T000000Z-ffffffffff';
    await db.run('CREATE OR REPLACE TEMP TABLE source AS SELECT * FROM source WHERE false');
    await db.run(
      "CREATE OR REPLACE TEMP TABLE source_files AS SELECT 's3://lakepipe-raw/transactions/header-only.csv' AS source_file",
    );
    await runJob(db, { runId: empty, asOf: '2024-04-02' });
    // Act
    const result = await runValidation(db, 'rows_written', empty);
    const audit = await db.queryJson(`SELECT source_file, rows_in FROM lake.ingest_audit WHERE run_id = '${empty}'`);
    // Assess
    expect(audit).toEqual([{ source_file: 's3://lakepipe-raw/transactions/header-only.csv', rows_in: '0' }]);
    expect(result).toEqual({
      passed: true,
      rows_in: '0',
      rows_out: '0',
      rejected: '0',
      duplicates: '0',
      note: 'no rows: the files this run read hold no data rows',
    });
  });

  it('no_null_keys fails on a NULL customer id in this run, and on a NULL segment', async () => {
    // Prepare
    await db.run(`UPDATE lake.transactions_enriched SET customer_id = NULL WHERE transaction_id = 'G001'`);
    // Act
    const enrichedBroken = await runValidation(db, 'no_null_keys', RUN_ID);
    await db.run(`UPDATE lake.transactions_enriched SET customer_id = 'C001' WHERE transaction_id = 'G001'`);
    await db.run(`UPDATE lake.customer_segments SET segment = NULL WHERE customer_id = 'C002'`);
    const segmentsBroken = await runValidation(db, 'no_null_keys', RUN_ID);
    // Assess
    expect(enrichedBroken).toMatchObject({ passed: false, null_customer_ids: '1' });
    expect(segmentsBroken).toMatchObject({ passed: false, null_customer_ids: '0', null_segment_keys: '1' });
  });

  it('amounts_reconcile fails when an amount is off by one cent, and when a written row is lost', async () => {
    // Prepare
    await db.run(
      `UPDATE lake.transactions_enriched SET transaction_amount = transaction_amount + 0.01 WHERE transaction_id = 'G002'`,
    );
    // Act
    const centOff = await runValidation(db, 'amounts_reconcile', RUN_ID);
    await db.run(
      `UPDATE lake.transactions_enriched SET transaction_amount = transaction_amount - 0.01 WHERE transaction_id = 'G002'`,
    );
    const restored = await runValidation(db, 'amounts_reconcile', RUN_ID);
    await db.run(`DELETE FROM lake.transactions_enriched WHERE transaction_id = 'G003'`);
    const lost = await runValidation(db, 'amounts_reconcile', RUN_ID);
    // Assess
    expect(centOff.passed).toBe(false);
    expect(Number(centOff.enriched_amount) - Number(centOff.valid_amount_read)).toBeCloseTo(0.01, 6);
    expect(restored.passed).toBe(true);
    expect(lost).toMatchObject({ passed: false, rows_in: '22', rows_out: '20', rows_rejected: '1' });
  });

  it('one_segment_per_customer fails on a customer in two segments, and on a missing customer', async () => {
    // Prepare
    await db.run(`INSERT INTO lake.customer_segments (customer_id, segment) VALUES ('C001', 'regular_customer')`);
    // Act
    const twice = await runValidation(db, 'one_segment_per_customer', RUN_ID);
    await db.run(`DELETE FROM lake.customer_segments WHERE customer_id IN ('C001', 'C003')`);
    const missing = await runValidation(db, 'one_segment_per_customer', RUN_ID);
    // Assess
    expect(twice).toMatchObject({ passed: false, customers_in_several_segments_extra_rows: '1' });
    expect(missing).toMatchObject({ passed: false, customers_missing: '2' });
  });

  it('rejected_share fails over the threshold and honours the configured maximum', async () => {
    // Prepare: the dirty fixture rejects 15 of 41 rows (36.6 %)
    const dirty = await afterRun('run-1-transactions.csv');
    try {
      // Act
      const atDefault = await runValidation(dirty, 'rejected_share', RUN_ID, 0.05);
      const relaxed = await runValidation(dirty, 'rejected_share', RUN_ID, 0.4);
      const tight = await runValidation(db, 'rejected_share', RUN_ID, 0.04);
      // Assess
      expect(atDefault).toMatchObject({ passed: false, rejected: '15', rows_in: '41', rejected_share: 0.3659 });
      expect(relaxed.passed).toBe(true);
      expect(tight.passed).toBe(false);
    } finally {
      dirty.close();
    }
  });
});
