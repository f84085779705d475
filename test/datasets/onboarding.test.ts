// Issue "Datasets as configuration", end to end as a data team does it: in a copy of the project, `lakepipe dataset
// new` writes a folder from a sample, `dataset check` accepts it, `run --dataset` takes a file through the whole
// twin (arrival, screening, crawl, job, validations, notification), and the deployment generates the dataset's
// crawler, job and roles, with no TypeScript, serverless.yml or ASL changed.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { datasetTemplate } from '../../infra/dataset-resources.cjs';
import { namesFor } from '../../infra/names.cjs';
import { loadRegistry, REPO_ROOT } from '../../infra/registry.cjs';
import { copyProject, lakepipeIn as lakepipe } from '../fixtures/project-copy';

jest.setTimeout(300_000);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Orders of a shape no code knows: 40 clean rows, and for the run one id repeated and one amount that is no number. */
function ordersCsv(dirty: boolean): string {
  const lines = ['order_id,shop,amount,ordered_on'];
  for (let i = 1; i <= 40; i++) {
    lines.push(`O-${String(i).padStart(3, '0')},shop-${i % 3},${(i * 1.25).toFixed(2)},2025-0${1 + (i % 6)}-1${i % 9}`);
  }
  if (dirty) lines.push('O-007,shop-1,8.75,2025-02-17', 'O-041,shop-2,n/a,2025-03-01');
  return `${lines.join('\n')}\n`;
}

describe('a dataset added by a data team', () => {
  let root: string;
  let before: string[];

  beforeAll(async () => {
    root = await copyProject('lakepipe-onboarding-');
    await writeFile(path.join(root, 'sample.csv'), ordersCsv(false));
    await writeFile(path.join(root, 'orders.csv'), ordersCsv(true));
    before = await filesUnder(root);
  });

  it('is written from a sample, checked, run end to end in the twin and deployed, touching only its folder', async () => {
    // Act
    const created = await lakepipe(root, 'dataset', 'new', 'orders', '--sample', 'sample.csv');
    const checked = await lakepipe(root, 'dataset', 'check', 'orders');
    const ran = await lakepipe(root, 'run', '--dataset', 'orders', 'orders.csv', '--json', '--home', '.lakepipe');
    const after = (await filesUnder(root)).filter((f) => !f.startsWith('.lakepipe/') && !f.startsWith('node_modules'));

    // Assess: the folder, and nothing else, is new; code, serverless.yml and the ASL are as they were.
    expect(created.code).toBe(0);
    expect(checked).toMatchObject({ code: 0 });
    const added = after.filter((f) => !before.includes(f));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((f) => f.startsWith('datasets/orders/'))).toBe(true);
    for (const file of ['serverless.yml', 'state-machines/pipeline.asl.yml', 'local/twin/twin.ts']) {
      expect(await readFile(path.join(root, file), 'utf8')).toBe(await readFile(path.join(REPO_ROOT, file), 'utf8'));
    }

    // The run: its own crawler and job, every row accounted for, its validations passed.
    expect(ran.code).toBe(0);
    const [execution] = JSON.parse(ran.stdout) as {
      status: string;
      files: string[];
      rowsRead: number;
      rowsRejected: number;
      rowsWritten: Record<string, number>;
      validations: { name: string; passed: boolean }[];
    }[];
    expect(execution?.status).toBe('SUCCEEDED');
    expect(execution?.files).toEqual(['raw/orders/orders.csv']);
    expect(execution?.rowsRead).toBe(42);
    expect(execution?.rowsRejected).toBe(2);
    expect(Object.values(execution?.rowsWritten ?? {})).toContain(40);
    expect(execution?.validations.length).toBeGreaterThan(0);
    expect(execution?.validations.every((v) => v.passed)).toBe(true);

    // The deployment: the registry of the copy generates the dataset's crawler, job and roles.
    const orders = loadRegistry(root).find((d) => d.name === 'orders');
    expect(orders?.raw.prefix).toBe('raw/orders/');
    const { Resources } = datasetTemplate(
      namesFor('dev'),
      loadRegistry(root),
      { glueWorkerType: 'G.1X', glueNumberOfWorkers: 2, glueJobTimeoutMinutes: 60 },
      root,
    );
    expect(Object.keys(Resources)).toEqual(
      expect.arrayContaining(['OrdersCrawler', 'OrdersJob', 'OrdersCrawlerRole', 'OrdersJobRole']),
    );
  });
});
