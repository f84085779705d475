// The segment rule of steps/10-segmented.sql on crafted customer metrics, so every precedence case shows:
// champion (R F M) > loyal_customer (R F) > big_spender (M, also with F or R alone) > frequent_buyer (F) > regular.
import type { DuckDb } from '../../local/duckdb';
import { SPARK_COMPAT_SQL } from '../../local/sql/load-shims';
import { openWithShim } from '../local/sql/shim-db';
import { readStepSql } from './job-harness';

let db: DuckDb;
beforeAll(async () => {
  db = await openWithShim(SPARK_COMPAT_SQL);
});
afterAll(() => db.close());

it('applies the documented precedence with percentile thresholds', async () => {
  // Prepare: totals sorted 100 200 300 400 500 700 800 800 900 1000 -> monetary p80 (8th) = 800;
  // counts sorted 1 2 3 4 5 6 8 8 9 10 -> frequency p80 = 8; recency sorted 1 2 2 3 4 ... -> recency p20 (2nd) = 2.
  const customers: Array<[string, number, number, number, string]> = [
    ['A', 900, 9, 1, 'champion'], // R F M
    ['B', 700, 10, 3, 'frequent_buyer'], // F only
    ['C', 1000, 1, 2, 'big_spender'], // R M, not F
    ['D', 100, 8, 2, 'loyal_customer'], // R F, not M
    ['J', 800, 2, 4, 'big_spender'], // M only, at the threshold
    ['K', 800, 8, 5, 'big_spender'], // M F, not R
    ['E', 200, 3, 6, 'regular_customer'],
    ['F', 300, 4, 7, 'regular_customer'],
    ['G', 400, 5, 8, 'regular_customer'],
    ['H', 500, 6, 9, 'regular_customer'],
  ];
  const values = customers.map(([id, total, count, recency]) => `('${id}', ${total}.00, ${count}, ${recency})`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE customer_metrics AS
     SELECT customer_id, CAST(total AS DECIMAL(38, 2)) AS total_spent, CAST(n AS BIGINT) AS transaction_count,
            CAST(r AS INTEGER) AS recency_days
     FROM (VALUES ${values.join(', ')}) AS t(customer_id, total, n, r)`,
  );
  // Act
  const rows = await db.queryJson(
    `SELECT customer_id, segment, monetary_p80, frequency_p80, recency_p20 FROM (${await readStepSql('steps/10-segmented.sql')})
     ORDER BY customer_id`,
  );
  // Assess
  expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.segment]))).toEqual(
    Object.fromEntries(customers.map(([id, , , , segment]) => [id, segment])),
  );
  expect(rows[0]).toMatchObject({ monetary_p80: '800.00', frequency_p80: '8', recency_p20: 2 });
});
