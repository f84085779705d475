// Spark SQL's documented examples through the twin's Spark translation: each passes or is refused, none differs.
import { DuckDb } from '../../../local/duckdb';
import { prepareSparkSession, translateSpark } from '../../../local/sql/spark/translate';
import { type Checked, checkFacts } from '../conformance';
import { SPARK_FACTS } from './facts';

let checked: Checked[];
beforeAll(async () => {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  try {
    await prepareSparkSession(db.connection);
    checked = await checkFacts(db, SPARK_FACTS, translateSpark);
  } finally {
    db.close();
  }
});

describe('Spark SQL conformance (documented examples)', () => {
  it.each(SPARK_FACTS.map((f, i) => [f.sql, i] as const))('%s passes or is refused', (_sql, i) => {
    // Assess
    const c = checked[i];
    expect(c?.outcome === 'differs' ? `${c.actual} (documented: ${c.expected})` : c?.outcome).not.toMatch(/documented/);
  });
});
