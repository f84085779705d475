// Secret job parameters in the twin: a `secret: true` parameter's value comes from LAKEPIPE_SECRET_<ARGUMENT>, or
// from a random value made once per workspace in <home>/secrets/<argument> (mode 0600). The steps use it like any
// parameter; the logs, the summary, the job run record and everything else in the workspace never hold it.
import './debug-logs';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deliverArrivals, landFiles, waitForExecutions } from '../../../local/twin/pipeline-run';
import { secretVariable } from '../../../local/twin/secrets';
import { summarize } from '../../../local/twin/summary';
import { planFor, type Twin } from '../../../local/twin/twin';
import { registryWith, STORE_VISITS_DATASET, VISITS_LOADED, visitsJob } from './registry-copy';
import { newTwin, outcome, sql, tempDir } from './support';

jest.setTimeout(180_000);

const jobYml = (step: string) =>
  visitsJob(
    step,
    ['store_hash:string', 'visits:bigint', 'run_id:string'],
    ['salt: { argument: visit_salt, type: string, secret: true }'],
  );

const HASHED = `SELECT md5(concat(a.salt, s.store_id)) AS store_hash, CAST(s.visits AS BIGINT) AS visits, a.run_id
FROM source AS s CROSS JOIN job_args AS a`;

// Fails with a conversion error whose message quotes the salted text.
const QUOTING = `SELECT CAST(concat('x', a.salt) AS INT) AS store_hash, CAST(s.visits AS BIGINT) AS visits, a.run_id
FROM source AS s CROSS JOIN job_args AS a`;

async function visitsTwin(): Promise<Twin> {
  const root = await registryWith('store_visits', {
    'dataset.yml': STORE_VISITS_DATASET,
    'job.yml': jobYml('steps/01-hashed.sql'),
    'steps/01-hashed.sql': HASHED,
    'steps/01-quoting.sql': QUOTING,
    'validations/visits_loaded.sql': VISITS_LOADED,
  });
  return newTwin({ datasetsRoot: root });
}

/** Runs one visits file, with what the process wrote to stdout and stderr meanwhile (the Lambdas' logs). */
async function runVisits(twin: Twin) {
  const dir = await tempDir();
  const file = path.join(dir, `visits-${Date.now()}.csv`);
  await writeFile(file, 'store_id;visit_date;visits\nS1;2025-06-01;120\nS2;2025-06-01;87\n');
  const written: string[] = [];
  const capture = (stream: NodeJS.WriteStream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  const spies = [capture(process.stdout), capture(process.stderr)];
  try {
    const landed = await landFiles(twin, [file], new Date(), planFor(twin, 'store_visits'));
    const arrival = await deliverArrivals(twin, landed);
    const [record] = await waitForExecutions(twin, arrival.started);
    return { record, logs: written.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** Every file of the workspace but its secrets folder, whose bytes contain `value`. */
async function filesHolding(home: string, value: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(home, 'secrets')) await walk(full);
      } else if ((await readFile(full)).includes(value)) {
        found.push(path.relative(home, full));
      }
    }
  };
  await walk(home);
  return found;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a secret job parameter in the twin', () => {
  const variable = secretVariable('visit_salt');

  afterEach(() => {
    delete process.env[variable];
  });

  it('is a random value kept once per workspace, mode 0600, used by the steps and shown nowhere', async () => {
    // Prepare
    const twin = await visitsTwin();
    // Act
    const { record, logs } = await runVisits(twin);
    // Assess
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
    const file = path.join(twin.workspace.home, 'secrets', 'visit_salt');
    const salt = (await readFile(file, 'utf8')).trim();
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rows = await sql(twin, 'SELECT store_hash FROM store_visits_daily ORDER BY visits DESC');
    expect(rows).toEqual([{ store_hash: md5(`${salt}S1`) }, { store_hash: md5(`${salt}S2`) }]);
    expect(logs).toContain('crawler started');
    expect(logs).not.toContain(salt);
    expect(JSON.stringify(await summarize(twin, record ?? ({} as never)))).not.toContain(salt);
    expect(await filesHolding(twin.workspace.home, salt)).toEqual([]);
    // The same workspace keeps its value
    await runVisits(twin);
    expect((await readFile(file, 'utf8')).trim()).toBe(salt);
  });

  it(`comes from ${'LAKEPIPE_SECRET_<ARGUMENT>'} when set`, async () => {
    // Prepare
    process.env[variable] = 'salt-from-the-environment';
    const twin = await visitsTwin();
    // Act
    const { record, logs } = await runVisits(twin);
    // Assess
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
    const rows = await sql(twin, 'SELECT store_hash FROM store_visits_daily ORDER BY visits DESC');
    expect(rows[0]).toEqual({ store_hash: md5('salt-from-the-environmentS1') });
    expect(logs).not.toContain('salt-from-the-environment');
    expect(await filesHolding(twin.workspace.home, 'salt-from-the-environment')).toEqual([]);
  });

  it('is redacted from a failed step whose error quotes it', async () => {
    // Prepare
    process.env[variable] = 'quoted-salt-value';
    const root = await registryWith('store_visits', {
      'dataset.yml': STORE_VISITS_DATASET,
      'job.yml': jobYml('steps/01-quoting.sql'),
      'steps/01-quoting.sql': QUOTING,
      'validations/visits_loaded.sql': VISITS_LOADED,
    });
    const twin = await newTwin({ datasetsRoot: root });
    // Act
    const { record, logs } = await runVisits(twin);
    // Assess
    expect(record?.status).toBe('FAILED');
    expect(record?.cause).toContain('x***');
    expect(logs).not.toContain('quoted-salt-value');
    expect(await filesHolding(twin.workspace.home, 'quoted-salt-value')).toEqual([]);
  });
});
