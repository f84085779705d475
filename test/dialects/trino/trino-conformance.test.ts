// Trino's documented examples through the twin's Trino translation: each passes or is refused, none differs.
import { DuckDb } from '../../../local/duckdb';
import { prepareTrinoSession } from '../../../local/sql/trino/session';
import { translateTrino } from '../../../local/sql/trino/translate';
import { type Checked, checkFacts } from '../conformance';
import { TRINO_FACTS } from './facts';

let checked: Checked[];
beforeAll(async () => {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  try {
    await prepareTrinoSession(db.connection);
    checked = await checkFacts(db, TRINO_FACTS, translateTrino);
  } finally {
    db.close();
  }
});

describe('Trino conformance (documented examples)', () => {
  it.each(TRINO_FACTS.map((f, i) => [f.sql, i] as const))('%s passes or is refused', (_sql, i) => {
    // Assess
    const c = checked[i];
    expect(c?.outcome === 'differs' ? `${c.actual} (documented: ${c.expected})` : c?.outcome).not.toMatch(/documented/);
  });
});
