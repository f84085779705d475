// The shape of a dialect's function table (local/sql/<dialect>/functions.ts): what each engine function becomes
// on DuckDB, or why it is refused. Shared by the Trino and Spark translators.
import { type Dialect, UnsupportedSqlError } from './unsupported';

export interface FunctionCall {
  name: string;
  /** Arguments rendered as DuckDB SQL. */
  args: string[];
  /** Arguments as written (for literal formats and units). */
  rawArgs: string[];
  /** Whether argument i is known to be a DATE (not a TIMESTAMP). */
  isDate: (i: number) => boolean;
}

export type FunctionRule =
  | { kind: 'same' }
  | { kind: 'rename'; to: string }
  | { kind: 'rewrite'; arity: number[]; to: (call: FunctionCall) => string }
  | { kind: 'refuse'; reason: string };

export const same: FunctionRule = { kind: 'same' };
export const rename = (to: string): FunctionRule => ({ kind: 'rename', to });
export const rewrite = (arity: number[], to: (call: FunctionCall) => string): FunctionRule => ({
  kind: 'rewrite',
  arity,
  to,
});
export const refuse = (reason: string): FunctionRule => ({ kind: 'refuse', reason });

/** SQL's window functions: DuckDB's have the standard meaning both engines give them, default frame included. */
export const WINDOW_FUNCTIONS: Record<string, FunctionRule> = Object.fromEntries(
  [
    'row_number',
    'rank',
    'dense_rank',
    'ntile',
    'percent_rank',
    'cume_dist',
    'lag',
    'lead',
    'first_value',
    'last_value',
    'nth_value',
  ].map((name) => [name, same]),
);

/**
 * Functions whose DuckDB namesake means what both Trino and Spark mean by them (spark-compat.sql's `trim` macro
 * included), for the arguments both engines accept.
 */
export const SAME_MEANING: Record<string, FunctionRule> = Object.fromEntries(
  [
    'count',
    'sum',
    'avg',
    'min',
    'max',
    'count_if',
    'bool_and',
    'bool_or',
    'any_value',
    'max_by',
    'min_by',
    'stddev',
    'stddev_samp',
    'stddev_pop',
    'variance',
    'var_samp',
    'var_pop',
    'corr',
    'covar_pop',
    'covar_samp',
    'kurtosis',
    'skewness',
    'coalesce',
    'nullif',
    'if',
    'length',
    'lower',
    'upper',
    'trim',
    'ltrim',
    'rtrim',
    'lpad',
    'rpad',
    'reverse',
    'substr',
    'substring',
    'concat_ws',
    'chr',
    'abs',
    'sqrt',
    'cbrt',
    'exp',
    'ln',
    'log2',
    'log10',
    'power',
    'pow',
    'pi',
    'e',
    'degrees',
    'radians',
    'sin',
    'cos',
    'tan',
    'asin',
    'acos',
    'atan',
    'atan2',
    'random',
    'round',
    'year',
    'quarter',
    'month',
    'day',
    'hour',
    'minute',
    'second',
    'flatten',
    'map_keys',
    'map_values',
  ].map((name) => [name, same]),
);

export const arg = (call: FunctionCall, i: number): string => call.args[i] ?? 'NULL';

/** A string literal's value, or a refusal naming the function when the argument is not a literal. */
export function literalArg(call: FunctionCall, i: number, dialect: Dialect): string {
  const raw = (call.rawArgs[i] ?? '').trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(raw);
  if (!quoted) throw new UnsupportedSqlError(`${call.name} with a non-literal argument ${i + 1}`, dialect);
  return (quoted[1] ?? '').replaceAll("''", "'");
}

export const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The rule for a function, refusing one the table does not list or marks refused. */
export function ruleFor(
  table: Record<string, FunctionRule>,
  name: string,
  dialect: Dialect,
): Exclude<FunctionRule, { kind: 'refuse' }> {
  const rule = table[name];
  if (!rule) throw new UnsupportedSqlError(`function ${name}`, dialect, "not in the twin's function table");
  if (rule.kind === 'refuse') throw new UnsupportedSqlError(`function ${name}`, dialect, rule.reason);
  return rule;
}

/** A rendered lambda `(a, b) -> body` or `a -> body`: its parameters and body; undefined for any other argument. */
export function lambdaParts(text: string): { params: string[]; body: string } | undefined {
  const m = /^\s*(?:\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*\)|([A-Za-z_]\w*))\s*->\s*([\s\S]+)$/.exec(text);
  if (!m) return undefined;
  return { params: (m[1] ?? m[2] ?? '').split(',').map((p) => p.trim()), body: m[3] ?? '' };
}

/** Whether text is `(a, b, ...)`: a ROW in Trino, a struct with other field names (and printing) on DuckDB. */
function isRowConstructor(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < t.length; i += 1) {
    const ch = t[i];
    if (ch === "'") i = t.indexOf("'", i + 1);
    if (i < 0) return false;
    if (ch === '(' || ch === '[') depth += 1;
    if (ch === ')' || ch === ']') depth -= 1;
    if (depth === 0 && i < t.length - 1) return false;
    if (ch === ',' && depth === 1) return true;
  }
  return false;
}

/**
 * The lambda argument i applied to `values`: DuckDB binds a lambda only inside a list function, so each parameter
 * is bound by a one-element list_transform (inner lambdas see outer parameters). Refused when i is not a lambda.
 */
export function applyLambda(call: FunctionCall, i: number, values: string[], dialect: Dialect): string {
  const lambda = lambdaParts(call.args[i] ?? '');
  if (!lambda || lambda.params.length !== values.length) {
    throw new UnsupportedSqlError(
      `${call.name} with argument ${i + 1} other than a ${values.length}-parameter lambda`,
      dialect,
    );
  }
  if (isRowConstructor(lambda.body))
    throw new UnsupportedSqlError(`${call.name} with a lambda returning a ROW`, dialect);
  return lambda.params.reduceRight(
    (inner, param, k) => `list_transform([${values[k]}], ${param} -> ${inner})[1]`,
    `(${lambda.body})`,
  );
}

/** Map functions with a (key, value) lambda, the same in Trino and Spark: entries filtered or rewritten. */
export const MAP_LAMBDAS = (dialect: Dialect): Record<string, FunctionRule> => {
  const entry = (c: FunctionCall) => applyLambda(c, 1, ['__e.key', '__e.value'], dialect);
  return {
    map_filter: rewrite([2], (c) => `map_from_entries(list_filter(map_entries(${arg(c, 0)}), __e -> ${entry(c)}))`),
    transform_keys: rewrite(
      [2],
      (c) =>
        `map_from_entries(list_transform(map_entries(${arg(c, 0)}), __e -> {'key': ${entry(c)}, 'value': __e.value}))`,
    ),
    transform_values: rewrite(
      [2],
      (c) =>
        `map_from_entries(list_transform(map_entries(${arg(c, 0)}), __e -> {'key': __e.key, 'value': ${entry(c)}}))`,
    ),
  };
};

/**
 * Whether a predicate holds for some (`any`) or every (`all`) element, from the list of its results: three-valued as
 * Trino's any_match/all_match and Spark's exists/forall define it (NULL when NULL results leave it open; false and
 * true for an empty list), where DuckDB's list_bool_or/and skip NULLs and give NULL for an empty list.
 */
export function quantified(kind: 'any' | 'all', results: string): string {
  const decided = kind === 'any' ? '__b' : 'NOT __b';
  const unknown = `len(list_filter(${results}, __b -> __b IS NULL)) > 0`;
  return `CASE WHEN len(list_filter(${results}, __b -> ${decided})) > 0 THEN ${kind === 'any'} WHEN ${unknown} THEN NULL ELSE ${kind === 'all'} END`;
}
