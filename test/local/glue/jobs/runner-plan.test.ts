// The DuckDB runner's plan for a run: which steps it stores and which it recomputes (the manifest's `materialize`
// hint, the reader count), whether it copies the source, and how it reads a quoted CSV source (DuckDB's parallel
// scanner, again single-threaded when a file has a quoted newline). Real files, real DuckDB.
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CURATED, FIXTURES, type JobWorld, jobWorld, readOutput, runJob as run } from './job-world';

describe('job runner: what a run stores', () => {
  it('stores a step read twice, recomputes one marked materialize: false, and does not copy a source one step reads', async () => {
    // Prepare: two positive amounts for alice, a negative one for bob, zero for carol.
    const world = await jobWorld();
    world.register('hinted', 'hinted');
    await world.putRaw('a.csv', [
      '1,alice,10.50,2024-01-15',
      '2,bob,-5.00,2024-01-20',
      '3,alice,5.25,2024-02-01',
      '4,carol,0,2024-02-02',
    ]);

    // Act
    const { done, stats } = await run(world, 'hinted');

    // Assess: `typed` (two readers) is stored; `positive` (two readers, hinted) and the single-reader steps are not.
    expect(done.ErrorMessage).toBeUndefined();
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.materialized).toEqual(['typed']);
    expect(stats).toMatchObject({ rowsRead: 4, rowsCountedBy: 'profile' });
    const curated = world.workspace.dir('buckets', 'lake-curated');
    expect(await readOutput(path.join(curated, 'positive_per_customer'), 'customer, orders')).toEqual([
      { customer: 'alice', orders: '2' },
    ]);
    expect(await readOutput(path.join(curated, 'positive_overall'), 'orders, typed_rows')).toEqual([
      { orders: '2', typed_rows: '4' },
    ]);
  });

  it('copies the source once when the steps name it more than once', async () => {
    // Prepare: the average amount is 10, so orders 2 and 3 are above it.
    const world = await jobWorld();
    world.register('above', 'source-twice');
    await world.putRaw('a.csv', ['1,alice,4.00,2024-01-15', '2,bob,12.00,2024-01-20', '3,carol,14.00,2024-01-21']);

    // Act
    const { done, stats } = await run(world, 'above');

    // Assess
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.materialized).toEqual(['source']);
    expect(stats).toMatchObject({ rowsRead: 3, rowsCountedBy: 'copy' });
    const dir = world.workspace.dir('buckets', 'lake-curated', 'above_average');
    expect(await readOutput(dir, 'order_id')).toEqual([{ order_id: '2' }, { order_id: '3' }]);
  });

  it('counts the rows read with a count(*) pass when the one read of the source may have stopped early', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('sample', 'sample-one');
    await world.putRaw('a.csv', ['1,alice,4.00,2024-01-15', '2,bob,12.00,2024-01-20', '3,carol,14.00,2024-01-21']);

    // Act
    const { done, stats } = await run(world, 'sample');

    // Assess: one row written, three read.
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.outputs[0]?.rowsWritten).toBe(1);
    expect(stats).toMatchObject({ rowsRead: 3, rowsCountedBy: 'count' });
  });

  it("lets an output that holds a step whole stand in for its copy; later steps see the step's own types", async () => {
    // Prepare: two orders in 2024 (one customer name with characters Hive escapes), one in 2025, one undated.
    const world = await jobWorld();
    world.register('stand-in', 'stand-in');
    await world.putRaw('a.csv', [
      '1,a b/c=1%,10.50,2024-01-15',
      '2,bob,20.00,2024-03-20',
      '3,carol,5.25,2025-02-01',
      '4,dave,1.00,',
    ]);

    // Act
    const { done, stats } = await run(world, 'stand-in');

    // Assess
    expect(done.ErrorMessage).toBeUndefined();
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.materialized).toEqual(['typed (as typed_orders)']);
    const curated = world.workspace.dir('buckets', 'lake-curated');
    expect(await readOutput(path.join(curated, 'orders_per_year'), 'year, orders, total, year_type')).toEqual([
      { year: 2024, orders: '2', total: '30.50', year_type: 'bigint' },
      { year: 2025, orders: '1', total: '5.25', year_type: 'bigint' },
      { year: null, orders: '1', total: '1.00', year_type: 'bigint' },
    ]);
  });

  it('stores the step itself when its output would not give it back unchanged', async () => {
    // Prepare: the same job, but typed_orders keeps amounts as float, which loses the decimal.
    const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-stand-in-'));
    await cp(path.join(FIXTURES, 'stand-in'), dir, { recursive: true });
    const yml = path.join(dir, 'job.yml');
    await writeFile(
      yml,
      (await readFile(yml, 'utf8')).replace('{ name: amount, type: "decimal(10,2)" }', '{ name: amount, type: float }'),
    );
    const world = await jobWorld();
    world.jobs.registerJob({
      Name: 'lossy',
      manifestPath: yml,
      DefaultArguments: { '--curated_location': CURATED, '--database': 'lake', '--source_table': 'orders' },
    });
    await world.putRaw('a.csv', ['1,alice,10.10,2024-01-15', '2,bob,20.20,2024-03-20']);

    // Act
    const { done, stats } = await run(world, 'lossy');

    // Assess: per_year sums the exact decimals of the stored step, not floats read back from the output.
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.materialized).toEqual(['typed']);
    const curated = world.workspace.dir('buckets', 'lake-curated', 'orders_per_year');
    expect(await readOutput(curated, 'year, total')).toEqual([{ year: 2024, total: '30.30' }]);
  });

  it('refuses materialize: false on a step that reads an output table this run writes later', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('unsafe', 'hinted-unsafe');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);

    // Act
    const { done } = await run(world, 'unsafe');

    // Assess: the run fails before writing anything, and says which step and why.
    expect(done.JobRunState).toBe('FAILED');
    expect(done.ErrorMessage).toMatch(/step prior .*materialize: false.*reads an output table/);
    expect(await world.filesUnder('buckets', 'lake-curated')).toEqual([]);
  });
});

describe('job runner: a quoted CSV source', () => {
  const OPEN_CSV = 'org.apache.hadoop.hive.serde2.OpenCSVSerde';

  async function quotedWorld(lines: string[]): Promise<JobWorld> {
    const world = await jobWorld();
    // The table the crawler makes of CSV with quotes: OpenCSVSerde, every column a string.
    await world.catalog.createTable({
      DatabaseName: 'lake',
      TableInput: {
        Name: 'quoted_orders',
        Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
        StorageDescriptor: {
          Columns: ['order_id', 'customer', 'amount', 'order_date'].map((Name) => ({ Name, Type: 'string' })),
          Location: 's3://lake-raw/raw/quoted/',
          SerdeInfo: { SerializationLibrary: OPEN_CSV, Parameters: { separatorChar: ',', quoteChar: '"' } },
        },
      },
    });
    const dir = world.workspace.dir('buckets', 'lake-raw', 'raw', 'quoted');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'orders.csv'), `order_id,customer,amount,order_date\n${lines.join('\n')}\n`);
    world.register('totals', 'customer-totals');
    return world;
  }

  /** 1,000 orders of 1.50 over three quoted customers with commas in their names; `special` replaces order 10. */
  function orders(special?: string): string[] {
    return Array.from({ length: 1000 }, (_, i) =>
      i === 10 && special ? special : `${i},"cust, ${i % 3}",1.50,2024-01-15`,
    );
  }

  it('reads quoted commas with the parallel scanner', async () => {
    // Prepare
    const world = await quotedWorld(orders());

    // Act
    const { done, stats } = await run(world, 'totals', { '--source_table': 'quoted_orders' });

    // Assess: 334 + 333 + 333 orders, each 1.50.
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.sourceReadInParallel).toBe(true);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'customer_totals');
    expect(await readOutput(dir, 'customer, orders, total')).toEqual([
      { customer: 'cust, 0', orders: '334', total: '501.00' },
      { customer: 'cust, 1', orders: '333', total: '499.50' },
      { customer: 'cust, 2', orders: '333', total: '499.50' },
    ]);
  });

  it('reads a quoted newline with the parallel scanner (RFC 4180 escaping), and loses no row', async () => {
    // Prepare: order 10 (a "cust, 1" order) becomes a customer whose name spans two lines.
    const world = await quotedWorld(orders('10,"multi\nline",2.00,2024-01-16'));

    // Act
    const { done, stats } = await run(world, 'totals', { '--source_table': 'quoted_orders' });

    // Assess: with `""` as the escape, DuckDB's parallel scanner reads the newline inside quotes as written.
    expect(done.ErrorMessage).toBeUndefined();
    expect(done.JobRunState).toBe('SUCCEEDED');
    expect(stats?.sourceReadInParallel).toBe(true);
    expect(stats?.rowsRead).toBe(1000);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'customer_totals');
    expect(await readOutput(dir, 'customer, orders, total')).toEqual([
      { customer: 'cust, 0', orders: '334', total: '501.00' },
      { customer: 'cust, 1', orders: '332', total: '498.00' },
      { customer: 'cust, 2', orders: '333', total: '499.50' },
      { customer: 'multi\nline', orders: '1', total: '2.00' },
    ]);
  });
});
