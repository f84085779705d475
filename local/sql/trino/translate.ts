// Trino (Athena) SQL -> DuckDB SQL: parses with dt-sql-parser's Trino grammar and rewrites the nodes whose meaning
// differs on DuckDB (functions, operators, VALUES, EXTRACT fields, result column names); refuses what it cannot
// reproduce. Functions are mapped by the table in ./functions.ts.
import type { ParserRuleContext, ParseTree } from 'antlr4ng';
import {
  ArithmeticBinaryContext,
  ArrayConstructorContext,
  AtTimeZoneContext,
  CastContext,
  ConcatenationContext,
  CurrentDateContext,
  ExtractContext,
  FunctionCallContext,
  FunctionNameContext,
  InlineTableContext,
  IntervalLiteralContext,
  ListAggContext,
  ParenthesizedExpressionContext,
  PrimaryExpressionContext,
  RowConstructorContext,
  SelectItemContext,
  TypeConstructorContext,
} from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino';
import { ruleFor as ruleForIn } from '../function-rules';
import { parseOnce } from '../parse-once';
import { renderTree, sourceText } from '../parse-tree-text';
import { SqlSyntaxError, UnsupportedSqlError } from '../unsupported';
import { refuseIfDate, TRINO_FUNCTIONS } from './functions';

let parser: TrinoSQL | undefined;

// Trino's EXTRACT fields whose DuckDB namesake counts differently (DuckDB's DOW is 0 = Sunday).
const EXTRACT_FIELDS: Record<string, string> = {
  dow: 'isodow',
  day_of_week: 'isodow',
  doy: 'doy',
  day_of_year: 'doy',
  yow: 'isoyear',
  year_of_week: 'isoyear',
  day_of_month: 'day',
};

/** Descends through single-child wrappers (expression -> predicated -> valueExpressionDefault -> ...). */
function unwrap(node: ParseTree): ParseTree {
  let current = node;
  for (;;) {
    if (current instanceof ParenthesizedExpressionContext) {
      current = current.expression();
      continue;
    }
    if (current instanceof PrimaryExpressionContext) return current;
    const children = (current as ParserRuleContext).children ?? [];
    if (children.length !== 1 || (children[0] as { symbol?: unknown }).symbol !== undefined) {
      return current;
    }
    current = children[0] as ParseTree;
  }
}

function isInterval(node: ParseTree): boolean {
  return unwrap(node) instanceof IntervalLiteralContext;
}

const DATE_FUNCTIONS = new Set(['date', 'from_iso8601_date', 'last_day_of_month', 'current_date']);

/** Whether an expression is statically a DATE; column types are unknown here, so this is about the written form. */
function isDate(node: ParseTree): boolean {
  const n = unwrap(node);
  if (n instanceof TypeConstructorContext) return n.identifier()?.getText().toLowerCase() === 'date';
  if (n instanceof CastContext) return n.type().getText().toLowerCase() === 'date';
  if (n instanceof CurrentDateContext) return true;
  if (n instanceof FunctionCallContext) {
    const name = n.functionName().getText().toLowerCase();
    const args = n.expression();
    if (DATE_FUNCTIONS.has(name)) return true;
    if (name === 'date_trunc' && args[1]) return isDate(args[1]);
    if (name === 'date_add' && args[2]) return isDate(args[2]);
    return false;
  }
  if (n instanceof ArithmeticBinaryContext) {
    const [left, right] = n.valueExpression();
    const op = n._operator?.text;
    if (!left || !right || (op !== '+' && op !== '-')) return false;
    return (isDate(left) && isInterval(right)) || (op === '+' && isInterval(left) && isDate(right));
  }
  return false;
}

// Typed literals (`DATE '...'`) whose DuckDB reading is Trino's; others (JSON, DECIMAL, UUID...) differ in type or text.
const LITERAL_TYPES = new Set([
  'date',
  'time',
  'timestamp',
  'bigint',
  'integer',
  'smallint',
  'tinyint',
  'double',
  'real',
  'varchar',
  'boolean',
]);

/** A typed literal checked; a JSON literal becomes the JSON value its text parses to, as in Trino. */
function translateTypedLiteral(sql: string, node: TypeConstructorContext): string | undefined {
  const type = (node.identifier()?.getText() ?? (node.KW_DOUBLE() ? 'double' : '')).toLowerCase();
  if (type === 'json') return `json(${sourceText(sql, node.string())})`;
  if (!LITERAL_TYPES.has(type)) throw new UnsupportedSqlError(`${type.toUpperCase()} literal`, 'trino');
  // A zone in a TIMESTAMP literal makes it TIMESTAMP WITH TIME ZONE in Trino; DuckDB drops or shifts it.
  const time = sourceText(sql, node.string()).replaceAll("'", '').slice(10);
  if (type === 'timestamp' && (/[a-z]/i.test(time.replace(/^T/, '')) || /[+-]\d/.test(time))) {
    throw new UnsupportedSqlError('TIMESTAMP literal with a time zone', 'trino');
  }
  return undefined;
}

const JSON_FUNCTIONS = new Set(['json_parse', 'json_extract']);

/** Whether an expression is statically JSON (no table column has Trino's JSON type): a literal, a parse or a cast. */
function isJson(node: ParseTree): boolean {
  const n = unwrap(node);
  if (n instanceof TypeConstructorContext) return n.identifier()?.getText().toLowerCase() === 'json';
  if (n instanceof CastContext) return n.type().getText().toLowerCase() === 'json';
  if (n instanceof FunctionCallContext) return JSON_FUNCTIONS.has(n.functionName().getText().toLowerCase());
  return false;
}

/**
 * A Trino type as DuckDB writes it: ARRAY(T) is T[] (DuckDB reads MAP(K, V) and ROW(name T, ...) as written); a ROW
 * with unnamed fields is refused (DuckDB has no such type; Trino names the fields field0, field1, ...).
 */
function duckType(text: string): string {
  const array = /^array\s*\(([\s\S]*)\)$/i.exec(text.trim());
  if (array) return `${duckType(array[1] ?? '')}[]`;
  if (/^row\s*\(\s*\w+\s*[,)]/i.test(text.trim()))
    throw new UnsupportedSqlError('ROW type with unnamed fields', 'trino');
  return text.trim();
}

/**
 * CAST to JSON makes a JSON value of the operand (`'abc'` becomes the JSON string "abc"; DuckDB would parse the
 * text); CAST of a JSON value to VARCHAR is the scalar's text (DuckDB would keep a string's quotes).
 */
function translateCast(sql: string, node: CastContext, render: (n: ParseTree) => string): string | undefined {
  const type = node.type().getText().toLowerCase();
  const operand = render(node.expression());
  const cast = node.KW_TRY_CAST() ? 'TRY_CAST' : 'CAST';
  if (type === 'json') return `to_json(${operand})`;
  if (isJson(node.expression()) && /^varchar(\(\d+\))?$/.test(type)) return `trino_json_to_varchar(${operand})`;
  const written = sourceText(sql, node.type());
  const duck = duckType(written);
  return duck === written.trim() ? undefined : `${cast}(${operand} AS ${duck})`;
}

const ruleFor = (name: string) => ruleForIn(TRINO_FUNCTIONS, name, 'trino');

function translateCall(sql: string, node: FunctionCallContext, render: (n: ParseTree) => string): string | undefined {
  const nameNode = node.functionName();
  const name = nameNode.getText().toLowerCase();
  const rule = ruleFor(name);
  // Same or renamed: rendered as written; the name node is rewritten on its own (see translateTrino).
  if (rule.kind !== 'rewrite') return undefined;
  const args = node.expression();
  const plain = !node.over() && !node.filter() && !node.setQuantifier() && node.sortItem().length === 0;
  if (!plain || node.ASTERISK())
    throw new UnsupportedSqlError(`${name} with OVER, FILTER, DISTINCT or ORDER BY`, 'trino');
  if (!rule.arity.includes(args.length)) {
    throw new UnsupportedSqlError(`${name} with ${args.length} argument(s)`, 'trino');
  }
  return rule.to({
    name,
    args: args.map(render),
    rawArgs: args.map((a) => sourceText(sql, a)),
    isDate: (i: number) => (args[i] ? isDate(args[i]) : false),
  });
}

function translateArithmetic(node: ArithmeticBinaryContext, render: (n: ParseTree) => string): string | undefined {
  const [left, right] = node.valueExpression();
  if (!left || !right) return undefined;
  const op = node._operator?.text;
  // Trino divides integers as integers (the session sets integer_division) and fails on zero: DuckDB gives NULL,
  // which is what TRY makes of Trino's failure, so inside TRY DuckDB's own operator is kept.
  if ((op === '/' || op === '%') && insideTry(node)) return undefined;
  if (op === '/') return `trino_divide(${render(left)}, ${render(right)})`;
  if (op === '%') return `trino_mod(${render(left)}, ${render(right)})`;
  // DATE +/- INTERVAL is a DATE in Trino, a TIMESTAMP in DuckDB.
  if ((op === '+' || op === '-') && isDate(node)) return `CAST(${render(left)} ${op} ${render(right)} AS DATE)`;
  if ((op === '+' || op === '-') && (isInterval(left) || isInterval(right))) {
    const operand = isInterval(right) ? left : right;
    return refuseIfDate(render(operand), `${render(left)} ${op} ${render(right)}`, `${op} INTERVAL`);
  }
  return undefined;
}

function insideTry(node: ParserRuleContext): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p instanceof FunctionCallContext && p.functionName().getText().toLowerCase() === 'try') return true;
  }
  return false;
}

/** `ARRAY[...] || x` appends an element in Trino (and `x || ARRAY[...]` prepends); DuckDB's || needs two lists. */
function translateConcatenation(node: ConcatenationContext, render: (n: ParseTree) => string): string | undefined {
  const [left, right] = node.valueExpression();
  if (!left || !right) return undefined;
  const isArray = (n: ParseTree) => unwrap(n) instanceof ArrayConstructorContext;
  if (isArray(left) && !isArray(right)) return `list_append(${render(left)}, ${render(right)})`;
  if (!isArray(left) && isArray(right)) return `list_prepend(${render(left)}, ${render(right)})`;
  return undefined;
}

function translateValues(node: InlineTableContext, render: (n: ParseTree) => string): string {
  // Trino's VALUES 1, 2 is two rows of one column; DuckDB needs each row in parentheses.
  const rows = node.expression().map((row) => {
    const inner = unwrap(row);
    return inner instanceof RowConstructorContext && !inner.KW_ROW() ? render(row) : `(${render(row)})`;
  });
  return `VALUES ${rows.join(', ')}`;
}

function translateSelectItem(node: SelectItemContext, render: (n: ParseTree) => string): string | undefined {
  const expression = node.selectExpressionColumnName();
  if (!expression || node.identifier()) return undefined;
  // Athena names an unnamed result column _col<position>; DuckDB would name it after the (rewritten) expression.
  const select = node.parent as ParserRuleContext;
  const position = (select.children ?? []).filter((c) => c instanceof SelectItemContext).indexOf(node);
  return `${render(expression)} AS _col${position}`;
}

function translateExtract(node: ExtractContext, render: (n: ParseTree) => string): string {
  const field = node.identifier().getText().toLowerCase();
  return `EXTRACT(${EXTRACT_FIELDS[field] ?? field} FROM ${render(node.valueExpression())})`;
}

/** LISTAGG ... WITHIN GROUP (ORDER BY ...) is DuckDB's string_agg with the ORDER BY inside; truncation is refused. */
function translateListAgg(sql: string, node: ListAggContext, render: (n: ParseTree) => string): string {
  const behavior = node.listAggOverflowBehavior();
  if (behavior && !/^error$/i.test(sourceText(sql, behavior).trim())) {
    throw new UnsupportedSqlError('LISTAGG ON OVERFLOW TRUNCATE', 'trino');
  }
  const separator = node.string();
  const distinct = node.setQuantifier() ? `${sourceText(sql, node.setQuantifier() as ParseTree)} ` : '';
  const order = node.sortItem().map(render).join(', ');
  const filter = node.filter();
  return `string_agg(${distinct}${render(node.expression())}, ${separator ? render(separator) : "''"}${order ? ` ORDER BY ${order}` : ''})${filter ? ` ${render(filter)}` : ''}`;
}

/** Translates one Trino statement (or several, separated by `;`) to DuckDB SQL; throws UnsupportedSqlError. */
export function translateTrino(sql: string): string {
  parser ??= new TrinoSQL();
  const tree = parseOnce(parser, sql);
  // Athena runs one statement per query; DuckDB would run them all and answer with the last. (The statements of
  // the program, not dt-sql-parser's splitter, which also counts a subquery such as `x = ANY (VALUES ...)`.)
  const statements = tree.statements();
  // The grammar also splits a quantified comparison, `x = ANY (subquery)`, into two statements without a `;`.
  if (statements.slice(0, -1).some((st) => !st.singleStatement().SEMICOLON())) {
    throw new UnsupportedSqlError(
      'a statement the Trino grammar reads as two (a quantified comparison such as x = ANY (subquery))',
      'trino',
    );
  }
  if (statements.length > 1) {
    throw new SqlSyntaxError('Only one sql statement is allowed (Athena runs one statement per query)');
  }
  return renderTree(sql, tree, (node, render) => {
    if (node instanceof FunctionCallContext) return translateCall(sql, node, render);
    if (node instanceof FunctionNameContext && node.parent instanceof FunctionCallContext) {
      const rule = ruleFor(node.getText().toLowerCase());
      return rule.kind === 'rename' ? rule.to : undefined;
    }
    if (node instanceof ArithmeticBinaryContext) return translateArithmetic(node, render);
    if (node instanceof InlineTableContext) return translateValues(node, render);
    if (node instanceof ConcatenationContext) return translateConcatenation(node, render);
    if (node instanceof SelectItemContext) return translateSelectItem(node, render);
    if (node instanceof ExtractContext) return translateExtract(node, render);
    if (node instanceof AtTimeZoneContext) throw new UnsupportedSqlError('AT TIME ZONE', 'trino');
    if (node instanceof TypeConstructorContext) return translateTypedLiteral(sql, node);
    if (node instanceof CastContext) return translateCast(sql, node, render);
    if (node instanceof ListAggContext) return translateListAgg(sql, node, render);
    return undefined;
  });
}
