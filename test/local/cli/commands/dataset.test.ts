// `lakepipe dataset new | list | check`: a dataset folder from a sample (and its default job run on the DuckDB
// runner), the registry listed, and a folder checked as the deployment and both runtimes will read it.
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../../../../functions/shared/sql-literal';
import { loadRegistry, REPO_ROOT } from '../../../../infra/registry.cjs';
import { DuckDb } from '../../../../local/duckdb';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { JobBookmarks } from '../../../../local/glue/jobs/job-bookmarks';
import { loadManifest } from '../../../../local/glue/jobs/job-manifest';
import { executeJobRun } from '../../../../local/glue/jobs/job-runner';
import { Workspace } from '../../../../local/workspace';
import { tempDir } from '../../e2e/support';
import { cli } from '../support';

jest.setTimeout(180_000);

const ORDERS = [
  'order_id,customer_id,order_date,amount,email,note',
  'O1,C1,2024-01-02,12.50,a@example.com,first',
  'O2,C1,2024-01-20,3.10,a@example.com,',
  'O3,C2,2024-02-01,7.00,b@example.org,gift',
  'O4,C3,2024-02-03,9.99,c@example.org,',
].join('\n');

/** A project root holding a copy of the repository's datasets, where `dataset new` may write. */
async function projectCopy(): Promise<string> {
  const root = await tempDir('lakepipe-cli-datasets-');
  await cp(path.join(REPO_ROOT, 'datasets'), path.join(root, 'datasets'), { recursive: true });
  return root;
}

describe('lakepipe dataset new', () => {
  let root: string;
  let dir: string;
  let created: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    root = await projectCopy();
    dir = await tempDir('lakepipe-cli-samples-');
    await writeFile(path.join(dir, 'orders.csv'), `${ORDERS}\n`);
    created = await cli('dataset', 'new', 'orders', '--sample', path.join(dir, 'orders.csv'), '--root', root);
  });

  it('writes a folder the registry loads, with the contract inferred by the crawler and what it decided', async () => {
    // Act
    const orders = loadRegistry(root).find((d) => d.name === 'orders');
    // Assess
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    expect(orders?.contract.columns.map((c) => [c.name, c.type, c.required, c.pii])).toEqual([
      ['order_id', 'string', true, false],
      ['customer_id', 'string', true, false],
      ['order_date', 'date', true, false],
      ['amount', 'double', true, false],
      ['email', 'string', true, false],
      ['note', 'string', false, false],
    ]);
    expect(orders?.contract.key).toEqual(['order_id']);
    expect(orders?.raw).toMatchObject({ prefix: 'raw/orders/', formats: ['csv'] });
    expect(orders?.checks).toEqual(['rows_written', 'no_null_keys']);
    expect(orders?.job.name).toBe('orders');
    for (const file of ['README.md', 'job.yml', 'validations/rows_written.sql', 'validations/no_null_keys.sql']) {
      expect((await stat(path.join(root, 'datasets/orders', file))).isFile()).toBe(true);
    }
    expect(created.stdout).toContain('key: order_id (the one *_id column unique and never empty in the sample)');
    expect(created.stdout).toContain('partitioned by year and month of order_date');
    expect(created.stdout).toContain('names that look personal: email');
    expect(created.stdout).toContain('then: lakepipe dataset check orders');
  });

  it('writes a job that types, de-duplicates, rejects with a reason and partitions, on the DuckDB runner', async () => {
    // Prepare: the crawled raw table and two runs, the second bringing a key loaded before and bad values
    const home = await tempDir('lakepipe-cli-orders-run-');
    const workspace = await Workspace.open(home);
    const catalog = new LocalGlueCatalog(workspace);
    const bookmarks = new JobBookmarks(workspace);
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    const columns = ORDERS.split('\n')[0]?.split(',') ?? [];
    await catalog.createTable({
      DatabaseName: 'lake',
      TableInput: {
        Name: 'orders',
        Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
        StorageDescriptor: {
          Columns: columns.map((Name) => ({ Name, Type: 'string' })),
          Location: 's3://raw/orders/',
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: {
            SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
            Parameters: { 'field.delim': ',' },
          },
        },
      },
    });
    const manifest = await loadManifest(path.join(root, 'datasets/orders/job.yml'));
    const run = async (key: string, text: string, runId: string) => {
      const file = workspace.dir('buckets', 'raw', 'orders', key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return executeJobRun({
        workspace,
        catalog,
        bookmarks,
        manifest,
        jobName: 'orders',
        runId,
        args: {
          '--database': 'lake',
          '--source_table': 'orders',
          '--curated_location': 's3://curated/',
          '--run_id': runId,
        },
        startedOn: new Date('2024-03-01T00:00:00Z'),
        threads: 1,
        memoryLimit: '512MB',
      });
    };
    await run('day-1.csv', `${ORDERS}\n`, 'orders-run-1');
    const second = [
      'order_id,customer_id,order_date,amount,email,note',
      'O1,C1,2024-01-02,12.50,a@example.com,again',
      'O5,C4,2024-03-05,abc,d@example.org,',
      'O6,,2024-03-06,1.00,e@example.org,',
      'O7,C5,2024-03-07,2.00,f@example.org,',
      'O7,C5,2024-03-07,2.00,f@example.org,',
    ].join('\n');
    await run('day-2.csv', `${second}\n`, 'orders-run-2');
    const db = await DuckDb.open({ threads: 1 });
    try {
      const curated = workspace.dir('buckets', 'curated');
      const read = (table: string) =>
        db.queryJson(
          `SELECT * FROM read_parquet(${sqlString(`${curated}/${table}/**/*.parquet`)}, hive_partitioning = true)`,
        );
      // Act
      const clean = await read('orders_clean');
      const rejected = await read('orders_rejected');
      // Assess
      expect(clean.map((r) => [r.order_id, r.amount, Number(r.year), Number(r.month), r.run_id]).sort()).toEqual([
        ['O1', 12.5, 2024, 1, 'orders-run-1'],
        ['O2', 3.1, 2024, 1, 'orders-run-1'],
        ['O3', 7, 2024, 2, 'orders-run-1'],
        ['O4', 9.99, 2024, 2, 'orders-run-1'],
        ['O7', 2, 2024, 3, 'orders-run-2'],
      ]);
      expect(clean.every((r) => String(r.source_file).startsWith('s3://raw/orders/day-'))).toBe(true);
      expect(rejected.map((r) => [r.order_id, r.amount, r.reject_reason]).sort()).toEqual([
        ['O1', '12.50', 'duplicate_key'],
        ['O5', 'abc', 'unparseable_amount'],
        ['O6', '1.00', 'missing_customer_id'],
        ['O7', '2.00', 'duplicate_key'],
      ]);
      const files = await readFile(path.join(root, 'datasets/orders/job.yml'), 'utf8');
      expect(files.match(/compression: snappy/g)).toHaveLength(3);
    } finally {
      db.close();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('refuses an existing folder, a bad name and an unreadable sample with one line and exit 2', async () => {
    // Prepare
    const binary = path.join(dir, 'image.csv');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
    const sample = path.join(dir, 'orders.csv');
    // Act
    const existing = await cli('dataset', 'new', 'orders', '--sample', sample, '--root', root);
    const badName = await cli('dataset', 'new', 'Orders-2', '--sample', sample, '--root', root);
    const missing = await cli('dataset', 'new', 'other', '--sample', path.join(dir, 'nope.csv'), '--root', root);
    const unreadable = await cli('dataset', 'new', 'other', '--sample', binary, '--root', root);
    const badKey = await cli('dataset', 'new', 'other', '--sample', sample, '--key', 'sku', '--root', root);
    // Assess
    expect([existing, badName, missing, unreadable, badKey].map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(existing.stderr).toBe('lakepipe: datasets/orders/ exists already\n');
    expect(badName.stderr).toBe(
      'lakepipe: bad dataset name "Orders-2": it must match [a-z][a-z0-9_]* (at most 48 characters)\n',
    );
    expect(missing.stderr).toMatch(/^lakepipe: cannot read the sample .*nope\.csv: no such file\n$/);
    expect(unreadable.stderr).toMatch(/^lakepipe: cannot read the sample .*image\.csv: binary content, not text\n$/);
    expect(badKey.stderr).toMatch(/^lakepipe: --key sku is not a column of the sample \(have: order_id, /);
    await expect(stat(path.join(root, 'datasets/other'))).rejects.toThrow(/ENOENT/);
  });

  it('takes JSON lines, a key given with --key, and leaves a table without a date unpartitioned', async () => {
    // Prepare
    const sample = path.join(dir, 'events.jsonl');
    await writeFile(
      sample,
      '{"event_id": "E1", "device_id": "D1", "kind": "click", "count": 3}\n{"event_id": "E2", "device_id": "D2", "kind": "view", "count": 1}\n',
    );
    // Act
    const result = await cli(
      'dataset',
      'new',
      'events',
      '--sample',
      sample,
      '--key',
      'device_id,kind',
      '--root',
      root,
      '--json',
    );
    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dataset: 'events',
      key: ['device_id', 'kind'],
      partitionBy: null,
    });
    const events = loadRegistry(root).find((d) => d.name === 'events');
    expect(events?.raw.formats).toEqual(['jsonl']);
    expect(events?.contract.columns.find((c) => c.name === 'count')?.type).toBe('bigint');
    expect(await readFile(path.join(root, 'datasets/events/job.yml'), 'utf8')).not.toContain('year');
  });

  it('chooses no key when several *_id columns could be it, and lists them for review', async () => {
    // Prepare
    const sample = path.join(dir, 'visits.csv');
    await writeFile(sample, 'visit_id,ticket_id,seen_at\nV1,T1,2024-01-01 10:00:00\nV2,T2,\n');
    // Act
    const { code, stdout } = await cli('dataset', 'new', 'visits', '--sample', sample, '--root', root);
    // Assess
    expect(code).toBe(0);
    expect(loadRegistry(root).find((d) => d.name === 'visits')?.contract.key).toEqual([]);
    expect(stdout).toContain('key: none (no single *_id column is unique and never empty in the sample)');
    expect(stdout).toContain('key: several columns could be the key (visit_id, ticket_id); pass --key to choose');
    expect(stdout).toContain('not partitioned: no date or timestamp column that every row fills');
  });
});

describe('lakepipe dataset list', () => {
  it('lists every dataset with its prefix, formats, policy, job and checks', async () => {
    // Act
    const text = await cli('dataset', 'list');
    const json = await cli('dataset', 'list', '--json');
    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^name\s+prefix\s+formats\s+policy\s+job\s+checks$/);
    expect(text.stdout).toMatch(/customer_profiles\s+raw\/customer_profiles\/\s+jsonl\s+warn\s+customer-profiles\s+/);
    expect(JSON.parse(json.stdout)).toContainEqual({
      name: 'customer_transactions',
      prefix: 'raw/customer_transactions/',
      formats: ['csv', 'jsonl', 'parquet'],
      policy: 'evolve',
      job: 'customer-analytics',
      checks: ['rows_written', 'no_null_keys', 'amounts_reconcile', 'one_segment_per_customer', 'rejected_share'],
    });
  });
});

describe('lakepipe dataset check', () => {
  let root: string;

  beforeAll(async () => {
    root = await projectCopy();
  });

  it.each(['customer_transactions', 'customer_profiles'])('passes the reference dataset %s', async (name) => {
    // Act
    const { code, stdout, stderr } = await cli('dataset', 'check', name);
    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^datasets/${name}: ok \\(contract, manifest, \\d+ step\\(s\\) as Spark SQL, \\d+ validation\\(s\\) as Trino SQL\\)\\n$`,
      ),
    );
  });

  it('names each broken file and what is wrong: a step, a validation', async () => {
    // Prepare
    const dir = path.join(root, 'datasets/customer_profiles');
    await writeFile(path.join(dir, 'steps/03-rejected.sql'), 'SELECT customer_id, FROM parsed WHERE');
    await writeFile(path.join(dir, 'validations/no_null_keys.sql'), `SELECT \${nope} AS passed`);
    const rowsWritten = path.join(dir, 'validations/rows_written.sql');
    await writeFile(rowsWritten, `${await readFile(rowsWritten, 'utf8')}\nSELECT 1`);
    // Act
    const { code, stderr } = await cli('dataset', 'check', 'customer_profiles', '--root', root);
    // Assess
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith('lakepipe: datasets/customer_profiles/'))).toBe(true);
    expect(
      lines.some((l) =>
        l.startsWith('lakepipe: datasets/customer_profiles/steps/03-rejected.sql (step rejected): Spark SQL: line 1:'),
      ),
    ).toBe(true);
    expect(lines).toContain(
      `lakepipe: datasets/customer_profiles/validations/no_null_keys.sql (checks: no_null_keys): validations/no_null_keys.sql uses unknown placeholder(s) \${nope}`,
    );
    expect(
      lines.some((l) =>
        l.startsWith(
          'lakepipe: datasets/customer_profiles/validations/rows_written.sql (checks: rows_written): Trino SQL: ',
        ),
      ),
    ).toBe(true);
  });

  it('names the manifest and its field, and a contract error by file and field', async () => {
    // Prepare
    const dir = path.join(root, 'datasets/customer_transactions');
    const job = path.join(dir, 'job.yml');
    await writeFile(job, (await readFile(job, 'utf8')).replace('mode: overwrite', 'mode: sometimes'));
    const other = await projectCopy();
    const yml = path.join(other, 'datasets/customer_profiles/dataset.yml');
    await writeFile(yml, (await readFile(yml, 'utf8')).replace('schemaChange: warn', 'schemaChange: lenient'));
    // Act
    const manifest = await cli('dataset', 'check', 'customer_transactions', '--root', root);
    const contract = await cli('dataset', 'check', 'customer_profiles', '--root', other);
    const unknown = await cli('dataset', 'check', 'nothing_here');
    // Assess
    expect(manifest.code).toBe(2);
    expect(manifest.stderr).toMatch(
      /^lakepipe: invalid job manifest datasets\/customer_transactions\/job\.yml: outputs\.\d+\.mode: /,
    );
    expect(contract.code).toBe(2);
    expect(contract.stderr).toMatch(/^lakepipe: datasets\/customer_profiles\/dataset\.yml: contract\.schemaChange: /);
    expect(contract.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toBe(
      'lakepipe: datasets/: no dataset "nothing_here" (have: customer_profiles, customer_transactions)\n',
    );
  });
});
