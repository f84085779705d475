// Pass-through columns: which raw columns pass, how the placeholder expands (the PySpark runner's python tests
// pin the same text with Spark's quoting), and a real run whose raw table gains columns between runs.
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withDuckDb } from '../../../../local/duckdb';
import { loadManifest } from '../../../../local/glue/jobs/job-manifest';
import { expandPassThrough, passThroughColumns } from '../../../../local/glue/jobs/pass-through';
import { changeOrdersTable, FIXTURES, jobWorld, RAW_LOCATION, runJob } from './job-world';

describe('pass-through columns', () => {
  it('are the plain source columns that are not excepted, not source_file and not an output column', async () => {
    // Prepare: the fixture excepts the four order columns; its output declares order_id and source_file.
    const manifest = await loadManifest(path.join(FIXTURES, 'pass-through', 'job.yml'));
    const source = ['order_id', 'customer', 'coupon', 'Bad Name', 'source_file', 'order', 'coupon'];

    // Act
    const columns = passThroughColumns(manifest, source);

    // Assess
    expect(columns).toEqual(['coupon', 'order']);
  });

  it('expand to each column with its comma, qualified or not, and to nothing when there are none', () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the step placeholder, written as a step file has it
    const sql = 'SELECT a, ${pass_through:s} s.source_file FROM source s UNION ALL SELECT ${pass_through} x FROM t';

    // Act / Assess
    expect(expandPassThrough(sql, ['loyalty_tier', 'order'])).toBe(
      'SELECT a, s."loyalty_tier", s."order",  s.source_file FROM source s UNION ALL SELECT "loyalty_tier", "order",  x FROM t',
    );
    expect(expandPassThrough(sql, [])).toBe('SELECT a,  s.source_file FROM source s UNION ALL SELECT  x FROM t');
  });

  it('reach the output as text, and a column a later file brings joins the output table', async () => {
    // Prepare: the raw table gains `coupon` (typed bigint by a crawl) before run 1 and `tier` before run 2.
    const world = await jobWorld();
    world.register('pass', 'pass-through');
    const raw = world.workspace.dir('buckets', 'lake-raw', 'raw', 'orders');
    await mkdir(raw, { recursive: true });
    const { Table: orders } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders' });
    const columns = orders?.StorageDescriptor?.Columns ?? [];
    const withColumns = (extra: Array<{ Name: string; Type: string }>) =>
      changeOrdersTable(world, (table) => ({
        ...table,
        StorageDescriptor: { ...table.StorageDescriptor, Columns: [...columns, ...extra] },
      }));
    const header = 'order_id,customer,amount,order_date';
    await withColumns([{ Name: 'coupon', Type: 'bigint' }]);
    await writeFile(path.join(raw, 'a.csv'), `${header},coupon\n1,alice,10.50,2024-01-15,7\n2,bob,20.00,2024-01-20,\n`);

    // Act
    const first = await runJob(world, 'pass');
    const { Table: out } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders_out' });
    await world.catalog.updateTable({
      DatabaseName: 'lake',
      TableInput: { ...out, Name: 'orders_out', Description: 'orders, with what the raw files bring' },
    });
    await withColumns([
      { Name: 'coupon', Type: 'bigint' },
      { Name: 'tier', Type: 'string' },
    ]);
    await writeFile(path.join(raw, 'b.csv'), `${header},coupon,tier\n3,carol,5.25,2024-02-01,9,gold\n`);
    const second = await runJob(world, 'pass');

    // Assess
    expect([first.done.JobRunState, second.done.JobRunState]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([first.stats?.passThrough, second.stats?.passThrough]).toEqual([['coupon'], ['coupon', 'tier']]);
    const { Table } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders_out' });
    expect(Table?.Description).toBe('orders, with what the raw files bring');
    expect(Table?.StorageDescriptor?.Columns).toEqual([
      { Name: 'order_id', Type: 'bigint' },
      { Name: 'source_file', Type: 'string' },
      { Name: 'coupon', Type: 'string' },
      { Name: 'tier', Type: 'string' },
    ]);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'orders_out');
    const rows = await withDuckDb((db) =>
      db.queryJson(
        `SELECT order_id, coupon, tier, typeof(coupon) AS coupon_type, source_file
         FROM read_parquet('${dir}/*.parquet', union_by_name = true) ORDER BY order_id`,
      ),
    );
    expect(rows).toEqual([
      { order_id: '1', coupon: '7', tier: null, coupon_type: 'VARCHAR', source_file: `${RAW_LOCATION}a.csv` },
      { order_id: '2', coupon: '', tier: null, coupon_type: 'VARCHAR', source_file: `${RAW_LOCATION}a.csv` },
      { order_id: '3', coupon: '9', tier: 'gold', coupon_type: 'VARCHAR', source_file: `${RAW_LOCATION}b.csv` },
    ]);
  });

  it('are refused in a step when the manifest does not ask for them', async () => {
    // Prepare: the hinted manifest has no source.passThrough; a copy of its first step uses the placeholder.
    const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-pass-'));
    await cp(path.join(FIXTURES, 'hinted'), dir, { recursive: true });
    const step = path.join(dir, 'steps', '01-typed.sql');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the step placeholder, written as a step file has it
    await writeFile(step, (await readFile(step, 'utf8')).replace('SELECT ', 'SELECT ${pass_through} '));

    // Act / Assess
    await expect(loadManifest(path.join(dir, 'job.yml'))).rejects.toMatchObject({
      name: 'ManifestError',
      message: expect.stringMatching(/step "typed" uses \$\{pass_through\}, but source.passThrough is not set/),
    });
  });
});
