// One SLL parse of a statement with its syntax errors collected: what dt-sql-parser's validate() does, without the
// second, full-LL parse that its parse() would add (most of a translation's cost in a fresh process).
import { type Parser, PredictionMode } from 'antlr4ng';
import type { ParseError } from 'dt-sql-parser/dist/parser/common/parseErrorListener';
import { SqlSyntaxError } from './unsupported';

interface SqlGrammar<T> {
  createParser(input: string, errorListener?: (error: ParseError) => void): Parser & { program(): T };
}

/** The statement's parse tree; a SqlSyntaxError with the grammar's first message when it does not parse. */
export function parseOnce<T>(grammar: SqlGrammar<T>, sql: string): T {
  const errors: ParseError[] = [];
  const parser = grammar.createParser(sql, (error) => errors.push(error));
  parser.interpreter.predictionMode = PredictionMode.SLL;
  const tree = parser.program();
  const first = errors[0];
  if (first) throw new SqlSyntaxError(`line ${first.startLine}:${first.startColumn}: ${first.message}`);
  return tree;
}
