// The job runner runs each step with Spark SQL's meaning (local/sql/spark/translate.ts), not DuckDB's, and a step
// that uses what the twin cannot reproduce fails the run with the refusal, naming the function.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CURATED, jobWorld, readOutput, runJob } from '../glue/jobs/job-world';

/** A one-step job writing `customer_codes`, its step given as Spark SQL. */
async function registerStep(world: Awaited<ReturnType<typeof jobWorld>>, name: string, step: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-spark-step-'));
  await writeFile(path.join(dir, 'step.sql'), step);
  await writeFile(
    path.join(dir, 'job.yml'),
    [
      `name: ${name}`,
      'source:',
      '  bookmark: false',
      'steps:',
      '  - { name: coded, sql: step.sql }',
      'outputs:',
      '  - table: customer_codes',
      '    step: coded',
      '    path: customer_codes/',
      '    format: parquet',
      '    mode: overwrite',
      '    columns:',
      '      - { name: customer, type: string }',
      '      - { name: half, type: bigint }',
      '      - { name: masked, type: string }',
      '      - { name: tagged, type: string }',
      '',
    ].join('\n'),
  );
  world.jobs.registerJob({
    Name: name,
    manifestPath: path.join(dir, 'job.yml'),
    DefaultArguments: { '--curated_location': CURATED, '--database': 'lake', '--source_table': 'orders' },
  });
}

describe('job runner: steps in Spark SQL', () => {
  it("runs a step with Spark's meaning where DuckDB's differs (div, regexp_replace, concat with NULL)", async () => {
    // Prepare: DuckDB alone would fail on `div`, replace only the first digit, and skip the NULL in concat.
    const world = await jobWorld();
    await world.putRaw('a.csv', ['7,ab12,10.50,2024-01-15']);
    await registerStep(
      world,
      'spark-meaning',
      `SELECT customer, CAST(order_id AS BIGINT) div 2 AS half, regexp_replace(customer, '\\\\d', '#') AS masked,
  concat(customer, CAST(NULL AS STRING)) AS tagged
FROM source`,
    );

    // Act
    const { done } = await runJob(world, 'spark-meaning');

    // Assess
    expect(done.ErrorMessage).toBeUndefined();
    expect(done.JobRunState).toBe('SUCCEEDED');
    const out = world.workspace.dir('buckets', 'lake-curated', 'customer_codes');
    expect(await readOutput(out, 'customer, half, masked, tagged')).toEqual([
      { customer: 'ab12', half: '3', masked: 'ab##', tagged: null },
    ]);
  });

  it('fails the run with the refusal when a step uses a function the twin cannot reproduce', async () => {
    // Prepare
    const world = await jobWorld();
    await world.putRaw('a.csv', ['7,ab12,10.50,2024-01-15']);
    await registerStep(
      world,
      'spark-refused',
      'SELECT initcap(customer) AS customer, 1 AS half, customer AS masked, customer AS tagged FROM source',
    );

    // Act
    const { done } = await runJob(world, 'spark-refused');

    // Assess
    expect(done.JobRunState).toBe('FAILED');
    expect(done.ErrorMessage).toMatch(/^function initcap is not supported locally/);
  });
});
