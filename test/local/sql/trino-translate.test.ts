// Pins local/sql/trino/translate.ts (and the trino_ macros it rewrites to) on the cases where DuckDB's own meaning
// differs from Trino's: each runs translated on a Trino session and must give Trino's documented answer.
import { DuckDb } from '../../../local/duckdb';
import { prepareTrinoSession } from '../../../local/sql/trino/session';
import { translateTrino } from '../../../local/sql/trino/translate';
import { SqlSyntaxError, UnsupportedSqlError } from '../../../local/sql/unsupported';

let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await prepareTrinoSession(db.connection);
});
afterAll(() => db.close());

async function trino(sql: string): Promise<unknown[]> {
  const rows = await db.queryJson(translateTrino(sql));
  return rows.map((row) => Object.values(row)[0]);
}

describe('translateTrino', () => {
  it.each([
    ['SELECT 7/2', 3],
    ['SELECT -7/2', -3],
    ['SELECT -7 % 3', -1],
    ["SELECT regexp_replace('a1b2', '\\d', '')", 'ab'],
    ["SELECT regexp_replace('abc', '(b)', '[$1]')", 'a[b]c'],
    ["SELECT DATE '2024-01-31' + INTERVAL '1' MONTH", '2024-02-29'],
    ["SELECT date_trunc('week', DATE '2024-03-06')", '2024-03-04'],
    ["SELECT date_add('day', 1, DATE '2024-02-28')", '2024-02-29'],
    ["SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-01')", '0'],
    ["SELECT concat('a', NULL)", null],
    ['SELECT greatest(1, NULL)', null],
    ["SELECT split_part('a,b', ',', 3)", null],
    ["SELECT regexp_extract('abc', 'x')", null],
    ["SELECT extract(dow FROM DATE '2024-03-03')", '7'],
    ['SELECT element_at(ARRAY[1, 2, 3], -1)', 3],
    ['SELECT array_position(ARRAY[1, 2], 5)', 0],
    ['SELECT ARRAY[1] || 2', [1, 2]],
    ['SELECT 0 || ARRAY[1]', [0, 1]],
    ['SELECT TRY(7 / 0)', null],
    ['SELECT TRY(7 % 0)', null],
    ['SELECT CAST(JSON \'"abc"\' AS VARCHAR)', 'abc'],
    ["SELECT CAST(CAST('abc' AS JSON) AS VARCHAR)", 'abc'],
    ["SELECT json_format(JSON '[1, 2]')", '[1,2]'],
    ["SELECT CAST(JSON '[1, 2]' AS ARRAY(INTEGER))", [1, 2]],
    ["SELECT listagg(v, '-') WITHIN GROUP (ORDER BY v DESC) FROM (VALUES 'a', 'c', 'b') t(v)", 'c-b-a'],
    ['SELECT zip_with(ARRAY[1, 2], ARRAY[3], (x, y) -> coalesce(y, 0) + x)', [4, 2]],
    ['SELECT element_at(transform_values(MAP(ARRAY[1], ARRAY[10]), (k, v) -> k + v), 1)', 11],
    ['SELECT cardinality(map_filter(MAP(ARRAY[1, 2], ARRAY[10, 20]), (k, v) -> v > 10))', '1'],
    ['SELECT ngrams(ARRAY[1, 2], 5)', [[1, 2]]],
    ['SELECT reduce_agg(x, 0, (s, v) -> s + v, (a, b) -> a + b) FROM (VALUES 1, NULL, 2) t(x)', 3],
    ["SELECT regexp_position('abcabc', 'c')", '3'],
    ["SELECT regexp_position('abc', 'x')", '-1'],
    ["SELECT from_iso8601_date('2021-W01-7')", '2021-01-10'],
    ["SELECT luhn_check('79927398713')", true],
    ['SELECT element_at(array_histogram(ARRAY[42, 7, 42, NULL]), 42)', '2'],
    [
      "SELECT combinations(ARRAY['a', 'b', 'c'], 2)",
      [
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'c'],
      ],
    ],
    ['SELECT human_readable_seconds(3762)', '1 hour, 2 minutes, 42 seconds'],
    ['SELECT any_match(ARRAY[1, NULL], x -> x > 1)', null],
    ['SELECT any_match(ARRAY[], x -> x > 1)', false],
    ['SELECT all_match(ARRAY[], x -> x > 1)', true],
    ['SELECT all_match(ARRAY[2, NULL], x -> x > 1)', null],
    ['SELECT none_match(ARRAY[1, 2], x -> x > 1)', false],
  ])("%s gives Trino's answer", async (sql, expected) => {
    // Act
    const [value] = await trino(sql);
    // Assess
    expect(value).toEqual(expected);
  });

  it('runs VALUES rows of one column, names unnamed columns _col<n>', async () => {
    // Act
    const rows = await db.queryJson(translateTrino('SELECT x + 1, x FROM (VALUES 1, 2) AS t(x)'));
    // Assess
    expect(rows).toEqual([
      { _col0: 2, x: 1 },
      { _col0: 3, x: 2 },
    ]);
  });

  it('refuses INTERVAL arithmetic and date_trunc on a DATE column (a TIMESTAMP in DuckDB), runs them on timestamps', async () => {
    // Prepare
    const dates = "FROM (VALUES DATE '2024-01-31') AS t(d)";
    const stamps = "FROM (VALUES TIMESTAMP '2024-01-31 10:00:00') AS t(ts)";
    // Act / Assess
    await expect(trino(`SELECT d + INTERVAL '1' MONTH ${dates}`)).rejects.toThrow(
      /DATE column is not supported locally/,
    );
    await expect(trino(`SELECT date_trunc('week', d) ${dates}`)).rejects.toThrow(
      /DATE column is not supported locally/,
    );
    await expect(trino(`SELECT date_add('day', 1, d) ${dates}`)).rejects.toThrow(
      /DATE column is not supported locally/,
    );
    expect(await trino(`SELECT CAST(d AS DATE) + INTERVAL '1' MONTH ${dates}`)).toEqual(['2024-02-29']);
    expect(await trino(`SELECT ts + INTERVAL '1' MONTH ${stamps}`)).toEqual(['2024-02-29 10:00:00']);
  });

  it('fails on a zero divisor as Trino does, rather than returning NULL', async () => {
    // Act / Assess
    await expect(trino('SELECT 1/0')).rejects.toThrow(/Division by zero/);
    await expect(trino('SELECT 1 % 0')).rejects.toThrow(/Division by zero/);
  });

  it('refuses functions and forms it cannot reproduce, naming them', () => {
    // Act / Assess
    expect(() => translateTrino('SELECT typeof(1)')).toThrow(UnsupportedSqlError);
    expect(() => translateTrino('SELECT no_such(1)')).toThrow(/^function no_such is not supported locally/);
    expect(() => translateTrino("SELECT now() AT TIME ZONE 'UTC'")).toThrow(/^AT TIME ZONE is not supported locally/);
    expect(() => translateTrino("SELECT date_format(now(), '%x')")).toThrow(/specifier %x is not supported locally/);
    expect(() => translateTrino('SELEC 1')).toThrow(SqlSyntaxError);
    expect(() =>
      translateTrino("SELECT listagg(v, ',' ON OVERFLOW TRUNCATE '...' WITH COUNT) WITHIN GROUP (ORDER BY v) FROM t"),
    ).toThrow(/^LISTAGG ON OVERFLOW TRUNCATE is not supported locally/);
    expect(() => translateTrino('SELECT CAST(ROW(1, 2) AS ROW(integer, integer))')).toThrow(
      /^ROW type with unnamed fields is not supported locally/,
    );
    expect(() => translateTrino("SELECT 'a' = ANY (VALUES 'a', 'b')")).toThrow(
      /^a statement the Trino grammar reads as two \(a quantified comparison/,
    );
    expect(() => translateTrino("SELECT combinations(ARRAY['a'], 3)")).toThrow(/^combinations of other than 2/);
    expect(() => translateTrino('SELECT zip_with(ARRAY[1], ARRAY[2], (x, y) -> (x, y))')).toThrow(
      /^zip_with with a lambda returning a ROW is not supported locally/,
    );
  });

  it('refuses more than one statement, as Athena does, and takes one with a trailing semicolon', () => {
    expect(() => translateTrino('SELECT 1; SELECT 2')).toThrow(/^Only one sql statement is allowed/);
    expect(translateTrino('SELECT 1;')).toMatch(/SELECT 1/);
  });
});
