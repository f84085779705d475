// Runs documented examples through the twin's translation and DuckDB, and sorts each into pass, refused (the twin
// says it cannot reproduce it, or fails loudly) or differs (a silent difference: the one outcome never allowed).
import type { DuckDBType } from '@duckdb/node-api';
import { athenaValue } from '../../local/athena/result-format';
import { DuckDb } from '../../local/duckdb';

export interface Fact {
  family: string;
  /** One statement in the engine's dialect, with one result column. */
  sql: string;
  /** The documented result of the first row, as the engine prints it (every row's, with `rows`). */
  expected: string;
  /** The example documents every row (window functions): `expected` is the column's values joined with '; '. */
  rows?: boolean;
  /** The documentation page the example comes from. */
  doc: string;
}

export type Outcome = 'pass' | 'refused' | 'differs';

export interface Checked extends Fact {
  outcome: Outcome;
  actual: string;
}

// Docs quote strings inside results inconsistently ('a' vs a, Spark's JSON-like ["a","b"]); NULL either case;
// Spark prints lists without a space after the comma and timestamps without zero milliseconds, Trino with both;
// map entries are k=v, k -> v (Trino) or k:v (Spark).
const normalise = (text: string) =>
  text
    .replaceAll("'", '')
    .replaceAll('"', '')
    .replace(/,\s*/g, ',')
    .replace(/\s*->\s*/g, '=')
    .replace(/([{,])([^{},=:[\]]+):/g, '$1$2=')
    .replace(/(\d\d:\d\d:\d\d)\.000\b/g, '$1')
    .replace(/\bnull\b/gi, 'NULL')
    .trim();

export async function checkFacts(db: DuckDb, facts: Fact[], translate: (sql: string) => string): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const fact of facts) {
    try {
      const reader = await db.connection.runAndReadAll(translate(fact.sql));
      const type = reader.columnTypes()[0] as DuckDBType;
      const values = reader.getRows().map((row) => athenaValue(row[0], type) ?? 'NULL');
      const actual = fact.rows ? values.join('; ') : (values[0] ?? 'NULL');
      checked.push({ ...fact, actual, outcome: normalise(actual) === normalise(fact.expected) ? 'pass' : 'differs' });
    } catch (error) {
      checked.push({
        ...fact,
        actual: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
        outcome: 'refused',
      });
    }
  }
  return checked;
}

export interface FamilyScore {
  family: string;
  examples: number;
  pass: number;
  refused: number;
  differs: number;
}

export function scoreByFamily(checked: Checked[]): FamilyScore[] {
  const families = new Map<string, FamilyScore>();
  for (const c of checked) {
    const score = families.get(c.family) ?? { family: c.family, examples: 0, pass: 0, refused: 0, differs: 0 };
    score.examples += 1;
    score[c.outcome] += 1;
    families.set(c.family, score);
  }
  return [...families.values()];
}

/** The Markdown table docs/dialects.md publishes between its score markers. */
export function scoreTable(title: string, scores: FamilyScore[]): string {
  const total: FamilyScore = { family: '**all**', examples: 0, pass: 0, refused: 0, differs: 0 };
  for (const s of scores) {
    total.examples += s.examples;
    total.pass += s.pass;
    total.refused += s.refused;
    total.differs += s.differs;
  }
  const row = (s: FamilyScore) =>
    `| ${s.family} | ${s.examples} | ${s.pass} (${Math.round((100 * s.pass) / s.examples)}%) | ${s.refused} | ${s.differs} |`;
  return [
    `### ${title}`,
    '',
    '| family | documented examples | pass | refused | silent differences |',
    '| --- | --- | --- | --- | --- |',
    ...scores.map(row),
    row(total),
  ].join('\n');
}

/** Opens a small DuckDB, prepares the dialect's session, checks every fact and closes it. */
export async function checkDialect(
  facts: Fact[],
  prepare: (db: DuckDb) => Promise<unknown>,
  translate: (sql: string) => string,
): Promise<Checked[]> {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  try {
    await prepare(db);
    return await checkFacts(db, facts, translate);
  } finally {
    db.close();
  }
}

/** One test per fact: it passes or is refused; a silent difference fails with both results in the message. */
export function describeConformance(
  title: string,
  facts: Fact[],
  prepare: (db: DuckDb) => Promise<unknown>,
  translate: (sql: string) => string,
): void {
  let checked: Checked[];
  // Every documented example of the dialect runs here: slow on a busy machine.
  beforeAll(async () => {
    checked = await checkDialect(facts, prepare, translate);
  }, 120_000);

  describe(title, () => {
    it.each(facts.map((f, i) => [f.sql, i] as const))('%s passes or is refused', (_sql, i) => {
      // Assess
      const c = checked[i];
      expect(c?.outcome === 'differs' ? `${c.actual} (documented: ${c.expected})` : c?.outcome).not.toMatch(
        /documented/,
      );
    });
  });
}
