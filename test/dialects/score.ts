// Computes the conformance score of each dialect and writes it into docs/dialects.md between the score markers:
// `node bin/run-ts.cjs test/dialects/score.ts` (test/dialects/published-score.test.ts fails when it is stale).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FunctionRule } from '../../local/sql/function-rules';
import { SPARK_FUNCTIONS } from '../../local/sql/spark/functions';
import { prepareSparkSession, translateSpark } from '../../local/sql/spark/translate';
import { TRINO_FUNCTIONS } from '../../local/sql/trino/functions';
import { prepareTrinoSession } from '../../local/sql/trino/session';
import { translateTrino } from '../../local/sql/trino/translate';
import { checkDialect, scoreByFamily, scoreTable } from './conformance';
import { SPARK_FACTS } from './spark/facts';
import { TRINO_FACTS } from './trino/facts';

export const DIALECTS_DOC = path.resolve(__dirname, '../../docs/dialects.md');
const START = '<!-- score:start (written by test/dialects/score.ts) -->';
const END = '<!-- score:end -->';
const MAP_START = '<!-- mapping:start (written by test/dialects/score.ts) -->';
const MAP_END = '<!-- mapping:end -->';

/** The Trino function table (local/sql/trino/functions.ts) as Markdown: what each function becomes, or why refused. */
export function mappingTable(): string {
  return [functionTable('Trino', TRINO_FUNCTIONS), functionTable('Spark', SPARK_FUNCTIONS)].join('\n\n');
}

function functionTable(engine: string, table: Record<string, FunctionRule>): string {
  const rows = Object.entries(table)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rule]) => {
      const local =
        rule.kind === 'same'
          ? 'DuckDB namesake, same meaning'
          : rule.kind === 'rename'
            ? `\`${rule.to}\``
            : rule.kind === 'rewrite'
              ? 'rewritten by the translator'
              : `**refused**: ${rule.reason}`;
      return `| \`${name}\` | ${local} |`;
    });
  return [`| ${engine} function | locally |`, '| --- | --- |', ...rows].join('\n');
}

function between(doc: string, start: string, end: string): [number, number] | undefined {
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  return i < 0 || j < i ? undefined : [i + start.length, j];
}

export async function computeScores(): Promise<string> {
  const trino = await checkDialect(TRINO_FACTS, (db) => prepareTrinoSession(db.connection), translateTrino);
  const spark = await checkDialect(SPARK_FACTS, (db) => prepareSparkSession(db.connection), translateSpark);
  return [
    scoreTable('Trino (Athena): `test/dialects/trino/`', scoreByFamily(trino)),
    scoreTable('Spark SQL (Glue job steps): `test/dialects/spark/`', scoreByFamily(spark)),
  ].join('\n\n');
}

/** The score section as published in the doc, or undefined when the markers are missing. */
export function publishedScores(doc: string): string | undefined {
  const span = between(doc, START, END);
  return span && doc.slice(...span).trim();
}

export function publishedMapping(doc: string): string | undefined {
  const span = between(doc, MAP_START, MAP_END);
  return span && doc.slice(...span).trim();
}

function replaceBetween(doc: string, start: string, end: string, text: string): string {
  const span = between(doc, start, end);
  if (!span) throw new Error(`markers ${start} ... ${end} missing in ${DIALECTS_DOC}`);
  return `${doc.slice(0, span[0])}\n${text}\n${doc.slice(span[1])}`;
}

async function main(): Promise<void> {
  const scores = await computeScores();
  let doc = await readFile(DIALECTS_DOC, 'utf8');
  doc = replaceBetween(doc, START, END, scores);
  doc = replaceBetween(doc, MAP_START, MAP_END, mappingTable());
  await writeFile(DIALECTS_DOC, doc);
  console.log(scores);
}

// Run as a script through bin/run-ts.cjs (which sets argv[1] to the entry), not when a test imports it.
if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
