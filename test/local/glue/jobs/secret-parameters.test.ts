// LocalGlueJobs and a manifest's secret parameter: the value comes from the secret store (by the parameter's
// argument, with what the run was given for it), reaches job_args, and is never in the JobRun's Arguments.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalGlueJobs } from '../../../../local/glue/jobs/jobs';
import { jobWorld, ORDERS_ARGS, readOutput } from './job-world';

const MANIFEST = `name: hashed
source: { bookmark: false }
parameters:
  salt: { argument: customer_salt, type: string, secret: true }
steps:
  - { name: hashed, sql: steps/01-hashed.sql }
outputs:
  - table: customers_hashed
    step: hashed
    path: customers_hashed/
    format: parquet
    mode: overwrite
    columns:
      - { name: customer_hash, type: string }
`;

async function manifest(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-secret-job-'));
  await mkdir(path.join(dir, 'steps'));
  await writeFile(
    path.join(dir, 'steps', '01-hashed.sql'),
    'SELECT md5(concat(a.salt, s.customer)) AS customer_hash FROM source AS s CROSS JOIN job_args AS a',
  );
  await writeFile(path.join(dir, 'job.yml'), MANIFEST);
  return path.join(dir, 'job.yml');
}

describe('a secret job parameter', () => {
  it('takes its value from the secret store, never from or into the run arguments', async () => {
    // Prepare
    const world = await jobWorld();
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);
    const asked: [string, string | undefined][] = [];
    const jobs = new LocalGlueJobs({
      workspace: world.workspace,
      catalog: world.catalog,
      secrets: async (argument, given) => {
        asked.push([argument, given]);
        return 'pepper';
      },
    });
    jobs.registerJob({ Name: 'hashed', manifestPath: await manifest(), DefaultArguments: ORDERS_ARGS });
    // Act
    const { JobRunId = '' } = await jobs.startJobRun({
      JobName: 'hashed',
      Arguments: { '--customer_salt': '/lakepipe/dev/orders/customer_salt' },
    });
    const done = await jobs.whenDone(JobRunId);
    // Assess
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(asked).toEqual([['customer_salt', '/lakepipe/dev/orders/customer_salt']]);
    expect(JSON.stringify(done.Arguments)).not.toContain('pepper');
    const dir = world.workspace.dir('buckets', 'lake-curated', 'customers_hashed');
    const hash = createHash('md5').update('pepperalice').digest('hex');
    expect(await readOutput(dir, 'customer_hash')).toEqual([{ customer_hash: hash }]);
  });

  it('fails the run, naming the parameter, when there is no secret store', async () => {
    // Prepare
    const world = await jobWorld();
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);
    world.jobs.registerJob({ Name: 'hashed', manifestPath: await manifest(), DefaultArguments: ORDERS_ARGS });
    // Act
    const { JobRunId = '' } = await world.jobs.startJobRun({ JobName: 'hashed' });
    const done = await world.jobs.whenDone(JobRunId);
    // Assess
    expect(done).toMatchObject({
      JobRunState: 'FAILED',
      ErrorMessage: 'secret parameter salt has no value: no secret store',
    });
  });
});
