// Spark SQL (Glue job steps, non-ANSI) -> DuckDB SQL: parses with dt-sql-parser's Spark grammar and rewrites what
// differs on DuckDB (functions by ./functions.ts, `div`, backquoted identifiers); refuses what it cannot reproduce.
// The job runner calls translateSpark on each step before DuckDB runs it, on a connection where
// prepareSparkSession has loaded local/sql/spark-compat.sql.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParseTree } from 'antlr4ng';
import type {
  FunctionNameContext,
  NamedExpressionContext,
  NumberContext,
  PrimaryExpressionContext,
  ValueExpressionContext,
} from 'dt-sql-parser/dist/lib/spark/SparkSqlParser';
import type { SparkSQL } from 'dt-sql-parser/dist/parser/spark';
import { ruleFor as ruleForIn } from '../function-rules';
import { loadShims, SPARK_COMPAT_SQL } from '../load-shims';
import { parseOnce } from '../parse-once';
import { renderTree, sourceText } from '../parse-tree-text';
import { UnsupportedSqlError } from '../unsupported';
import { SPARK_FUNCTIONS } from './functions';

type SparkGrammar = typeof import('dt-sql-parser/dist/lib/spark/SparkSqlParser');

// The grammar is loaded on the first translation, once per process: loading and warming it takes seconds, and
// most twin commands never run a Spark statement. `require`: the CLI runs as CommonJS (see cli/heavy-modules.ts).
let loaded: { g: SparkGrammar; parser: SparkSQL } | undefined;

function grammar(): { g: SparkGrammar; parser: SparkSQL } {
  loaded ??= {
    g: require('dt-sql-parser/dist/lib/spark/SparkSqlParser') as SparkGrammar,
    parser: new (
      require('dt-sql-parser/dist/parser/spark') as typeof import('dt-sql-parser/dist/parser/spark')
    ).SparkSQL(),
  };
  return loaded;
}

const ruleFor = (name: string) => ruleForIn(SPARK_FUNCTIONS, name, 'spark');

function translateCall(
  sql: string,
  node: PrimaryExpressionContext,
  render: (n: ParseTree) => string,
): string | undefined {
  const nameNode = node.functionName();
  if (!nameNode) return undefined;
  const name = functionName(nameNode);
  const rule = ruleFor(name);
  // Same or renamed: rendered as written; the name node is rewritten on its own (see translateSpark).
  if (rule.kind !== 'rewrite') return undefined;
  const args = node.functionArgument();
  if (node.KW_OVER() || node.KW_FILTER() || node.setQuantifier()) {
    throw new UnsupportedSqlError(`${name} with OVER, FILTER or DISTINCT`, 'spark');
  }
  if (!rule.arity.includes(args.length))
    throw new UnsupportedSqlError(`${name} with ${args.length} argument(s)`, 'spark');
  return rule.to({
    name,
    args: args.map(render),
    rawArgs: args.map((a) => sourceText(sql, a)),
    isDate: () => false,
  });
}

/** A function's name as the table lists it (a backquoted `map` is how mapCallsQuoted hides it from the grammar). */
const functionName = (node: FunctionNameContext) => node.getText().toLowerCase().replaceAll('`', '');

/**
 * dt-sql-parser's Spark grammar fails on `map(...)` as an argument of another call (`size(map('a', 1))`); the
 * backquoted name is the same call to Spark and parses, so `map(` outside literals and comments is quoted first.
 */
function mapCallsQuoted(sql: string): string {
  return sql.replace(
    /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\/|(?<![\w.`])map(?=\s*\()/gi,
    (token) => (/^map$/i.test(token) ? `\`${token}\`` : token),
  );
}

// Spark's typed numeric literals (2L, 2S, 2Y, 2D, 2F, 2BD): the suffix names the type, which DuckDB spells out.
const NUMBER_SUFFIX: [RegExp, string][] = [
  [/^(.*)BD$/i, 'DECIMAL(38, 18)'],
  [/^(.*)L$/i, 'BIGINT'],
  [/^(.*)S$/i, 'SMALLINT'],
  [/^(.*)Y$/i, 'TINYINT'],
  [/^(.*)D$/i, 'DOUBLE'],
  [/^(.*)F$/i, 'FLOAT'],
];

function typedNumber(node: NumberContext): string | undefined {
  if (node.INTEGER_VALUE() || node.DECIMAL_VALUE() || node.EXPONENT_VALUE()) return undefined;
  const text = node.getText();
  for (const [re, type] of NUMBER_SUFFIX) {
    const m = re.exec(text);
    if (m) return `CAST(${m[1]} AS ${type})`;
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

/**
 * Spark reads backslash escapes in string literals ('\\d' is \d) and takes "..." as a string, not an identifier;
 * DuckDB does neither, so each literal is rewritten as the plain DuckDB literal of the same value.
 */
function stringLiteral(token: string): string {
  const quote = token[0];
  if (quote !== "'" && quote !== '"') return token;
  const body = token.slice(1, -1);
  const value = body.replace(/\\(.)/gs, (_, ch: string) => ESCAPES[ch] ?? ch).replaceAll(`${quote}${quote}`, quote);
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The Spark grammar reads a select item `f(a, b)` whose arguments are bare names as column `f` with the alias list
 * `(a, b)`; that is a call, so it is translated as one.
 */
function isMisreadCall(g: SparkGrammar, node: NamedExpressionContext): boolean {
  const [first, second] = node.children ?? [];
  return (
    node.children?.length === 2 &&
    first instanceof g.SelectLiteralColumnNameContext &&
    second instanceof g.IdentifierListContext
  );
}

function translateSelectItem(text: string): string {
  const translated = translateSpark(`SELECT (${text})`);
  return translated.slice('SELECT ('.length, -1);
}

/** `div` is integer division, `^` bitwise XOR (DuckDB's `^` is a power), `<=>` NULL-safe equality. */
function translateOperator(
  g: SparkGrammar,
  node: ValueExpressionContext,
  render: (n: ParseTree) => string,
): string | undefined {
  const [left, right] = node.valueExpression();
  if (!left || !right) return undefined;
  if (node.KW_DIV()) return `(${render(left)} // ${render(right)})`;
  if (node.HAT()) return `xor(${render(left)}, ${render(right)})`;
  const comparison = node.comparisonOperator();
  if (comparison instanceof g.ComparisonOperatorContext && comparison.NSEQ()) {
    return `(${render(left)} IS NOT DISTINCT FROM ${render(right)})`;
  }
  return undefined;
}

/** Translates one Spark SQL statement to DuckDB SQL; throws UnsupportedSqlError or SqlSyntaxError. */
export function translateSpark(written: string): string {
  const { g, parser } = grammar();
  const sql = mapCallsQuoted(written);
  return renderTree(sql, parseOnce(parser, sql), (node, render) => {
    if (node instanceof g.PrimaryExpressionContext) return translateCall(sql, node, render);
    if (node instanceof g.NamedExpressionContext && isMisreadCall(g, node))
      return translateSelectItem(sourceText(sql, node));
    if (node instanceof g.FunctionNameContext && node.parent instanceof g.PrimaryExpressionContext) {
      const rule = ruleFor(functionName(node));
      return rule.kind === 'rename' ? rule.to : undefined;
    }
    if (node instanceof g.NumberContext) return typedNumber(node);
    if (node instanceof g.QuotedIdentifierContext && node.BACKQUOTED_IDENTIFIER()) {
      const name = node.getText().slice(1, -1).replaceAll('``', '`');
      return `"${name.replaceAll('"', '""')}"`;
    }
    if (node instanceof g.StringLitContext) return stringLiteral(node.getText());
    if (node instanceof g.ValueExpressionContext) return translateOperator(g, node, render);
    // `! x` is Spark's logical NOT; DuckDB has no prefix `!`.
    if (node instanceof g.BooleanExpressionContext && node.NOT()) {
      const [operand] = node.booleanExpression();
      if (operand) return `(NOT ${render(operand)})`;
    }
    return undefined;
  });
}

/** A DuckDB connection set up for translated Spark SQL: the Spark-compat macros. */
export async function prepareSparkSession(
  connection: DuckDBConnection,
  shimsFile = SPARK_COMPAT_SQL,
): Promise<boolean> {
  return loadShims(connection, shimsFile);
}
