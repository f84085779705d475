// `lakepipe query --dialect spark` runs one Spark SQL statement over the catalog tables as a job step runs
// (Spark's meaning, or a refusal naming what the twin cannot reproduce); Trino stays the default dialect.
import { generated, tempDir } from '../e2e/support';
import { cli } from './support';

jest.setTimeout(120_000);

describe('lakepipe query --dialect', () => {
  let home: string;

  beforeAll(async () => {
    home = await tempDir('lakepipe-cli-dialect-');
    const dir = await tempDir('lakepipe-cli-dialect-data-');
    const file = await generated(dir, 'dialect-day.csv', { rows: 50, seed: 7, idPrefix: 'DIA-' });
    const run = await cli('run', file, '--home', home, '--json');
    expect(run.code).toBe(0);
  });

  it("answers a Spark statement over a catalog table with Spark's meaning", async () => {
    // Act: `div` is Spark-only syntax, and Spark's concat is NULL when an argument is (DuckDB's skips it).
    const spark = await cli(
      'query',
      '--dialect',
      'spark',
      'SELECT count(*) div 7 AS weeks, concat(max(`transaction_id`), NULL) AS nothing FROM customer_transactions',
      '--home',
      home,
      '--json',
    );

    // Assess
    expect(spark.stderr).toBe('');
    expect(spark.code).toBe(0);
    expect(JSON.parse(spark.stdout)).toEqual([{ weeks: '7', nothing: null }]);
  });

  it("keeps Trino as the default: 7/2 is Trino's integer division", async () => {
    // Act
    const trino = await cli('query', 'SELECT 7/2 AS half', '--home', home, '--json');
    const named = await cli('query', '--dialect', 'trino', 'SELECT 7/2 AS half', '--home', home, '--json');

    // Assess
    expect(JSON.parse(trino.stdout)).toEqual([{ half: '3' }]);
    expect(JSON.parse(named.stdout)).toEqual([{ half: '3' }]);
  });

  it('exits 1 with the refusal for a Spark function the twin cannot reproduce, 2 for an unknown dialect', async () => {
    // Act
    const refused = await cli('query', '--dialect', 'spark', "SELECT initcap('a b')", '--home', home);
    const unknown = await cli('query', '--dialect', 'mysql', 'SELECT 1', '--home', home);

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^query failed: function initcap is not supported locally/m);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('lakepipe: --dialect must be one of trino, spark, got "mysql"\n');
  });
});
