// A dataset added by configuration alone: a copy of the registry with a second dataset folder (a `;`-separated CSV,
// its own job and check), given to the twin as its datasets root. A file landed under its prefix runs its own
// crawler (with its CSV dialect) and job, next to customer_transactions, with no code changed.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deliverArrivals, landFiles, waitForExecutions } from '../../../local/twin/pipeline-run';
import type { Twin } from '../../../local/twin/twin';
import { planFor } from '../../../local/twin/twin';
import { LandingWatcher } from '../../../local/twin/watch';
import { registryWith, STORE_VISITS_DATASET, VISITS_LOADED, visitsJob } from './registry-copy';
import { generated, newTwin, outcome, sql, tempDir } from './support';

jest.setTimeout(180_000);

const JOB_YML = visitsJob('steps/01-visits.sql', [
  'store_id:string',
  'visit_date:date',
  'visits:bigint',
  'weather:string',
  'source_file:string',
  'run_id:string',
]);

const STEP = `SELECT s.store_id, CAST(s.visit_date AS DATE) AS visit_date, CAST(s.visits AS BIGINT) AS visits,
  s.weather, s.source_file, a.run_id
FROM source AS s CROSS JOIN job_args AS a`;

/** A copy of the repository's datasets with store_visits added. */
function registryWithStoreVisits(): Promise<string> {
  return registryWith('store_visits', {
    'dataset.yml': STORE_VISITS_DATASET,
    'job.yml': JOB_YML,
    'steps/01-visits.sql': STEP,
    'validations/visits_loaded.sql': VISITS_LOADED,
  });
}

describe('a second dataset declared in the registry', () => {
  let twin: Twin;
  let dir: string;

  beforeAll(async () => {
    twin = await newTwin({ datasetsRoot: await registryWithStoreVisits() });
    dir = await tempDir();
  });

  it('runs its own crawler and job on a file landed under its prefix', async () => {
    // Prepare: text-only columns but one, `;`-separated, no weather column (optional)
    const file = path.join(dir, 'visits-2025-06-01.csv');
    await writeFile(file, 'store_id;visit_date;visits\nS1;2025-06-01;120\nS2;2025-06-01;87\n');
    const plan = planFor(twin, 'store_visits');
    // Act
    const arrival = await deliverArrivals(twin, await landFiles(twin, [file], new Date(), plan));
    const [record] = await waitForExecutions(twin, arrival.started);
    // Assess
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
    expect(record?.input).toMatchObject({
      dataset: 'store_visits',
      plan: { crawler: 'lakepipe-local-store-visits', job: 'lakepipe-local-store-visits' },
    });
    const raw = await twin.catalog.getTable({ DatabaseName: plan.database, Name: 'store_visits' });
    expect(raw.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['store_id', 'visit_date', 'visits']);
    const rows = await sql(twin, 'SELECT store_id, visits, weather FROM store_visits_daily ORDER BY store_id');
    expect(rows).toEqual([
      { store_id: 'S1', visits: '120', weather: null },
      { store_id: 'S2', visits: '87', weather: null },
    ]);
  });

  it('keeps serving customer_transactions under its own prefix, with its own crawler and job', async () => {
    // Prepare
    const file = await generated(dir, 'transactions.csv', { rows: 200, seed: 5, dirtyRate: 0, idPrefix: 'Z' });
    // Act
    const arrival = await deliverArrivals(twin, await landFiles(twin, [file]));
    const [record] = await waitForExecutions(twin, arrival.started);
    // Assess
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
    expect(record?.input).toMatchObject({
      dataset: 'customer_transactions',
      plan: { crawler: 'lakepipe-local-customer-transactions', job: 'lakepipe-local-customer-analytics' },
    });
    const [visits] = await sql(twin, 'SELECT count(*) AS n FROM store_visits_daily');
    expect(visits?.n).toBe('2');
  });

  it('lands what a watcher of its landing folder picks up under its prefix', async () => {
    // Prepare
    const landing = path.join(twin.workspace.home, 'landing', 'store_visits');
    await mkdir(landing, { recursive: true });
    const watcher = new LandingWatcher(twin, {
      dir: landing,
      batchWindowMs: 200,
      stabilityMs: 200,
      plan: planFor(twin, 'store_visits'),
    });
    await watcher.start();
    // Act
    await writeFile(
      path.join(landing, 'visits-2025-06-02.csv'),
      'store_id;visit_date;visits\nS1;2025-06-02;64\nS3;2025-06-02;12\n',
    );
    while (watcher.started.length === 0) await new Promise((r) => setTimeout(r, 100));
    await watcher.stop();
    const records = await Promise.all(watcher.started.map((n) => twin.sfn.waitFor(n)));
    // Assess
    expect(records.map(outcome)).toEqual([{ status: 'SUCCEEDED' }]);
    expect(records[0]?.input).toMatchObject({ dataset: 'store_visits' });
    const rows = await sql(
      twin,
      "SELECT store_id FROM store_visits_daily WHERE visit_date = DATE '2025-06-02' ORDER BY 1",
    );
    expect(rows).toEqual([{ store_id: 'S1' }, { store_id: 'S3' }]);
  });

  it('refuses a dataset it does not serve, naming those it does', () => {
    const served = twin.datasets.map((d) => d.plan.dataset);
    expect(served).toEqual(expect.arrayContaining(['customer_transactions', 'store_visits']));
    expect(() => planFor(twin, 'nope')).toThrow(`unknown dataset "nope" (have: ${served.join(', ')})`);
  });
});
