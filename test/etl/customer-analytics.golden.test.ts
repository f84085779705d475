// Golden tests: the customer-analytics job's SQL, run in manifest order on DuckDB with the Spark-compat shim,
// over a hand-made input (test/fixtures/etl). Expected values come from hand-worked tables below and from the
// independent TypeScript model (reference-model.ts), never from the job's own output.
import path from 'node:path';
import { DuckDb } from '../../local/duckdb';
import { prepareDatabase, runJob, sourceFromCsv } from './job-harness';
import {
  customerSegments,
  type Enriched,
  type RunResult,
  readFixture,
  runModel,
  transactionMetrics,
} from './reference-model';

const FIXTURES = path.resolve(__dirname, '../fixtures/etl');
const RUN_1 = { file: path.join(FIXTURES, 'run-1-transactions.csv'), uri: 's3://lakepipe-raw/transactions/run-1.csv' };
const RUN_2 = { file: path.join(FIXTURES, 'run-2-transactions.csv'), uri: 's3://lakepipe-raw/transactions/run-2.csv' };
const RUN_1_ID = 'customer-analytics-20240401T000000Z-aaaaaaaaaa';
const RUN_2_ID = 'customer-analytics-20240405T000000Z-bbbbbbbbbb';

const cents = (text: unknown): number => Math.round(Number(text) * 100);

let db: DuckDb;
let model1: RunResult;
let model2: RunResult;
let modelAll: Enriched[];

beforeAll(async () => {
  db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await prepareDatabase(db);
  await sourceFromCsv(db, [RUN_1]);
  await runJob(db, { runId: RUN_1_ID, asOf: '2024-04-01' });
  model1 = runModel(readFixture(RUN_1.file, RUN_1.uri), RUN_1_ID, new Set());
});
afterAll(() => db.close());

describe('run 1 (first load of dirty data)', () => {
  it('rejects each dirty row with the reason worked out by hand, and each duplicate id', async () => {
    // Prepare: one line per rejected fixture row, worked out by hand from run-1-transactions.csv
    const expected = [
      [null, 'missing_transaction_id'],
      ['T001', 'duplicate_transaction_id'], // exact repeat of the first line
      ['T006', 'duplicate_transaction_id'],
      ['T008', 'missing_customer_id'], // same id as a valid row, which is kept
      ['T022', 'missing_customer_id'],
      ['T023', 'missing_customer_id'], // blank customer id
      ['T024', 'non_positive_amount'],
      ['T025', 'non_positive_amount'],
      ['T026', 'non_numeric_amount'],
      ['T027', 'non_numeric_amount'],
      ['T028', 'non_numeric_amount'], // empty amount
      ['T029', 'missing_date'],
      ['T030', 'unparseable_date'],
      ['T031', 'unparseable_date'],
      ['T032', 'unparseable_date'],
      ['T033', 'non_positive_amount'], // 0.004 rounds to 0.00
      ['T034', 'duplicate_transaction_id'],
      ['T035', 'non_positive_amount'],
    ];
    // Act
    const rows = await db.queryJson(
      `SELECT transaction_id, reject_reason, source_file, run_id FROM lake.rejected_transactions
       ORDER BY transaction_id NULLS FIRST, reject_reason`,
    );
    // Assess
    expect(rows.map((r) => [r.transaction_id, r.reject_reason])).toEqual(expected);
    expect(new Set(rows.map((r) => `${r.source_file}|${r.run_id}`))).toEqual(new Set([`${RUN_1.uri}|${RUN_1_ID}`]));
  });

  it('keeps exactly the valid, first-seen ids, with lineage', async () => {
    // Prepare: T001..T021 are valid; T034 once; T036 (amount written "200")
    const expected = [...Array.from({ length: 21 }, (_, i) => `T${String(i + 1).padStart(3, '0')}`), 'T034', 'T036'];
    // Act
    const rows = await db.queryJson(
      'SELECT transaction_id, source_file, run_id FROM lake.transactions_enriched ORDER BY transaction_id',
    );
    // Assess
    expect(rows.map((r) => r.transaction_id)).toEqual(expected);
    expect(rows.every((r) => r.source_file === RUN_1.uri && r.run_id === RUN_1_ID)).toBe(true);
  });

  it('enriches: Spark day of week (1 = Sunday), amount category, parsed dates and amounts (hand-worked)', async () => {
    // Prepare: [id, amount, date, day_of_week, category, year, month]
    const expected = [
      ['T001', '25.00', '2024-01-31', 4, 'low', 2024, 1], // a Wednesday
      ['T003', '199.99', '2024-02-29', 5, 'medium', 2024, 2], // leap day, a Thursday
      ['T004', '200.00', '2024-03-03', 1, 'high', 2024, 3], // a Sunday; 200 is high
      ['T005', '49.99', '2024-03-31', 1, 'low', 2024, 3], // a Sunday, month end
      ['T009', '12.35', '2024-02-11', 1, 'low', 2024, 2], // 12.345 rounds half up; a Sunday
      ['T011', '1500.00', '2023-12-31', 1, 'high', 2023, 12], // year boundary, a Sunday
      ['T012', '50.00', '2024-03-25', 2, 'medium', 2024, 3], // 50 is medium; a Monday
      ['T020', '60.00', '2024-03-09', 7, 'medium', 2024, 3], // padded amount, 2024-3-9, a Saturday
      ['T021', '99.99', '2024-03-15', 6, 'medium', 2024, 3], // timestamp text, a Friday
    ];
    // Act
    const rows = await db.queryJson(
      `SELECT transaction_id, transaction_amount, transaction_date, day_of_week, amount_category, year, month
       FROM lake.transactions_enriched WHERE transaction_id IN (${expected.map((e) => `'${e[0]}'`).join(', ')})
       ORDER BY transaction_id`,
    );
    // Assess
    expect(rows.map((r) => Object.values(r))).toEqual(expected);
  });

  it('matches the reference model row for row', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT transaction_id, customer_id, transaction_amount, transaction_date, day_of_week, amount_category,
              year, month FROM lake.transactions_enriched ORDER BY transaction_id`,
    );
    // Assess
    const expected = [...model1.enriched]
      .sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1))
      .map((e) => [
        e.transaction_id,
        e.customer_id,
        e.cents,
        e.date,
        e.day_of_week,
        e.amount_category,
        e.year,
        e.month,
      ]);
    expect(
      rows.map((r) => [
        r.transaction_id,
        r.customer_id,
        cents(r.transaction_amount),
        r.transaction_date,
        r.day_of_week,
        r.amount_category,
        r.year,
        r.month,
      ]),
    ).toEqual(expected);
  });

  it('records what it read in ingest_audit', async () => {
    // Act
    const rows = await db.queryJson('SELECT source_file, rows_in, valid_rows, valid_amount FROM lake.ingest_audit');
    // Assess: 41 data lines; 26 valid (23 kept + 3 duplicates)
    expect(rows).toHaveLength(1);
    expect(rows[0]?.source_file).toBe(RUN_1.uri);
    expect(Number(rows[0]?.rows_in)).toBe(41);
    expect(Number(rows[0]?.valid_rows)).toBe(26);
    expect(cents(rows[0]?.valid_amount)).toBe(model1.validCents);
  });

  it('computes per-transaction metrics for C001 (hand-worked)', async () => {
    // Prepare: C001's amounts by date: 25.00, 75.50, 199.99, 200.00, 49.99
    const expected = [
      ['T001', 1, '25.00', null],
      ['T002', 2, '100.50', 1],
      ['T003', 3, '300.49', 28],
      ['T004', 4, '500.49', 3],
      ['T005', 5, '550.48', 28],
    ];
    // Act
    const rows = await db.queryJson(
      `SELECT transaction_id, transaction_rank, running_total, days_since_previous FROM lake.customer_transaction_metrics
       WHERE customer_id = 'C001' ORDER BY transaction_rank`,
    );
    // Assess
    expect(
      rows.map((r) => [r.transaction_id, Number(r.transaction_rank), r.running_total, r.days_since_previous]),
    ).toEqual(expected);
  });

  it('segments customers by the documented rule (hand-worked thresholds and segments)', async () => {
    // Prepare: 10 customers. Totals sorted: 22.00 30.35 50.00 99.99 105.00 215.00 250.00 550.48 820.10 1500.00
    // -> p80 = 8th = 550.48. Counts sorted 1 1 1 2 2 2 2 3 4 5 -> p80 = 3. Recency sorted 1 1 2 7 10 17 22 31 60 92
    // -> p20 = 2nd = 1. C001: R F M -> champion; C006: R F -> loyal; C002, C004: M -> big_spender;
    // C003: F only (3 transactions, recency 2) -> frequent_buyer; the rest regular.
    const expected = {
      C001: 'champion',
      C002: 'big_spender',
      C003: 'frequent_buyer',
      C004: 'big_spender',
      C005: 'regular_customer',
      C006: 'loyal_customer',
      C007: 'regular_customer',
      C008: 'regular_customer',
      C009: 'regular_customer',
      C010: 'regular_customer',
    };
    // Act
    const rows = await db.queryJson(
      'SELECT customer_id, segment, monetary_p80, frequency_p80, recency_p20 FROM lake.customer_segments ORDER BY 1',
    );
    // Assess
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.segment]))).toEqual(expected);
    expect(new Set(rows.map((r) => `${r.monetary_p80}/${r.frequency_p80}/${r.recency_p20}`))).toEqual(
      new Set(['550.48/3/1']),
    );
  });

  it('computes per-customer metrics, incl. one-transaction customers (hand-worked C001 and C004)', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT customer_id, total_spent, transaction_count, first_transaction_date, last_transaction_date,
              lifetime_days, avg_days_between, recency_days, spending_volatility
       FROM lake.customer_segments WHERE customer_id IN ('C001', 'C004') ORDER BY 1`,
    );
    // Assess: C001 2024-01-31 .. 2024-03-31 = 60 days over 4 gaps; C004 one purchase on 2023-12-31, 92 days before as_of
    expect(rows.map((r) => Object.values(r).slice(0, 8))).toEqual([
      ['C001', '550.48', '5', '2024-01-31', '2024-03-31', 60, 15, 1],
      ['C004', '1500.00', '1', '2023-12-31', '2023-12-31', 0, null, 92],
    ]);
    expect(rows[1]?.spending_volatility).toBeNull();
  });
});

describe('run 2 (a re-delivered id, a new month, a new customer)', () => {
  beforeAll(async () => {
    await sourceFromCsv(db, [RUN_2]);
    await runJob(db, { runId: RUN_2_ID, asOf: '2024-04-05' });
    model2 = runModel(
      readFixture(RUN_2.file, RUN_2.uri),
      RUN_2_ID,
      new Set(model1.enriched.map((e) => e.transaction_id)),
    );
    modelAll = [...model1.enriched, ...model2.enriched];
  });

  it('does not double count: an id loaded by run 1 is a duplicate, only new ids are appended', async () => {
    // Act
    const enriched = await db.queryJson(
      `SELECT transaction_id FROM lake.transactions_enriched WHERE run_id = '${RUN_2_ID}' ORDER BY 1`,
    );
    const rejected = await db.queryJson(
      `SELECT transaction_id, reject_reason FROM lake.rejected_transactions WHERE run_id = '${RUN_2_ID}' ORDER BY 1, 2`,
    );
    const total = await db.queryJson('SELECT count(*) AS n FROM lake.transactions_enriched');
    // Assess
    expect(enriched.map((r) => r.transaction_id)).toEqual(['T037', 'T038']);
    expect(rejected.map((r) => [r.transaction_id, r.reject_reason])).toEqual([
      ['T001', 'duplicate_transaction_id'],
      ['T037', 'duplicate_transaction_id'],
      ['T039', 'non_numeric_amount'],
    ]);
    expect(Number(total[0]?.n)).toBe(25);
  });

  it('rewrites customer_transaction_metrics over all enriched transactions, as the model says', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT customer_id, transaction_id, transaction_rank, running_total, days_since_previous
       FROM lake.customer_transaction_metrics ORDER BY customer_id, transaction_rank`,
    );
    // Assess
    const expected = transactionMetrics(modelAll)
      .sort((a, b) =>
        a.customer_id === b.customer_id
          ? a.transaction_rank - b.transaction_rank
          : a.customer_id < b.customer_id
            ? -1
            : 1,
      )
      .map((m) => [m.customer_id, m.transaction_id, m.transaction_rank, m.running_total_cents, m.days_since_previous]);
    expect(
      rows.map((r) => [
        r.customer_id,
        r.transaction_id,
        Number(r.transaction_rank),
        cents(r.running_total),
        r.days_since_previous,
      ]),
    ).toEqual(expected);
  });

  it('overwrites customer_segments: every customer once, metrics and segments as the model says', async () => {
    // Act
    const rows = await db.queryJson('SELECT * FROM lake.customer_segments ORDER BY customer_id');
    // Assess
    const expected = customerSegments(modelAll, '2024-04-05').sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1));
    expect(rows.map((r) => r.customer_id)).toEqual(expected.map((e) => e.customer_id));
    expected.forEach((e, i) => {
      const r = rows[i] ?? {};
      expect([r.segment, cents(r.total_spent), Number(r.transaction_count)]).toEqual([
        e.segment,
        e.total_cents,
        e.transaction_count,
      ]);
      expect([r.first_transaction_date, r.last_transaction_date, r.lifetime_days, r.recency_days]).toEqual([
        e.first_date,
        e.last_date,
        e.lifetime_days,
        e.recency_days,
      ]);
      expect(Number(r.avg_amount)).toBeCloseTo(e.avg_amount, 6);
      if (e.volatility === null) expect(r.spending_volatility).toBeNull();
      else expect(Number(r.spending_volatility)).toBeCloseTo(e.volatility, 6);
      if (e.avg_days_between === null) expect(r.avg_days_between).toBeNull();
      else expect(Number(r.avg_days_between)).toBeCloseTo(e.avg_days_between, 9);
    });
  });

  it('C004 becomes a two-transaction customer (hand-worked)', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT total_spent, transaction_count, lifetime_days, avg_days_between, recency_days
       FROM lake.customer_segments WHERE customer_id = 'C004'`,
    );
    // Assess: 1500.00 + 80.00; 2023-12-31 .. 2024-04-01 = 92 days, one gap; 4 days before 2024-04-05
    expect(rows.map((r) => Object.values(r))).toEqual([['1580.00', '2', 92, 92, 4]]);
  });
});

describe('typed source columns (the crawler saw clean data: double amounts, date dates)', () => {
  it('gives the same enriched rows as the all-string source', async () => {
    // Prepare: a fresh database; the clean rows T001..T019 with typed columns
    const typedDb = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
    try {
      await prepareDatabase(typedDb);
      await sourceFromCsv(typedDb, [RUN_1]);
      await typedDb.run(
        `CREATE OR REPLACE TEMP TABLE source AS
         SELECT transaction_id, customer_id, CAST(transaction_amount AS DOUBLE) AS transaction_amount,
                CAST(transaction_date AS DATE) AS transaction_date, store_id, channel, product_category, _corrupt_record,
                source_file
         FROM source WHERE transaction_id BETWEEN 'T001' AND 'T019' AND customer_id IS NOT NULL
         QUALIFY row_number() OVER (PARTITION BY transaction_id) = 1`,
      );
      // Act
      await runJob(typedDb, { runId: RUN_1_ID, asOf: '2024-04-01' });
      const rows = await typedDb.queryJson(
        `SELECT transaction_id, transaction_amount, transaction_date, day_of_week FROM lake.transactions_enriched
         ORDER BY transaction_id`,
      );
      // Assess
      const expected = model1.enriched
        .filter((e) => e.transaction_id <= 'T019')
        .sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1))
        .map((e) => [e.transaction_id, e.cents, e.date, e.day_of_week]);
      expect(
        rows.map((r) => [r.transaction_id, cents(r.transaction_amount), r.transaction_date, r.day_of_week]),
      ).toEqual(expected);
    } finally {
      typedDb.close();
    }
  });
});
