// Trino function -> DuckDB mapping: the one table that says which Trino functions the twin runs, how, and which it
// refuses. A function missing from the table is refused: DuckDB functions of the same name can mean another thing.
import {
  applyLambda,
  arg,
  type FunctionCall,
  type FunctionRule,
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

export type { FunctionRule } from '../function-rules';

const literal = (call: FunctionCall, i: number) => literalArg(call, i, 'trino');

// MySQL-style date_format/date_parse specifiers that strftime/strptime write differently.
const MYSQL_FORMAT: Record<string, string> = {
  '%a': '%a',
  '%b': '%b',
  '%c': '%-m',
  '%d': '%d',
  '%e': '%-d',
  '%f': '%f',
  '%H': '%H',
  '%h': '%I',
  '%I': '%I',
  '%i': '%M',
  '%j': '%j',
  '%k': '%-H',
  '%l': '%-I',
  '%M': '%B',
  '%m': '%m',
  '%p': '%p',
  '%r': '%I:%M:%S %p',
  '%S': '%S',
  '%s': '%S',
  '%T': '%H:%M:%S',
  '%W': '%A',
  '%Y': '%Y',
  '%y': '%y',
  '%%': '%%',
};

function mysqlFormat(call: FunctionCall, i: number): string {
  return quote(
    literal(call, i).replace(/%./g, (spec) => {
      const mapped = MYSQL_FORMAT[spec];
      if (mapped === undefined) throw new UnsupportedSqlError(`${call.name} format specifier ${spec}`, 'trino');
      return mapped;
    }),
  );
}

// Trino writes group references as $1; DuckDB's RE2 replacement as \1.
function replacement(call: FunctionCall, i: number): string {
  return quote(
    literal(call, i)
      .replaceAll('\\', '\\\\')
      .replace(/\$(\d)/g, '\\$1'),
  );
}

/**
 * `value` for a TIMESTAMP `operand`, a refusal at run time for a DATE one: Trino keeps a DATE a DATE, DuckDB makes it
 * a TIMESTAMP, and a column's type is unknown until DuckDB binds it (a written DATE is cast by the caller instead).
 */
export function refuseIfDate(operand: string, value: string, feature: string): string {
  const message = quote(
    `${feature} on a DATE column is not supported locally: the twin cannot reproduce Trino (Athena)'s DATE result (write CAST(... AS DATE) around the column)`,
  );
  return `CASE WHEN typeof(${operand}) = 'DATE' THEN error(${message}) ELSE ${value} END`;
}

const UNIT_INTERVAL: Record<string, string> = {
  millisecond: 'to_milliseconds',
  second: 'to_seconds',
  minute: 'to_minutes',
  hour: 'to_hours',
  day: 'to_days',
  week: 'to_weeks',
  month: 'to_months',
  year: 'to_years',
};

function dateAdd(call: FunctionCall): string {
  const unit = literal(call, 0).toLowerCase();
  const n = unit === 'quarter' ? `3 * (${arg(call, 1)})` : arg(call, 1);
  const fn = UNIT_INTERVAL[unit === 'quarter' ? 'month' : unit];
  if (!fn) throw new UnsupportedSqlError(`date_add unit '${unit}'`, 'trino');
  const sum = `(${arg(call, 2)} + ${fn}(CAST(${n} AS BIGINT)))`;
  return call.isDate(2) ? `CAST(${sum} AS DATE)` : refuseIfDate(arg(call, 2), sum, 'date_add');
}

function reduce(call: FunctionCall): string {
  const folded = `list_reduce(${arg(call, 0)}, ${arg(call, 2)}, ${arg(call, 1)})`;
  return `list_transform([${folded}], ${arg(call, 3)})[1]`;
}

/** Trino's greatest/least are NULL when any argument is; DuckDB's skip NULLs. */
const nullStrict = (fn: string) => (call: FunctionCall) =>
  `CASE WHEN ${call.args.map((a) => `(${a}) IS NULL`).join(' OR ')} THEN NULL ELSE ${fn}(${call.args.join(', ')}) END`;

const MAP_MAKER = /^\s*(map|map_filter|map_concat|map_from_entries|map_zip_with|transform_keys|transform_values)\s*\(/i;

const ANY = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

export const TRINO_FUNCTIONS: Record<string, FunctionRule> = {
  // aggregates
  every: rename('bool_and'),
  arbitrary: rename('any_value'),
  array_agg: same,
  approx_distinct: rename('approx_count_distinct'),
  approx_percentile: same,
  regr_slope: same,
  regr_intercept: same,
  geometric_mean: same,
  bitwise_and_agg: rename('bit_and'),
  bitwise_or_agg: rename('bit_or'),
  checksum: refuse('a Trino-specific hash'),
  // The state lambda folds the group's non-null values from the initial state; partial states need no combining.
  reduce_agg: rewrite(
    [4],
    (c) => `list_reduce(list_filter(list(${arg(c, 0)}), __x -> __x IS NOT NULL), ${arg(c, 2)}, ${arg(c, 1)})`,
  ),
  ...WINDOW_FUNCTIONS,
  ...SAME_MEANING,
  // string
  strpos: rewrite([2], (c) => `strpos(${arg(c, 0)}, ${arg(c, 1)})`),
  starts_with: same,
  ends_with: same,
  translate: same,
  codepoint: rename('unicode'),
  position: same,
  replace: rewrite([2, 3], (c) => `replace(${arg(c, 0)}, ${arg(c, 1)}, ${c.args[2] ?? "''"})`),
  concat: rewrite(ANY, (c) => `(${c.args.map((a) => `(${a})`).join(' || ')})`),
  split: rewrite([2], (c) => `string_split(${arg(c, 0)}, ${arg(c, 1)})`),
  split_part: rename('trino_split_part'),
  levenshtein_distance: rename('levenshtein'),
  luhn_check: rename('trino_luhn_check'),
  title_case: rename('trino_title_case'),
  hamming_distance: rename('hamming'),
  to_utf8: rename('encode'),
  from_utf8: rename('decode'),
  format: refuse('Java format patterns'),
  typeof: refuse("DuckDB's type names"),
  // regexp (RE2 on DuckDB, Java patterns on Trino: the common syntax agrees)
  regexp_like: rename('regexp_matches'),
  regexp_replace: rewrite([2, 3], (c) =>
    c.args.length === 2
      ? `regexp_replace(${arg(c, 0)}, ${arg(c, 1)}, '', 'g')`
      : `regexp_replace(${arg(c, 0)}, ${arg(c, 1)}, ${replacement(c, 2)}, 'g')`,
  ),
  regexp_extract: rename('trino_regexp_extract'),
  regexp_extract_all: rename('trino_regexp_extract_all'),
  regexp_count: rewrite([2], (c) => `len(regexp_extract_all(${arg(c, 0)}, ${arg(c, 1)}))`),
  regexp_split: rename('regexp_split_to_array'),
  regexp_position: rewrite([2], (c) => `trino_regexp_position(${arg(c, 0)}, ${arg(c, 1)})`),
  // JSON
  is_json_scalar: rewrite([1], (c) => `(json_type(${arg(c, 0)}) NOT IN ('OBJECT', 'ARRAY'))`),
  json_size: rewrite([2], (c) => {
    const type = `json_type(${arg(c, 0)}, ${arg(c, 1)})`;
    return `CASE WHEN ${type} = 'ARRAY' THEN json_array_length(${arg(c, 0)}, ${arg(c, 1)}) WHEN ${type} = 'OBJECT' THEN len(json_keys(${arg(c, 0)}, ${arg(c, 1)})) WHEN ${type} IS NOT NULL THEN 0 END`;
  }),
  json_extract_scalar: rename('trino_json_extract_scalar'),
  json_extract: rename('json_extract'),
  json_array_length: same,
  // Compared as JSON text: the element's and the value's minified JSON.
  json_array_contains: rewrite(
    [2],
    (c) =>
      `list_contains(CAST(json_extract(${arg(c, 0)}, '$[*]') AS VARCHAR[]), CAST(to_json(${arg(c, 1)}) AS VARCHAR))`,
  ),
  json_parse: rename('json'),
  json_format: rewrite([1], (c) => `CAST(json(${arg(c, 0)}) AS VARCHAR)`),
  json_array_get: rewrite([2], (c) => `json_extract(${arg(c, 0)}, '$[' || (${arg(c, 1)}) || ']')`),
  // URL
  url_extract_host: rename('trino_url_extract_host'),
  url_extract_path: rename('trino_url_extract_path'),
  url_extract_protocol: rename('trino_url_extract_protocol'),
  url_extract_query: rename('trino_url_extract_query'),
  url_extract_fragment: rename('trino_url_extract_fragment'),
  url_extract_port: rename('trino_url_extract_port'),
  url_extract_parameter: rename('trino_url_extract_parameter'),
  url_encode: rename('url_encode'),
  url_decode: rename('url_decode'),
  // math
  ceil: same,
  ceiling: same,
  floor: same,
  sign: same,
  log: rewrite([2], (c) => `log(${arg(c, 0)}, ${arg(c, 1)})`),
  mod: rename('trino_mod'),
  truncate: rewrite([1], (c) => `trunc(${arg(c, 0)})`),
  rand: rename('random'),
  is_nan: rename('isnan'),
  is_finite: rename('isfinite'),
  is_infinite: rename('isinf'),
  infinity: rewrite([0], () => "CAST('inf' AS DOUBLE)"),
  nan: rewrite([0], () => "CAST('nan' AS DOUBLE)"),
  greatest: rewrite(ANY, nullStrict('greatest')),
  least: rewrite(ANY, nullStrict('least')),
  // conditional
  try: same,
  // date and time
  week: same,
  week_of_year: rename('week'),
  day_of_month: rename('day'),
  day_of_week: same,
  dow: rename('isodow'),
  day_of_year: rename('dayofyear'),
  doy: rename('dayofyear'),
  year_of_week: rename('isoyear'),
  yow: rename('isoyear'),
  millisecond: same,
  last_day_of_month: rename('last_day'),
  now: same,
  date: rewrite([1], (c) => `CAST(${arg(c, 0)} AS DATE)`),
  date_trunc: rewrite([2], (c) => {
    const truncated = `date_trunc(${arg(c, 0)}, ${arg(c, 1)})`;
    return c.isDate(1) ? `CAST(${truncated} AS DATE)` : refuseIfDate(arg(c, 1), truncated, 'date_trunc');
  }),
  date_add: rewrite([3], dateAdd),
  // Trino counts whole units elapsed; DuckDB's date_diff counts boundaries crossed, its date_sub whole units.
  date_diff: rewrite([3], (c) => `date_sub(${arg(c, 0)}, ${arg(c, 1)}, ${arg(c, 2)})`),
  date_parse: rewrite([2], (c) => `strptime(${arg(c, 0)}, ${mysqlFormat(c, 1)})`),
  date_format: rewrite([2], (c) => `strftime(${arg(c, 0)}, ${mysqlFormat(c, 1)})`),
  from_iso8601_timestamp: rename('trino_from_iso8601_timestamp'),
  from_iso8601_date: rename('trino_from_iso8601_date'),
  human_readable_seconds: rename('trino_human_readable_seconds'),
  to_unixtime: rewrite([1], (c) => `epoch(${arg(c, 0)})`),
  from_unixtime: rewrite([1], (c) => `to_timestamp(${arg(c, 0)})`),
  format_datetime: refuse('Joda-Time patterns'),
  parse_datetime: refuse('Joda-Time patterns'),
  with_timezone: refuse('time zone arithmetic'),
  at_timezone: refuse('time zone arithmetic'),
  // array
  // DuckDB counts a list with len and a map with cardinality; a map is known from the call that makes it.
  cardinality: rewrite([1], (c) =>
    MAP_MAKER.test(c.rawArgs[0] ?? '') ? `cardinality(${arg(c, 0)})` : `len(${arg(c, 0)})`,
  ),
  element_at: rewrite([2], (c) => `(${arg(c, 0)})[${arg(c, 1)}]`),
  contains: rename('list_contains'),
  array_position: rename('trino_array_position'),
  array_join: rewrite([2, 3], (c) =>
    c.args.length === 2
      ? `array_to_string(${arg(c, 0)}, ${arg(c, 1)})`
      : `array_to_string(list_transform(${arg(c, 0)}, x -> coalesce(CAST(x AS VARCHAR), ${arg(c, 2)})), ${arg(c, 1)})`,
  ),
  array_max: rename('list_max'),
  array_min: rename('list_min'),
  array_sort: rewrite([1], (c) => `array_sort(${arg(c, 0)})`),
  array_distinct: rename('trino_array_distinct'),
  arrays_overlap: rename('list_has_any'),
  array_remove: rewrite([2], (c) => `list_filter(${arg(c, 0)}, x -> x IS DISTINCT FROM (${arg(c, 1)}))`),
  euclidean_distance: rename('list_distance'),
  // Trino also takes two maps (sparse vectors keyed alike).
  cosine_similarity: rewrite([2], (c) =>
    /^\s*map\s*\(/i.test(c.rawArgs[0] ?? '')
      ? `trino_map_cosine_similarity(${arg(c, 0)}, ${arg(c, 1)})`
      : `list_cosine_similarity(${arg(c, 0)}, ${arg(c, 1)})`,
  ),
  // Each distinct element with its count, in the order of first occurrence; NULLs are not counted.
  array_histogram: rewrite([1], (c) => {
    const a = arg(c, 0);
    const keys = `list_filter(${a}, (__x, __i) -> __x IS NOT NULL AND list_position(${a}, __x) = __i)`;
    return `map_from_entries(list_transform(${keys}, __k -> {'key': __k, 'value': len(list_filter(${a}, __x -> __x = __k))}))`;
  }),
  // Pairs in the order of the array; other sizes are refused.
  combinations: rewrite([2], (c) => {
    if ((c.rawArgs[1] ?? '').trim() !== '2')
      throw new UnsupportedSqlError('combinations of other than 2 elements', 'trino');
    const a = arg(c, 0);
    return `flatten(list_transform(generate_series(1, len(${a})), __i -> list_transform(generate_series(__i + 1, len(${a})), __j -> [(${a})[__i], (${a})[__j]])))`;
  }),
  // An array no longer than n is its own single n-gram.
  ngrams: rewrite([2], (c) => {
    const [a, n] = [arg(c, 0), arg(c, 1)];
    return `CASE WHEN len(${a}) <= (${n}) THEN [${a}] ELSE list_transform(generate_series(1, len(${a}) - (${n}) + 1), __i -> (${a})[__i:__i + (${n}) - 1]) END`;
  }),
  cosine_distance: rename('list_cosine_distance'),
  dot_product: rename('list_dot_product'),
  trim_array: rewrite([2], (c) => `list_slice(${arg(c, 0)}, 1, len(${arg(c, 0)}) - (${arg(c, 1)}))`),
  slice: rewrite([3], (c) => `list_slice(${arg(c, 0)}, ${arg(c, 1)}, (${arg(c, 1)}) + (${arg(c, 2)}) - 1)`),
  sequence: rewrite([2, 3], (c) => {
    const dates = c.isDate(0) || c.isDate(1);
    const step = c.args[2] ?? (dates ? 'INTERVAL 1 DAY' : undefined);
    const series = `generate_series(${arg(c, 0)}, ${arg(c, 1)}${step ? `, ${step}` : ''})`;
    return dates ? `list_transform(${series}, d -> CAST(d AS DATE))` : series;
  }),
  repeat: rewrite([2], (c) => `list_transform(generate_series(1, ${arg(c, 1)}), _ -> ${arg(c, 0)})`),
  transform: rename('list_transform'),
  filter: rename('list_filter'),
  reduce: rewrite([4], reduce),
  // Trino pads the shorter array with NULLs.
  zip_with: rewrite([3], (c) => {
    const at = (i: number) => `(${arg(c, i)})[__i]`;
    const length = `greatest(len(${arg(c, 0)}), len(${arg(c, 1)}))`;
    return `list_transform(generate_series(1, ${length}), __i -> ${applyLambda(c, 2, [at(0), at(1)], 'trino')})`;
  }),
  any_match: rewrite([2], (c) => quantified('any', `list_transform(${arg(c, 0)}, ${arg(c, 1)})`)),
  all_match: rewrite([2], (c) => quantified('all', `list_transform(${arg(c, 0)}, ${arg(c, 1)})`)),
  none_match: rewrite([2], (c) => `(NOT ${quantified('any', `list_transform(${arg(c, 0)}, ${arg(c, 1)})`)})`),
  zip: refuse('row field names'),
  array_union: refuse('element order'),
  array_except: refuse('element order'),
  array_intersect: refuse('element order'),
  // map
  map: same,
  map_concat: same,
  map_from_entries: same,
  map_entries: refuse('row field names'),
  // The keys of both maps, the first map's first; a key missing from one map gives the lambda NULL for it.
  map_zip_with: rewrite([3], (c) => {
    const keys = `list_concat(map_keys(${arg(c, 0)}), map_keys(${arg(c, 1)}))`;
    const unique = `list_filter(${keys}, (__k, __i) -> list_position(${keys}, __k) = __i)`;
    const value = applyLambda(c, 2, ['__k', `(${arg(c, 0)})[__k]`, `(${arg(c, 1)})[__k]`], 'trino');
    return `map_from_entries(list_transform(${unique}, __k -> {'key': __k, 'value': ${value}}))`;
  }),
  ...MAP_LAMBDAS('trino'),
};
