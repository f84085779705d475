// Spark SQL (Glue job steps, non-ANSI) -> DuckDB SQL: parses with dt-sql-parser's Spark grammar and rewrites what
// differs on DuckDB (functions by ./functions.ts, `div`, backquoted identifiers); refuses what it cannot reproduce.
// The job runner calls translateSpark on each step before DuckDB runs it, on a connection where
// prepareSparkSession has loaded local/sql/spark-compat.sql.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParseTree } from 'antlr4ng';
import {
  FunctionNameContext,
  IdentifierListContext,
  NamedExpressionContext,
  PrimaryExpressionContext,
  QuotedIdentifierContext,
  SelectLiteralColumnNameContext,
  StringLitContext,
  ValueExpressionContext,
} from 'dt-sql-parser/dist/lib/spark/SparkSqlParser';
import { SparkSQL } from 'dt-sql-parser/dist/parser/spark';
import { ruleFor as ruleForIn } from '../function-rules';
import { loadShims, SPARK_COMPAT_SQL } from '../load-shims';
import { renderTree, sourceText } from '../parse-tree-text';
import { SqlSyntaxError, UnsupportedSqlError } from '../unsupported';
import { SPARK_FUNCTIONS } from './functions';

let parser: SparkSQL | undefined;

const ruleFor = (name: string) => ruleForIn(SPARK_FUNCTIONS, name, 'spark');

function translateCall(
  sql: string,
  node: PrimaryExpressionContext,
  render: (n: ParseTree) => string,
): string | undefined {
  const nameNode = node.functionName();
  if (!nameNode) return undefined;
  const name = nameNode.getText().toLowerCase();
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
function isMisreadCall(node: NamedExpressionContext): boolean {
  const [first, second] = node.children ?? [];
  return (
    node.children?.length === 2 &&
    first instanceof SelectLiteralColumnNameContext &&
    second instanceof IdentifierListContext
  );
}

function translateSelectItem(text: string): string {
  const translated = translateSpark(`SELECT (${text})`);
  return translated.slice('SELECT ('.length, -1);
}

/** Translates one Spark SQL statement to DuckDB SQL; throws UnsupportedSqlError or SqlSyntaxError. */
export function translateSpark(sql: string): string {
  parser ??= new SparkSQL();
  const errors = parser.validate(sql);
  const first = errors[0];
  if (first) throw new SqlSyntaxError(`line ${first.startLine}:${first.startColumn}: ${first.message}`);
  return renderTree(sql, parser.parse(sql), (node, render) => {
    if (node instanceof PrimaryExpressionContext) return translateCall(sql, node, render);
    if (node instanceof NamedExpressionContext && isMisreadCall(node))
      return translateSelectItem(sourceText(sql, node));
    if (node instanceof FunctionNameContext && node.parent instanceof PrimaryExpressionContext) {
      const rule = ruleFor(node.getText().toLowerCase());
      return rule.kind === 'rename' ? rule.to : undefined;
    }
    if (node instanceof QuotedIdentifierContext && node.BACKQUOTED_IDENTIFIER()) {
      const name = node.getText().slice(1, -1).replaceAll('``', '`');
      return `"${name.replaceAll('"', '""')}"`;
    }
    if (node instanceof StringLitContext) return stringLiteral(node.getText());
    if (node instanceof ValueExpressionContext && node.KW_DIV()) {
      const [left, right] = node.valueExpression();
      if (left && right) return `(${render(left)} // ${render(right)})`;
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
