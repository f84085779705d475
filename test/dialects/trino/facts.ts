// Trino's documented examples (trinodb/trino docs/src/main/sphinx/functions/<page>.md): each expression with the
// result the page prints. Results are written as Athena prints them; quotes around strings in the docs are kept
// out (the conformance runner compares without them).
import type { Fact } from '../conformance';

const page = (name: string) => `https://trino.io/docs/current/functions/${name}.html`;

const STRING = page('string');
const REGEXP = page('regexp');
const ARRAY = page('array');
const LAMBDA = page('lambda');
const URL_DOC = page('url');
const DATETIME = page('datetime');
const JSON_DOC = page('json');
const MATH = page('math');
const MAP_DOC = page('map');
const WINDOW = page('window');
const CONDITIONAL = page('conditional');
const AGGREGATE = page('aggregate');
const COMPARISON = page('comparison');
const CONTINENTS = "(VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent)";

// The conditional page's TRY examples read this table.
const SHIPPING =
  "(VALUES ('California', '94131', 25, 100), ('California', 'P332a', 5, 72), ('California', '94025', 0, 155), ('New Jersey', '08544', 225, 490)) AS shipping(origin_state, origin_zip, packages, total_cost)";
const KEYS = "ARRAY['key1', 'key2', 'key3' ]";

export const TRINO_FACTS: Fact[] = [
  // string
  { family: 'string', sql: "SELECT luhn_check('79927398713')", expected: 'true', doc: STRING },
  { family: 'string', sql: "SELECT luhn_check('79927398714')", expected: 'false', doc: STRING },
  { family: 'string', sql: "SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4)", expected: 'Thomas', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcd', '', '')", expected: 'abcd', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcd', 'a', 'z')", expected: 'zbcd', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcda', 'a', 'z')", expected: 'zbcdz', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcd', 'a', '')", expected: 'bcd', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcd', 'a', 'zy')", expected: 'zbcd', doc: STRING },
  { family: 'string', sql: "SELECT translate('abcd', 'ac', 'z')", expected: 'zbd', doc: STRING },
  { family: 'string', sql: "SELECT trim('!' FROM '!foo!')", expected: 'foo', doc: STRING },
  { family: 'string', sql: "SELECT trim(LEADING FROM '  abcd')", expected: 'abcd', doc: STRING },
  { family: 'string', sql: "SELECT trim(BOTH '$' FROM '$var$')", expected: 'var', doc: STRING },
  { family: 'string', sql: "SELECT trim(TRAILING 'ER' FROM upper('worker'))", expected: 'WORK', doc: STRING },
  { family: 'string', sql: "SELECT title_case('hello world')", expected: 'Hello World', doc: STRING },
  // regexp
  { family: 'regexp', sql: "SELECT regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*')", expected: '3', doc: REGEXP },
  { family: 'regexp', sql: "SELECT regexp_extract_all('1a 2b 14m', '\\d+')", expected: '[1, 2, 14]', doc: REGEXP },
  {
    family: 'regexp',
    sql: "SELECT regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2)",
    expected: "['a', 'b', 'm']",
    doc: REGEXP,
  },
  { family: 'regexp', sql: "SELECT regexp_extract('1a 2b 14m', '\\d+')", expected: '1', doc: REGEXP },
  { family: 'regexp', sql: "SELECT regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", expected: 'a', doc: REGEXP },
  { family: 'regexp', sql: "SELECT regexp_like('1a 2b 14m', '\\d+b')", expected: 'true', doc: REGEXP },
  {
    family: 'regexp',
    sql: "SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b')",
    expected: '8',
    doc: REGEXP,
  },
  { family: 'regexp', sql: "SELECT regexp_replace('1a 2b 14m', '\\d+[ab] ')", expected: '14m', doc: REGEXP },
  {
    family: 'regexp',
    sql: "SELECT regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')",
    expected: '3ca 3cb 14m',
    doc: REGEXP,
  },
  {
    family: 'regexp',
    sql: "SELECT regexp_replace('new york', '(\\w)(\\w*)', x -> upper(x[1]) || lower(x[2]))",
    expected: 'New York',
    doc: REGEXP,
  },
  {
    family: 'regexp',
    sql: "SELECT regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')",
    expected: '[1, 2, 14, ]',
    doc: REGEXP,
  },
  // array
  { family: 'array', sql: 'SELECT ARRAY[1, 2, 4]', expected: '[1, 2, 4]', doc: ARRAY },
  { family: 'array', sql: "SELECT ARRAY['foo', 'bar', 'bazz']", expected: '[foo, bar, bazz]', doc: ARRAY },
  { family: 'array', sql: 'SELECT ARRAY[1, 1.2, 4]', expected: '[1.0, 1.2, 4.0]', doc: ARRAY },
  { family: 'array', sql: 'SELECT ARRAY[1, 2, NULL, -4, NULL]', expected: '[1, 2, NULL, -4, NULL]', doc: ARRAY },
  { family: 'array', sql: 'SELECT ARRAY[1, 1.2, 4][2]', expected: '1.2', doc: ARRAY },
  { family: 'array', sql: 'SELECT ARRAY[1] || ARRAY[2]', expected: '[1, 2]', doc: ARRAY },
  { family: 'array', sql: 'SELECT ARRAY[1] || 2', expected: '[1, 2]', doc: ARRAY },
  { family: 'array', sql: 'SELECT 2 || ARRAY[1]', expected: '[2, 1]', doc: ARRAY },
  { family: 'array', sql: 'SELECT array_histogram(ARRAY[42, 7, 42, NULL])', expected: '{42=2, 7=1}', doc: ARRAY },
  {
    family: 'array',
    sql: 'SELECT array_sort(ARRAY[3, 2, 5, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))',
    expected: '[5, 3, 2, 2, 1]',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: "SELECT combinations(ARRAY['foo', 'bar', 'baz'], 2)",
    expected: "[['foo', 'bar'], ['foo', 'baz'], ['bar', 'baz']]",
    doc: ARRAY,
  },
  { family: 'array', sql: 'SELECT filter(ARRAY[], x -> true)', expected: '[]', doc: ARRAY },
  { family: 'array', sql: 'SELECT filter(ARRAY[5, -6, NULL, 7], x -> x > 0)', expected: '[5, 7]', doc: ARRAY },
  {
    family: 'array',
    sql: 'SELECT filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL)',
    expected: '[5, 7]',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: 'SELECT ngrams(ARRAY[1, 2, 3, 4], 2)',
    expected: '[[1, 2], [2, 3], [3, 4]]',
    doc: ARRAY,
  },
  { family: 'array', sql: 'SELECT reduce(ARRAY[], 0, (s, x) -> s + x, s -> s)', expected: '0', doc: ARRAY },
  { family: 'array', sql: 'SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)', expected: '75', doc: ARRAY },
  {
    family: 'array',
    sql: 'SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s)',
    expected: 'NULL',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: 'SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s)',
    expected: '75',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: 'SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> IF(x IS NULL, s, s + x), s -> s)',
    expected: '75',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: "SELECT reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)",
    expected: '2147483648',
    doc: ARRAY,
  },
  { family: 'array', sql: 'SELECT trim_array(ARRAY[1, 2, 3, 4], 1)', expected: '[1, 2, 3]', doc: ARRAY },
  { family: 'array', sql: 'SELECT trim_array(ARRAY[1, 2, 3, 4], 2)', expected: '[1, 2]', doc: ARRAY },
  { family: 'array', sql: 'SELECT transform(ARRAY[], x -> x + 1)', expected: '[]', doc: ARRAY },
  { family: 'array', sql: 'SELECT transform(ARRAY[5, 6], x -> x + 1)', expected: '[6, 7]', doc: ARRAY },
  {
    family: 'array',
    sql: 'SELECT transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1)',
    expected: '[6, 1, 7]',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: "SELECT transform(ARRAY['x', 'abc', 'z'], x -> x || '0')",
    expected: "['x0', 'abc0', 'z0']",
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: 'SELECT transform(ARRAY[ARRAY[1, NULL, 2], ARRAY[3, NULL]], a -> filter(a, x -> x IS NOT NULL))',
    expected: '[[1, 2], [3]]',
    doc: ARRAY,
  },
  {
    family: 'array',
    sql: 'SELECT euclidean_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])',
    expected: '2.8284271247461903',
    doc: ARRAY,
  },
  { family: 'array', sql: 'SELECT dot_product(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])', expected: '11.0', doc: ARRAY },
  {
    family: 'array',
    sql: 'SELECT zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y)',
    expected: '[4, 6]',
    doc: ARRAY,
  },
  // lambda
  {
    family: 'lambda',
    sql: 'SELECT transform(numbers, n -> n * n) FROM (VALUES (ARRAY[1, 2])) AS t(numbers)',
    expected: '[1, 4]',
    doc: LAMBDA,
  },
  {
    family: 'lambda',
    sql: "SELECT transform(prices, n -> TRY_CAST(n AS VARCHAR) || '$') FROM (VALUES (ARRAY[100, 200])) AS t(prices)",
    expected: '[100$, 200$]',
    doc: LAMBDA,
  },
  {
    family: 'lambda',
    sql: 'SELECT transform(xvalues, x -> a * x + b) FROM (VALUES (ARRAY[1, 2], 10, 5)) AS t(xvalues, a, b)',
    expected: '[15, 25]',
    doc: LAMBDA,
  },
  {
    family: 'lambda',
    sql: 'SELECT numbers FROM (VALUES (ARRAY[1,NULL,3]), (ARRAY[10,20,30]), (ARRAY[100,200,300])) AS t(numbers) WHERE any_match(numbers, n -> COALESCE(n, 0) > 100)',
    expected: '[100, 200, 300]',
    doc: LAMBDA,
  },
  {
    family: 'lambda',
    sql: 'SELECT reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) FROM (VALUES (1), (2), (3), (4), (5)) AS t(value)',
    expected: '15',
    doc: LAMBDA,
  },
  // URL
  {
    family: 'url',
    sql: "SELECT url_extract_protocol('http://localhost:8080/req_path')",
    expected: 'http',
    doc: URL_DOC,
  },
  {
    family: 'url',
    sql: "SELECT url_extract_protocol('https://127.0.0.1:8080/req_path')",
    expected: 'https',
    doc: URL_DOC,
  },
  { family: 'url', sql: "SELECT url_extract_protocol('ftp://path/file')", expected: 'ftp', doc: URL_DOC },
  // date and time
  { family: 'datetime', sql: "SELECT date '2012-08-08' + interval '2' day", expected: '2012-08-10', doc: DATETIME },
  {
    family: 'datetime',
    sql: "SELECT timestamp '2012-08-08 01:00' + interval '29' hour",
    expected: '2012-08-09 06:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT timestamp '2012-10-31 01:00' + interval '1' month",
    expected: '2012-11-30 01:00:00.000',
    doc: DATETIME,
  },
  { family: 'datetime', sql: "SELECT date '2012-08-08' - interval '2' day", expected: '2012-08-06', doc: DATETIME },
  {
    family: 'datetime',
    sql: "SELECT timestamp '2012-08-08 01:00' - interval '29' hour",
    expected: '2012-08-06 20:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT timestamp '2012-10-31 01:00' - interval '1' month",
    expected: '2012-09-30 01:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'",
    expected: '2012-10-30 18:00:00.000 America/Los_Angeles',
    doc: DATETIME,
  },
  { family: 'datetime', sql: "SELECT from_iso8601_date('2020-05-11')", expected: '2020-05-11', doc: DATETIME },
  { family: 'datetime', sql: "SELECT from_iso8601_date('2020-W10')", expected: '2020-03-02', doc: DATETIME },
  { family: 'datetime', sql: "SELECT from_iso8601_date('2020-123')", expected: '2020-05-02', doc: DATETIME },
  {
    family: 'datetime',
    sql: "SELECT from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')",
    expected: '2020-05-11 11:15:05.055 +01:00',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_trunc('day' , TIMESTAMP '2022-10-20 05:10:00')",
    expected: '2022-10-20 00:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_trunc('month' , TIMESTAMP '2022-10-20 05:10:00')",
    expected: '2022-10-01 00:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_trunc('year', TIMESTAMP '2022-10-20 05:10:00')",
    expected: '2022-01-01 00:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')",
    expected: '2020-03-01 00:01:26.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')",
    expected: '2020-03-01 09:00:00.000',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')",
    expected: '86400',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_diff('day', DATE '2020-03-01', DATE '2020-03-02')",
    expected: '1',
    doc: DATETIME,
  },
  {
    family: 'datetime',
    sql: "SELECT date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')",
    expected: '86400123',
    doc: DATETIME,
  },
  { family: 'datetime', sql: "SELECT parse_duration('5m')", expected: '0 00:05:00.000', doc: DATETIME },
  { family: 'datetime', sql: 'SELECT human_readable_seconds(96)', expected: '1 minute, 36 seconds', doc: DATETIME },
  // JSON
  { family: 'json', sql: "SELECT is_json_scalar('1')", expected: 'true', doc: JSON_DOC },
  { family: 'json', sql: "SELECT is_json_scalar('[1, 2, 3]')", expected: 'false', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_array_contains('[1, 2, 3]', 2)", expected: 'true', doc: JSON_DOC },
  { family: 'json', sql: 'SELECT json_array_get(\'["a", [3, 9], "c"]\', 1)', expected: '[3,9]', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_array_get('[]', 0)", expected: 'NULL', doc: JSON_DOC },
  { family: 'json', sql: 'SELECT json_array_get(\'["a", "b", "c"]\', 10)', expected: 'NULL', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_array_length('[1, 2, 3]')", expected: '3', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_extract_scalar('[1, 2, 3]', '$[2]')", expected: '3', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_format(JSON '[1, 2, 3]')", expected: '[1,2,3]', doc: JSON_DOC },
  { family: 'json', sql: 'SELECT json_format(JSON \'{"a": 1, "b": 2}\')', expected: '{"a":1,"b":2}', doc: JSON_DOC },
  { family: 'json', sql: "SELECT json_size('{\"x\": [1, 2, 3]}', '$.x')", expected: '3', doc: JSON_DOC },
  { family: 'json', sql: 'SELECT CAST(JSON \'"abc"\' AS VARCHAR)', expected: 'abc', doc: JSON_DOC },
  { family: 'json', sql: "SELECT CAST(JSON '[1,23,456]' AS ARRAY(INTEGER))", expected: '[1, 23, 456]', doc: JSON_DOC },
  { family: 'json', sql: "SELECT CAST('abc' AS JSON)", expected: '"abc"', doc: JSON_DOC },
  // math and operators ("integer division performs truncation")
  { family: 'math', sql: 'SELECT 7 / 2', expected: '3', doc: MATH },
  { family: 'math', sql: 'SELECT -7 / 2', expected: '-3', doc: MATH },
  { family: 'math', sql: 'SELECT 7.0 / 2', expected: '3.5', doc: MATH },
  {
    family: 'math',
    sql: 'SELECT cosine_similarity(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])',
    expected: '0.9838699100999074',
    doc: MATH,
  },
  {
    family: 'math',
    sql: 'SELECT cosine_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])',
    expected: '0.01613008990009257',
    doc: MATH,
  },
  {
    family: 'math',
    sql: "SELECT cosine_similarity(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))",
    expected: '1.0',
    doc: MATH,
  },
  // map
  {
    family: 'map',
    sql: `SELECT MAP(${KEYS}, ARRAY[2373, 3463, 45837])`,
    expected: '{key1=2373, key2=3463, key3=45837}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: `SELECT MAP(${KEYS}, ARRAY['v1', 'v2', 'v3'])`,
    expected: '{key1=v1, key2=v2, key3=v3}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: `SELECT MAP(${KEYS}, ARRAY[23, 34.63, 45.837])`,
    expected: '{key1=23.000, key2=34.630, key3=45.837}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: `SELECT MAP(${KEYS}, ARRAY['v1', NULL, 'v3'])`,
    expected: '{key1=v1, key2=NULL, key3=v3}',
    doc: MAP_DOC,
  },
  { family: 'map', sql: `SELECT MAP(${KEYS}, ARRAY['v1', 'v2', 'v3'])['key2']`, expected: 'v2', doc: MAP_DOC },
  { family: 'map', sql: 'SELECT map()', expected: '{}', doc: MAP_DOC },
  { family: 'map', sql: 'SELECT map(ARRAY[1,3], ARRAY[2,4])', expected: '{1 -> 2, 3 -> 4}', doc: MAP_DOC },
  {
    family: 'map',
    sql: "SELECT map_from_entries(ARRAY[(1, 'x'), (2, 'y')])",
    expected: "{1 -> 'x', 2 -> 'y'}",
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT multimap_from_entries(ARRAY[(1, 'x'), (2, 'y'), (1, 'z')])",
    expected: "{1 -> ['x', 'z'], 2 -> ['y']}",
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT map_entries(MAP(ARRAY[1, 2], ARRAY['x', 'y']))",
    expected: "[ROW(1, 'x'), ROW(2, 'y')]",
    doc: MAP_DOC,
  },
  { family: 'map', sql: 'SELECT map_filter(MAP(ARRAY[], ARRAY[]), (k, v) -> true)', expected: '{}', doc: MAP_DOC },
  {
    family: 'map',
    sql: "SELECT map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL)",
    expected: '{10 -> a, 30 -> c}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)",
    expected: '{k1 -> 20, k3 -> 15}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2))",
    expected: '{1 -> ad, 2 -> be, 3 -> cf}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT map_zip_with(MAP(ARRAY['k1', 'k2'], ARRAY[1, 2]), MAP(ARRAY['k2', 'k3'], ARRAY[4, 9]), (k, v1, v2) -> (v1, v2))",
    expected: '{k1 -> ROW(1, null), k2 -> ROW(2, 4), k3 -> ROW(null, 9)}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]), MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]), (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR))",
    expected: '{a -> a1, b -> b4, c -> c9}',
    doc: MAP_DOC,
  },
  { family: 'map', sql: 'SELECT transform_keys(MAP(ARRAY[], ARRAY[]), (k, v) -> k + 1)', expected: '{}', doc: MAP_DOC },
  {
    family: 'map',
    sql: "SELECT transform_keys(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k + 1)",
    expected: '{2 -> a, 3 -> b, 4 -> c}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_keys(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> v * v)",
    expected: '{1 -> 1, 4 -> 2, 9 -> 3}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_keys(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))",
    expected: '{a1 -> 1, b2 -> 2}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_keys(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k])",
    expected: '{one -> 1.0, two -> 1.4}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: 'SELECT transform_values(MAP(ARRAY[], ARRAY[]), (k, v) -> v + 1)',
    expected: '{}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: 'SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY [10, 20, 30]), (k, v) -> v + k)',
    expected: '{1 -> 11, 2 -> 22, 3 -> 33}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k * k)",
    expected: '{1 -> 1, 2 -> 4, 3 -> 9}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_values(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))",
    expected: '{a -> a1, b -> b2}',
    doc: MAP_DOC,
  },
  {
    family: 'map',
    sql: "SELECT transform_values(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k] || '_' || CAST(v AS VARCHAR))",
    expected: '{1 -> one_1.0, 2 -> two_1.4}',
    doc: MAP_DOC,
  },
  // window ("with 6 rows and 4 buckets, the bucket values would be as follows: 1 1 2 2 3 4")
  {
    family: 'window',
    sql: 'SELECT ntile(4) OVER (ORDER BY x) FROM (VALUES 1, 2, 3, 4, 5, 6) AS t(x) ORDER BY x',
    expected: '1; 1; 2; 2; 3; 4',
    rows: true,
    doc: WINDOW,
  },
  // conditional (the TRY examples' first rows)
  {
    family: 'conditional',
    sql: 'SELECT COALESCE(CAST(ROW(NULL, NULL) AS ROW(integer, integer)), ROW(1, 2))',
    expected: '(1, 2)',
    doc: CONDITIONAL,
  },
  {
    family: 'conditional',
    sql: 'SELECT COALESCE(CAST(ROW(1, NULL) AS ROW(integer, integer)), ROW(1, 2))',
    expected: '(1, NULL)',
    doc: CONDITIONAL,
  },
  {
    family: 'conditional',
    sql: `SELECT TRY(CAST(origin_zip AS BIGINT)) FROM ${SHIPPING}`,
    expected: '94131',
    doc: CONDITIONAL,
  },
  {
    family: 'conditional',
    sql: `SELECT COALESCE(TRY(total_cost / packages), 0) AS per_package FROM ${SHIPPING}`,
    expected: '4',
    doc: CONDITIONAL,
  },
  // aggregate (grouped examples: their first row, groups in the order the page prints them)
  {
    family: 'aggregate',
    sql: "SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value FROM (VALUES 'a', 'c', 'b') t(value)",
    expected: 'a,b,c',
    doc: AGGREGATE,
  },
  {
    family: 'aggregate',
    sql: "SELECT listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value FROM (VALUES (100, 1, 'a'), (200, 3, 'c'), (200, 2, 'b')) t(id, o, value) GROUP BY id ORDER BY id",
    expected: 'a',
    doc: AGGREGATE,
  },
  {
    family: 'aggregate',
    sql: "SELECT listagg(city, ',') WITHIN GROUP (ORDER BY population DESC) FILTER (WHERE population >= 10_000_000) megacities FROM (VALUES ('India', 'Bangalore', 13_700_000), ('India', 'Chennai', 12_200_000), ('India', 'Ranchi', 1_547_000), ('Austria', 'Vienna', 1_897_000), ('Poland', 'Warsaw', 1_765_000)) t(country, city, population) GROUP BY country ORDER BY country",
    expected: 'NULL',
    doc: AGGREGATE,
  },
  {
    family: 'aggregate',
    sql: 'SELECT reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id ORDER BY id',
    expected: '12',
    doc: AGGREGATE,
  },
  {
    family: 'aggregate',
    sql: 'SELECT reduce_agg(value, 1, (a, b) -> a * b, (a, b) -> a * b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id ORDER BY id',
    expected: '60',
    doc: AGGREGATE,
  },
  // operators (comparison page)
  { family: 'operator', sql: 'SELECT NULL BETWEEN 2 AND 4', expected: 'null', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT 2 BETWEEN NULL AND 6', expected: 'null', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT 2 BETWEEN 3 AND NULL', expected: 'false', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT 8 BETWEEN NULL AND 6', expected: 'false', doc: COMPARISON },
  { family: 'operator', sql: "SELECT 'Paul' BETWEEN 'John' AND 'Ringo'", expected: 'true', doc: COMPARISON },
  { family: 'operator', sql: 'select NULL IS NULL', expected: 'true', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT 3.0 IS NULL', expected: 'false', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT NULL IS DISTINCT FROM NULL', expected: 'false', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT NULL IS NOT DISTINCT FROM NULL', expected: 'true', doc: COMPARISON },
  { family: 'operator', sql: "SELECT 'hello' = ANY (VALUES 'hello', 'world')", expected: 'true', doc: COMPARISON },
  { family: 'operator', sql: 'SELECT 21 < ALL (VALUES 19, 20, 21)', expected: 'false', doc: COMPARISON },
  {
    family: 'operator',
    sql: 'SELECT 42 >= SOME (SELECT 41 UNION ALL SELECT 42 UNION ALL SELECT 43)',
    expected: 'true',
    doc: COMPARISON,
  },
  {
    family: 'operator',
    sql: `SELECT * FROM ${CONTINENTS} WHERE continent LIKE 'E%'`,
    expected: 'Europe',
    doc: COMPARISON,
  },
  {
    family: 'operator',
    sql: `SELECT * FROM ${CONTINENTS} WHERE continent NOT LIKE 'E%'`,
    expected: 'America',
    doc: COMPARISON,
  },
  // Left out: the page's `continent LIKE 'A__A'` "produces only Asia", which its own rule (matching is case
  // sensitive) contradicts: 'Asia' ends in a lower-case a, so Trino returns no row.
  {
    family: 'operator',
    sql: "SELECT 'South_America' LIKE 'South\\_America' ESCAPE '\\'",
    expected: 'true',
    doc: COMPARISON,
  },
];
