// Spark SQL (Glue 4/5, non-ANSI) function -> DuckDB mapping, used with local/sql/spark-compat.sql loaded (its macros
// give dayofweek, datediff, to_date, trim and percentile_approx Spark's meaning). A function missing from the table
// is refused: DuckDB functions of the same name can mean another thing.
import {
  applyLambda,
  arg,
  type FunctionCall,
  type FunctionRule,
  lambdaParts,
  literalArg,
  MAP_LAMBDAS,
  quantified,
  quote,
  refuse,
  rename,
  rewrite,
  SAME_MEANING,
  same,
  WINDOW_FUNCTIONS,
} from '../function-rules';
import { UnsupportedSqlError } from '../unsupported';

// Java DateTimeFormatter letters as strftime writes them, longest first; any other letter in a pattern is refused.
const JAVA_FORMAT: [RegExp, string][] = [
  [/^yyyy/, '%Y'],
  [/^yy(?!y)/, '%y'],
  [/^y+/, '%Y'],
  [/^MMMM/, '%B'],
  [/^MMM/, '%b'],
  [/^MM/, '%m'],
  [/^dd/, '%d'],
  [/^HH/, '%H'],
  [/^hh/, '%I'],
  [/^mm/, '%M'],
  [/^ss/, '%S'],
  [/^SSSSSS/, '%f'],
  [/^a/, '%p'],
  [/^EEEE/, '%A'],
  [/^EEE/, '%a'],
  [/^M/, '%-m'],
  [/^d/, '%-d'],
  [/^H/, '%-H'],
  [/^m/, '%-M'],
  [/^s/, '%-S'],
];

function javaFormat(call: FunctionCall, i: number): string {
  let pattern = literalArg(call, i, 'spark');
  let out = '';
  while (pattern.length > 0) {
    const quoted = /^'([^']*)'/.exec(pattern);
    if (quoted) {
      out += (quoted[1] ?? '').replaceAll('%', '%%');
      pattern = pattern.slice(quoted[0].length);
      continue;
    }
    const hit = JAVA_FORMAT.find(([re]) => re.test(pattern));
    if (hit) {
      out += hit[1];
      pattern = pattern.replace(hit[0], '');
      continue;
    }
    const ch = pattern[0] ?? '';
    if (/[a-zA-Z]/.test(ch)) throw new UnsupportedSqlError(`${call.name} pattern letter ${ch}`, 'spark');
    out += ch === '%' ? '%%' : ch;
    pattern = pattern.slice(1);
  }
  return quote(out);
}

// date_trunc's format abbreviations DuckDB does not know (YEAR, MONTH, WEEK, DAY... it reads as Spark does).
const DATE_TRUNC_UNITS: Record<string, string> = { yyyy: 'year', yy: 'year', mon: 'month', mm: 'month', dd: 'day' };

// trunc's format names (Spark returns NULL for others; the twin refuses them).
const TRUNC_UNITS: Record<string, string> = {
  year: 'year',
  yyyy: 'year',
  yy: 'year',
  quarter: 'quarter',
  month: 'month',
  mon: 'month',
  mm: 'month',
  week: 'week',
};

// Spark (Java) writes group references as $1; DuckDB's RE2 replacement as \1.
const replacement = (call: FunctionCall, i: number) =>
  quote(
    literalArg(call, i, 'spark')
      .replaceAll('\\', '\\\\')
      .replace(/\$(\d)/g, '\\$1'),
  );

const isStringLiteral = (call: FunctionCall, i: number) => /^\s*(['"]).*\1\s*$/s.test(call.rawArgs[i] ?? '');

/**
 * A date or time part of a string: Spark casts the string (to a DATE by to_date's rules, or to a TIMESTAMP), DuckDB
 * cannot pick an overload for a string literal. Only a written literal is cast, so typed columns keep their SQL.
 */
const partOf = (fn: string, cast: 'date' | 'timestamp') =>
  rewrite([1], (c) => {
    if (!isStringLiteral(c, 0)) return `${fn}(${arg(c, 0)})`;
    return `${fn}(${cast === 'date' ? `to_date(${arg(c, 0)})` : `TRY_CAST(${arg(c, 0)} AS TIMESTAMP)`})`;
  });

// DuckDB's type names as Spark names them; a type not listed is refused by typeof.
const SPARK_TYPE_NAMES: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'int',
  BIGINT: 'bigint',
  FLOAT: 'float',
  DOUBLE: 'double',
  VARCHAR: 'string',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  BLOB: 'binary',
};

function sparkTypeName(call: FunctionCall): string {
  const type = `typeof(${arg(call, 0)})`;
  const names = Object.entries(SPARK_TYPE_NAMES).map(([duck, spark]) => `WHEN ${quote(duck)} THEN ${quote(spark)}`);
  const refusal = quote('typeof of this type is not supported locally: the twin has no Spark name for it');
  return `CASE ${type} ${names.join(' ')} ELSE CASE WHEN starts_with(${type}, 'DECIMAL') THEN lower(${type}) ELSE error(${refusal}) END END`;
}

// size/cardinality: -1 for NULL (non-ANSI); DuckDB's len takes lists only, so a written map( call counts entries.
const sizeOf = (c: FunctionCall) =>
  /^\s*`?map`?\s*\(/i.test(c.rawArgs[0] ?? '')
    ? `coalesce(cardinality(${arg(c, 0)}), -1)`
    : `coalesce(len(${arg(c, 0)}), -1)`;

/** A `(x, i) -> ...` lambda counts i from 0 in Spark, from 1 in DuckDB; a one-parameter lambda is kept. */
function indexedLambda(c: FunctionCall): string {
  const lambda = lambdaParts(c.args[1] ?? '');
  if (lambda?.params.length !== 2) return arg(c, 1);
  return `(__x, __i) -> ${applyLambda(c, 1, ['__x', '(__i - 1)'], 'spark')}`;
}

export const SPARK_FUNCTIONS: Record<string, FunctionRule> = {
  // aggregates
  mean: rename('avg'),
  every: rename('bool_and'),
  first: rename('first'),
  last: rename('last'),
  collect_list: rename('list'),
  percentile_approx: same,
  approx_percentile: rename('percentile_approx'),
  approx_count_distinct: same,
  median: same,
  ...WINDOW_FUNCTIONS,
  ...SAME_MEANING,
  // conditional and null
  ifnull: rename('coalesce'),
  nvl: rename('coalesce'),
  nvl2: rewrite([3], (c) => `CASE WHEN (${arg(c, 0)}) IS NOT NULL THEN ${arg(c, 1)} ELSE ${arg(c, 2)} END`),
  isnull: rewrite([1], (c) => `((${arg(c, 0)}) IS NULL)`),
  isnotnull: rewrite([1], (c) => `((${arg(c, 0)}) IS NOT NULL)`),
  greatest: same,
  least: same,
  // string (Spark's concat is NULL when any argument is; DuckDB's skips NULLs)
  concat: rewrite([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (c) => `(${c.args.map((a) => `(${a})`).join(' || ')})`),
  char_length: rename('length'),
  lcase: rename('lower'),
  ucase: rename('upper'),
  instr: same,
  replace: same,
  repeat: same,
  startswith: rename('starts_with'),
  endswith: rename('ends_with'),
  contains: same,
  left: same,
  right: same,
  ascii: same,
  initcap: refuse('no local equivalent'),
  format_string: rename('printf'),
  printf: same,
  split: rewrite([2], (c) => `regexp_split_to_array(${arg(c, 0)}, ${arg(c, 1)})`),
  split_part: same,
  md5: same,
  sha1: same,
  sha2: rewrite([2], (c) => {
    if (!['256', '0'].includes((c.rawArgs[1] ?? '').trim()))
      throw new UnsupportedSqlError('sha2 other than 256', 'spark');
    return `sha256(${arg(c, 0)})`;
  }),
  // regexp
  regexp_replace: rewrite([3], (c) => `regexp_replace(${arg(c, 0)}, ${arg(c, 1)}, ${replacement(c, 2)}, 'g')`),
  regexp_extract: rewrite(
    [2, 3],
    (c) => `coalesce(regexp_extract(${arg(c, 0)}, ${arg(c, 1)}, ${c.args[2] ?? '1'}), '')`,
  ),
  regexp_extract_all: rewrite([2, 3], (c) => `regexp_extract_all(${arg(c, 0)}, ${arg(c, 1)}, ${c.args[2] ?? '1'})`),
  rlike: rename('regexp_matches'),
  regexp_like: rename('regexp_matches'),
  // math
  ceil: rewrite([1], (c) => `CAST(ceil(${arg(c, 0)}) AS BIGINT)`),
  ceiling: rewrite([1], (c) => `CAST(ceil(${arg(c, 0)}) AS BIGINT)`),
  floor: rewrite([1], (c) => `CAST(floor(${arg(c, 0)}) AS BIGINT)`),
  sign: rewrite([1], (c) => `CAST(sign(${arg(c, 0)}) AS DOUBLE)`),
  signum: rewrite([1], (c) => `CAST(sign(${arg(c, 0)}) AS DOUBLE)`),
  rand: rename('random'),
  mod: same,
  pmod: rewrite([2], (c) => `(((${arg(c, 0)}) % (${arg(c, 1)}) + (${arg(c, 1)})) % (${arg(c, 1)}))`),
  bround: refuse('half-even rounding'),
  // date and time
  current_date: same,
  current_timestamp: same,
  now: rename('current_timestamp'),
  year: partOf('year', 'date'),
  quarter: partOf('quarter', 'date'),
  month: partOf('month', 'date'),
  day: partOf('day', 'date'),
  dayofmonth: partOf('day', 'date'),
  dayofweek: partOf('dayofweek', 'date'),
  dayofyear: partOf('dayofyear', 'date'),
  weekofyear: partOf('week', 'date'),
  hour: partOf('hour', 'timestamp'),
  minute: partOf('minute', 'timestamp'),
  second: partOf('second', 'timestamp'),
  typeof: rewrite([1], sparkTypeName),
  datediff: same,
  to_date: rewrite([1, 2], (c) =>
    c.args.length === 1 ? `to_date(${arg(c, 0)})` : `CAST(try_strptime(${arg(c, 0)}, ${javaFormat(c, 1)}) AS DATE)`,
  ),
  to_timestamp: rewrite([1, 2], (c) =>
    c.args.length === 1 ? `TRY_CAST(${arg(c, 0)} AS TIMESTAMP)` : `try_strptime(${arg(c, 0)}, ${javaFormat(c, 1)})`,
  ),
  date_format: rewrite([2], (c) => `strftime(CAST(${arg(c, 0)} AS TIMESTAMP), ${javaFormat(c, 1)})`),
  date_add: rewrite([2], (c) => `CAST(CAST(${arg(c, 0)} AS DATE) + CAST(${arg(c, 1)} AS INTEGER) AS DATE)`),
  date_sub: rewrite([2], (c) => `CAST(CAST(${arg(c, 0)} AS DATE) - CAST(${arg(c, 1)} AS INTEGER) AS DATE)`),
  add_months: rewrite(
    [2],
    (c) => `CAST(CAST(${arg(c, 0)} AS DATE) + to_months(CAST(${arg(c, 1)} AS INTEGER)) AS DATE)`,
  ),
  last_day: rewrite([1], (c) => `last_day(CAST(${arg(c, 0)} AS DATE))`),
  // Spark casts a string to a TIMESTAMP here; DuckDB cannot pick an overload for a string literal.
  date_trunc: rewrite([2], (c) => {
    const unit = isStringLiteral(c, 0) ? DATE_TRUNC_UNITS[literalArg(c, 0, 'spark').toLowerCase()] : undefined;
    const value = isStringLiteral(c, 1) ? `TRY_CAST(${arg(c, 1)} AS TIMESTAMP)` : arg(c, 1);
    return `date_trunc(${unit ? quote(unit) : arg(c, 0)}, ${value})`;
  }),
  trunc: rewrite([2], (c) => {
    const unit = TRUNC_UNITS[literalArg(c, 1, 'spark').toLowerCase()];
    if (!unit) throw new UnsupportedSqlError(`trunc unit ${c.rawArgs[1]}`, 'spark');
    return `CAST(date_trunc('${unit}', CAST(${arg(c, 0)} AS DATE)) AS DATE)`;
  }),
  unix_timestamp: refuse('the session time zone and Java patterns'),
  from_unixtime: refuse('Java patterns'),
  // JSON: NULL for text that is not JSON (or not of the kind asked), where DuckDB fails or answers 0.
  get_json_object: rewrite(
    [2],
    (c) => `CASE WHEN json_valid(${arg(c, 0)}) THEN json_extract_string(${arg(c, 0)}, ${arg(c, 1)}) END`,
  ),
  json_array_length: rewrite(
    [1],
    (c) =>
      `CASE WHEN json_valid(${arg(c, 0)}) AND json_type(${arg(c, 0)}) = 'ARRAY' THEN json_array_length(${arg(c, 0)}) END`,
  ),
  json_object_keys: rewrite(
    [1],
    (c) => `CASE WHEN json_valid(${arg(c, 0)}) AND json_type(${arg(c, 0)}) = 'OBJECT' THEN json_keys(${arg(c, 0)}) END`,
  ),
  json_tuple: refuse('generator functions'),
  // array and map
  array: rewrite([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (c) => `[${c.args.join(', ')}]`),
  array_contains: rename('list_contains'),
  size: rewrite([1], sizeOf),
  cardinality: rewrite([1], sizeOf),
  element_at: rewrite([2], (c) => `(${arg(c, 0)})[${arg(c, 1)}]`),
  array_join: rewrite([2], (c) => `array_to_string(${arg(c, 0)}, ${arg(c, 1)})`),
  // Spark sorts NULLs first ascending and last descending; the order is a literal boolean.
  sort_array: rewrite([1, 2], (c) => {
    const asc = (c.rawArgs[1] ?? 'true').trim().toLowerCase();
    if (asc !== 'true' && asc !== 'false')
      throw new UnsupportedSqlError('sort_array with a non-literal order', 'spark');
    return asc === 'true'
      ? `list_sort(${arg(c, 0)}, 'ASC', 'NULLS FIRST')`
      : `list_sort(${arg(c, 0)}, 'DESC', 'NULLS LAST')`;
  }),
  array_max: rename('list_max'),
  array_min: rename('list_min'),
  array_distinct: refuse('element order'),
  map: rewrite([0, 2, 4, 6, 8, 10, 12, 14, 16], (c) => {
    const keys = c.args.filter((_, i) => i % 2 === 0);
    const values = c.args.filter((_, i) => i % 2 === 1);
    return `map([${keys.join(', ')}], [${values.join(', ')}])`;
  }),
  map_concat: same,
  map_contains_key: rename('map_contains'),
  map_entries: same,
  map_from_arrays: rewrite([2], (c) => `map(${arg(c, 0)}, ${arg(c, 1)})`),
  ...MAP_LAMBDAS('spark'),
  transform: rewrite([2], (c) => `list_transform(${arg(c, 0)}, ${indexedLambda(c)})`),
  filter: rewrite([2], (c) => `list_filter(${arg(c, 0)}, ${indexedLambda(c)})`),
  exists: rewrite([2], (c) => quantified('any', `list_transform(${arg(c, 0)}, ${indexedLambda(c)})`)),
  forall: rewrite([2], (c) => quantified('all', `list_transform(${arg(c, 0)}, ${indexedLambda(c)})`)),
  aggregate: rewrite([3, 4], (c) => {
    const folded = `list_reduce(${arg(c, 0)}, ${arg(c, 2)}, ${arg(c, 1)})`;
    return c.args.length === 3 ? folded : applyLambda(c, 3, [folded], 'spark');
  }),
  explode: refuse('generator functions'),
  posexplode: refuse('generator functions'),
};
