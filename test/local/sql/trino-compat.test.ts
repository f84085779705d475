// Pins each macro of local/sql/trino-compat.sql to Trino's documented meaning, plus the DuckDB built-ins the
// validations rely on behaving as Trino's do.
import type { DuckDb } from '../../../local/duckdb';
import { TRINO_COMPAT_SQL } from '../../../local/sql/load-shims';
import { openWithShim, scalar } from './shim-db';

let db: DuckDb;
beforeAll(async () => {
  db = await openWithShim(TRINO_COMPAT_SQL);
});
afterAll(() => db.close());

describe('trino-compat', () => {
  it('approx_percentile returns a value of x at rank ceil(p * n), ignoring NULLs', async () => {
    // Prepare: 10 values 10, 20, ..., 100, shuffled; rank ceil(0.8 * 10) = 8 -> 80, ceil(0.2 * 10) = 2 -> 20
    const rows = [70, 10, 100, 40, 20, 90, 30, 60, 50, 80].map((v) => `(${v})`).join(', ');
    // Act
    const p80 = await scalar(db, `SELECT approx_percentile(x, 0.8) FROM (VALUES ${rows}, (NULL)) AS t(x)`);
    const p20 = await scalar(db, `SELECT approx_percentile(x, 0.2) FROM (VALUES ${rows}, (NULL)) AS t(x)`);
    // Assess
    expect(Number(p80)).toBe(80);
    expect(Number(p20)).toBe(20);
  });

  it('day_of_week is ISO: 1 = Monday ... 7 = Sunday', async () => {
    // Act
    const monday = await scalar(db, `SELECT day_of_week(DATE '2024-03-04')`);
    const sunday = await scalar(db, `SELECT day_of_week(DATE '2024-03-03')`);
    // Assess
    expect(Number(monday)).toBe(1);
    expect(Number(sunday)).toBe(7);
  });

  it("date_diff('day', start, end) is end - start in days, as in Trino", async () => {
    // Act
    const days = await scalar(db, `SELECT date_diff('day', DATE '2024-02-28', DATE '2024-03-01')`);
    const backwards = await scalar(db, `SELECT date_diff('day', DATE '2024-03-01', DATE '2024-02-28')`);
    // Assess
    expect(Number(days)).toBe(2);
    expect(Number(backwards)).toBe(-2);
  });

  it('TRY_CAST to DECIMAL(18, 2) rounds half away from zero and is NULL on garbage, as in Trino', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT TRY_CAST('12.345' AS DECIMAL(18, 2)) AS up, TRY_CAST('-0.005' AS DECIMAL(18, 2)) AS down,
              TRY_CAST('abc' AS DECIMAL(18, 2)) AS bad`,
    );
    // Assess
    expect(rows).toEqual([{ up: '12.35', down: '-0.01', bad: null }]);
  });
});
