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
