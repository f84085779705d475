// docs/dialects.md publishes the conformance score; it must be what the suite computes now.
import { readFile } from 'node:fs/promises';
import { computeScores, DIALECTS_DOC, mappingTable, publishedMapping, publishedScores } from './score';

describe('docs/dialects.md', () => {
  it('publishes the score the conformance suite computes (regenerate: node bin/run-ts.cjs test/dialects/score.ts)', async () => {
    // Act
    const published = publishedScores(await readFile(DIALECTS_DOC, 'utf8'));
    const computed = await computeScores();
    // Assess
    expect(published).toBe(computed);
    // Every documented example of both dialects runs here: slow on a busy machine.
  }, 120_000);

  it('publishes the Trino function table the translator uses', async () => {
    // Act
    const published = publishedMapping(await readFile(DIALECTS_DOC, 'utf8'));
    // Assess
    expect(published).toBe(mappingTable());
  });
});
