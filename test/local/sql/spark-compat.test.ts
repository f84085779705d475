// Pins each macro of local/sql/spark-compat.sql to Spark 3.5's documented (non-ANSI) meaning, and checks that
// the DuckDB built-in forms a macro shadows keep working.
import type { DuckDb } from '../../../local/duckdb';
import { SPARK_COMPAT_SQL } from '../../../local/sql/load-shims';
import { translateSpark } from '../../../local/sql/spark/translate';
import { openWithShim, scalar } from './shim-db';

let db: DuckDb;
beforeAll(async () => {
  db = await openWithShim(SPARK_COMPAT_SQL);
});
afterAll(() => db.close());

describe('dayofweek (Spark: 1 = Sunday ... 7 = Saturday)', () => {
  it.each([
    ['2024-03-03', 1], // a Sunday (2024-03-01 was a Friday)
    ['2024-03-04', 2],
    ['2024-03-09', 7],
    ['2009-07-30', 5], // Spark docs: dayofweek('2009-07-30') = 5 (a Thursday)
  ])('dayofweek(DATE %s) = %i', async (day, expected) => {
    // Act
    const value = await scalar(db, `SELECT dayofweek(DATE '${day}')`);
    // Assess
    expect(Number(value)).toBe(expected);
  });

  it('works on timestamps too', async () => {
    // Act
    const value = await scalar(db, `SELECT dayofweek(TIMESTAMP '2024-03-03 23:59:59')`);
    // Assess
    expect(Number(value)).toBe(1);
  });
});

describe('datediff', () => {
  it.each([
    ['2009-07-31', '2009-07-30', 1], // Spark docs
    ['2009-07-30', '2009-07-31', -1], // Spark docs
    ['2024-03-01', '2024-02-28', 2], // leap year
    ['2023-03-01', '2023-02-28', 1],
    ['2025-01-01', '2024-12-31', 1],
  ])('Spark datediff(end %s, start %s) = %i', async (end, start, expected) => {
    // Act
    const fromDates = await scalar(db, `SELECT datediff(DATE '${end}', DATE '${start}')`);
    const fromStrings = await scalar(db, `SELECT datediff('${end}', '${start}')`);
    // Assess
    expect(Number(fromDates)).toBe(expected);
    expect(Number(fromStrings)).toBe(expected);
  });

  it('keeps the DuckDB three-argument form (part, start, end)', async () => {
    // Act
    const days = await scalar(db, `SELECT datediff('day', DATE '2024-02-28', DATE '2024-03-01')`);
    const hours = await scalar(
      db,
      `SELECT datediff('hour', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 05:30:00')`,
    );
    const months = await scalar(db, `SELECT datediff('month', DATE '2024-01-31', DATE '2024-03-01')`);
    // Assess
    expect(Number(days)).toBe(2);
    expect(Number(hours)).toBe(5);
    expect(Number(months)).toBe(2);
  });

  it('is NULL when either side is NULL', async () => {
    // Act
    const value = await scalar(db, `SELECT datediff(DATE '2024-01-01', NULL)`);
    // Assess
    expect(value).toBeNull();
  });
});

describe('to_date (Spark string-to-date cast, NULL when unparseable)', () => {
  it.each([
    ['2009-07-30 04:17:52', '2009-07-30'], // Spark docs
    ['2016-12-31', '2016-12-31'],
    [' 2024-1-5 ', '2024-01-05'],
    ['2024-07', '2024-07-01'],
    ['2024', '2024-01-01'],
    ['2024-07-01T10:00:00Z', '2024-07-01'],
    ['2024-02-29', '2024-02-29'],
  ])('to_date(%j) = %s', async (text, expected) => {
    // Act
    const value = await scalar(db, `SELECT to_date('${text}')`);
    // Assess
    expect(value).toBe(expected);
  });

  it.each([
    '2023-02-29',
    '2024-13-01',
    '2024-02-30',
    'yesterday',
    '07/01/2024',
    '',
    '2024-07-01x',
    '24-07-01',
    '2024/01/05',
    '2024.01.05',
    '2024-01-5x',
    '2024-0a-05',
  ])('to_date(%j) is NULL', async (text) => {
    // Act
    const value = await scalar(db, `SELECT to_date('${text}')`);
    // Assess
    expect(value).toBeNull();
  });

  it('is NULL for NULL and passes dates and timestamps through as dates', async () => {
    // Act
    const fromNull = await scalar(db, 'SELECT to_date(NULL)');
    const fromDate = await scalar(db, `SELECT to_date(DATE '2024-05-06')`);
    const fromTimestamp = await scalar(db, `SELECT to_date(TIMESTAMP '2024-05-06 22:10:00')`);
    // Assess
    expect(fromNull).toBeNull();
    expect(fromDate).toBe('2024-05-06');
    expect(fromTimestamp).toBe('2024-05-06');
  });
});

describe('percentile_approx (scalar percentage)', () => {
  it('matches the Spark docs example: percentile_approx(col, 0.5, 100) over 0, 1, 2, 10 is 1', async () => {
    // Act
    const value = await scalar(
      db,
      'SELECT percentile_approx(col, 0.5, 100) FROM (VALUES (0), (1), (2), (10)) AS tab(col)',
    );
    // Assess
    expect(Number(value)).toBe(1);
  });

  it('returns the value at 1-based rank ceil(p * n) of the sorted values, ignoring NULLs', async () => {
    // Prepare: Spark's QuantileSummaries.query on exact samples picks rank ceil(p * n), the first value for p = 0
    const cases: Array<{ values: number[]; p: number }> = [];
    for (let n = 1; n <= 12; n += 1) {
      for (const p of [0, 0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9, 1]) {
        // Shuffled distinct values with gaps, so a wrong rank shows.
        cases.push({ values: Array.from({ length: n }, (_, i) => ((i * 7) % n) * 10 + 3), p });
      }
    }
    const failures: string[] = [];
    for (const { values, p } of cases) {
      const sorted = [...values].sort((a, b) => a - b);
      const expected = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
      const rows = values.map((v) => `(${v})`).join(', ');
      // Act
      const actual = await scalar(db, `SELECT percentile_approx(x, ${p}) FROM (VALUES ${rows}, (NULL)) AS t(x)`);
      // Assess (collected, so one run shows every mismatch)
      if (Number(actual) !== expected) failures.push(`n=${values.length} p=${p}: ${actual} != ${expected}`);
    }
    expect(failures).toEqual([]);
  });

  it('works per group', async () => {
    // Act
    const rows = await db.queryJson(
      `SELECT g, percentile_approx(x, 0.8) AS p80 FROM (VALUES ('a', 1), ('a', 2), ('a', 3), ('b', 5)) AS t(g, x)
       GROUP BY g ORDER BY g`,
    );
    // Assess
    expect(rows.map((r) => [r.g, Number(r.p80)])).toEqual([
      ['a', 3],
      ['b', 5],
    ]);
  });
});

describe('trim (Spark: only spaces, 0x20, off both ends)', () => {
  it.each([
    ['  a b  ', 'a b'],
    ['a', 'a'],
    [' ', ''],
    ['', ''],
    ['\ta\t', '\ta\t'], // Spark trims only ' ': a tab stays
    [' \u00a0a\u00a0 ', '\u00a0a\u00a0'], // and a no-break space, which DuckDB's built-in strips
    ['\u3000a\u2003', '\u3000a\u2003'], // and other Unicode spaces
    ['a  ', 'a'],
    ['  a', 'a'],
  ])('trim(%j) = %j', async (input, expected) => {
    // Act
    const value = await scalar(db, `SELECT trim(${sqlLiteral(input)})`);
    // Assess
    expect(value).toBe(expected);
  });

  it('is NULL for NULL, trims a non-string as its text, and keeps the two-argument form (chars to remove)', async () => {
    // Act
    const fromNull = await scalar(db, 'SELECT trim(NULL)');
    const fromNumber = await scalar(db, 'SELECT trim(12)');
    const chars = await scalar(db, `SELECT trim('xyaxy', 'yx')`);
    const both = await scalar(db, `SELECT TRIM(BOTH 'x' FROM 'xxbxx')`);
    // Assess
    expect([fromNull, fromNumber, chars, both]).toEqual([null, '12', 'a', 'b']);
  });
});

/** A string as a DuckDB literal (E'...' so tabs and other escapes read back as written). */
function sqlLiteral(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t')}'`;
}

describe('sha2 through the Spark translation (hex SHA-256 for 256 or 0 bits)', () => {
  it('matches the Spark docs example and is NULL for NULL', async () => {
    // Act
    const docs = await scalar(db, translateSpark(`SELECT sha2('Spark', 256)`));
    const zero = await scalar(db, translateSpark(`SELECT sha2('Spark', 0)`));
    const nothing = await scalar(db, translateSpark(`SELECT sha2(CAST(NULL AS STRING), 256)`));
    // Assess: the Spark docs' value
    expect(docs).toBe('529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b');
    expect(zero).toBe(docs);
    expect(nothing).toBeNull();
  });

  it('refuses the bit lengths it does not provide', () => {
    // Act / Assess
    expect(() => translateSpark(`SELECT sha2('Spark', 512)`)).toThrow(/sha2 other than 256/);
  });
});
