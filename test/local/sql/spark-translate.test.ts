// Pins local/sql/spark/translate.ts: Spark's meaning where DuckDB's differs, refusals, and that today's job steps
// mean exactly what they meant before translation (same DuckDB syntax tree), so wiring it into the runner is safe.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDb } from '../../../local/duckdb';
import { expandPassThrough } from '../../../local/glue/jobs/pass-through';
import { prepareSparkSession, translateSpark } from '../../../local/sql/spark/translate';
import { UnsupportedSqlError } from '../../../local/sql/unsupported';

const STEPS = path.resolve(__dirname, '../../../datasets/customer_transactions/steps');

let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await prepareSparkSession(db.connection);
});
afterAll(() => db.close());

async function spark(sql: string): Promise<unknown> {
  const rows = await db.queryJson(translateSpark(sql));
  return Object.values(rows[0] ?? {})[0];
}

describe('translateSpark', () => {
  it.each([
    ["SELECT concat('a', NULL)", null],
    ['SELECT 7 div 2', 3],
    ["SELECT regexp_replace('a1b2', '\\\\d', '')", 'ab'],
    ["SELECT regexp_replace('abc', '(b)', '[$1]')", 'a[b]c'],
    ["SELECT regexp_extract('abc', 'x', 0)", ''],
    ["SELECT date_add('2016-07-30', 1)", '2016-07-31'],
    ['SELECT size(NULL)', '-1'],
    ['SELECT ceil(5)', '5'],
    ['SELECT `weird col` FROM (SELECT 1 AS `weird col`)', 1],
    ['SELECT nvl(a, b) FROM (SELECT NULL AS a, 2 AS b)', 2],
    ["SELECT sort_array(array('b', NULL, 'a'))", [null, 'a', 'b']],
    ["SELECT sort_array(array('b', NULL, 'a'), false)", ['b', 'a', null]],
    ["SELECT date_format('2016-04-08', 'MMMM d, y')", 'April 8, 2016'],
    ["SELECT trunc('2009-02-12', 'MM')", '2009-02-01'],
    ["SELECT element_at(m, 2) FROM (SELECT map(1, 'a', 2, 'b') AS m)", 'b'],
    ["SELECT year('2016-07-30')", '2016'],
    ["SELECT hour('2009-07-30 12:58:59')", '12'],
    ["SELECT date_trunc('MM', '2015-03-05T09:32:05')", '2015-03-01 00:00:00'],
    ['SELECT 2L / 2L', 1],
    ['SELECT typeof(2L)', 'bigint'],
    ['SELECT typeof(1)', 'int'],
    ["SELECT size(map('a', 1, 'b', 2))", '2'],
    ["SELECT map_contains_key(map('a', 1), 'a')", true],
    ["SELECT element_at(transform_values(map('a', 1), (k, v) -> v + 1), 'a')", 2],
    ['SELECT x FROM VALUES (1), (NULL) AS t(x) ORDER BY x', null],
    ['SELECT x FROM VALUES (1), (NULL) AS t(x) ORDER BY x DESC', 1],
    ['SELECT 3 ^ 5', 6],
    ['SELECT transform(array(10, 20), (x, i) -> x + i)', ['10', '21']],
    ['SELECT filter(array(0, 2, 3), (x, i) -> x > i)', [2, 3]],
    ['SELECT exists(array(1, NULL), x -> x > 1)', null],
    ['SELECT forall(array(), x -> x > 1)', true],
    ['SELECT aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x, acc -> acc * 10)', 60],
    ['SELECT ! true', false],
    ['SELECT NULL <=> NULL', true],
    ["SELECT get_json_object('{oops', '$.a')", null],
    ["SELECT json_array_length('[1,2')", null],
    ['SELECT json_object_keys(\'{"a": 1}\')', ['a']],
  ])("%s gives Spark's answer", async (sql, expected) => {
    // Act / Assess
    expect(await spark(sql)).toEqual(expected);
  });

  it('refuses functions and forms it cannot reproduce, naming them', () => {
    // Act / Assess
    expect(() => translateSpark("SELECT initcap('a b')")).toThrow(UnsupportedSqlError);
    expect(() => translateSpark('SELECT no_such(1)')).toThrow(/^function no_such is not supported locally/);
    expect(() => translateSpark("SELECT date_format(now(), 'Q')")).toThrow(/pattern letter Q is not supported locally/);
  });

  it("leaves today's job steps meaning what they meant: the same DuckDB syntax tree", async () => {
    // Prepare
    const files = (await readdir(STEPS)).filter((f) => f.endsWith('.sql'));
    const tree = async (sql: string) => {
      const [row] = await db.queryJson<{ j: string }>('SELECT json_serialize_sql(?::VARCHAR) AS j', [sql]);
      return String(row?.j).replace(/"query_location":\d+/g, '');
    };
    for (const file of files) {
      const sql = expandPassThrough(await readFile(path.join(STEPS, file), 'utf8'), ['loyalty_tier', 'order']);
      // Act
      const translated = translateSpark(sql);
      // Assess
      expect({ file, tree: await tree(translated) }).toEqual({ file, tree: await tree(sql) });
    }
  });
});
