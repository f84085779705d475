// LocalGlueJobs on real files and real DuckDB: manifest execution, bookmarks, append vs overwrite, partitions,
// stage-then-commit on failure, MaxConcurrentRuns, JobRun shapes.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withDuckDb } from '../../../../local/duckdb';
import { CURATED, jobWorld, readOutput, runJob as run } from './job-world';

const NOW = new Date('2026-11-24T10:00:00.000Z');

describe('LocalGlueJobs: bookmarked append job with partitions', () => {
  describe('two runs: a.csv and b.csv, then c.csv with an id the first run loaded', () => {
    let world: Awaited<ReturnType<typeof jobWorld>>;
    let first: Awaited<ReturnType<typeof run>>;
    let second: Awaited<ReturnType<typeof run>>;
    let tableDir: string;
    beforeAll(async () => {
      // Prepare
      world = await jobWorld({ clock: () => NOW });
      world.register('orders', 'orders');
      await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20', '3,alice,5.25,2024-02-01']);
      await world.putRaw('b.csv', ['4,carol,7.00,2024-02-03']);
      tableDir = world.workspace.dir('buckets', 'lake-curated', 'orders_clean');

      // Act
      first = await run(world, 'orders', { '--run_id': 'r1' });
      await world.putRaw('c.csv', ['2,bob,20.00,2024-01-20', '5,dave,1.00,2024-03-09']);
      second = await run(world, 'orders', { '--run_id': 'r2', '--as_of': '2025-12-31' });
    });

    it('records the run as Glue does: state, arguments, times', () => {
      expect(first.done).toMatchObject({
        Id: first.id,
        JobName: 'orders',
        JobRunState: 'SUCCEEDED',
        Arguments: {
          '--run_id': 'r1',
          '--database': 'lake',
          '--source_table': 'orders',
          '--curated_location': CURATED,
        },
      });
      expect(first.done.StartedOn).toEqual(NOW);
      expect(first.done.CompletedOn).toBeInstanceOf(Date);
      expect(typeof first.done.ExecutionTime).toBe('number');
      expect(first.done.ErrorMessage).toBeUndefined();
      expect(second.done.JobRunState).toBe('SUCCEEDED');
    });

    it('reads all files on the first run, then only the new file', () => {
      expect(first.stats).toMatchObject({ sourceFiles: 2, rowsRead: 4 });
      expect(first.stats?.outputs).toEqual([
        { table: 'orders_clean', mode: 'append', rowsWritten: 4, files: 2, partitions: 2 },
      ]);
      expect(second.stats).toMatchObject({ sourceFiles: 1, rowsRead: 2 });
      expect(second.stats?.outputs[0]?.rowsWritten).toBe(1);
    });

    it("drops the id an earlier run loaded, and writes each row with its run's arguments and lineage", async () => {
      const rows = await readOutput(
        tableDir,
        'order_id, customer, amount::VARCHAR AS amount, as_of, run_id, source_file, year, month',
      );
      expect(rows).toEqual([
        {
          order_id: '1',
          customer: 'alice',
          amount: '10.50',
          as_of: '2026-11-24',
          run_id: 'r1',
          source_file: 's3://lake-raw/raw/orders/a.csv',
          year: '2024',
          month: '1',
        },
        {
          order_id: '2',
          customer: 'bob',
          amount: '20.00',
          as_of: '2026-11-24',
          run_id: 'r1',
          source_file: 's3://lake-raw/raw/orders/a.csv',
          year: '2024',
          month: '1',
        },
        {
          order_id: '3',
          customer: 'alice',
          amount: '5.25',
          as_of: '2026-11-24',
          run_id: 'r1',
          source_file: 's3://lake-raw/raw/orders/a.csv',
          year: '2024',
          month: '2',
        },
        {
          order_id: '4',
          customer: 'carol',
          amount: '7.00',
          as_of: '2026-11-24',
          run_id: 'r1',
          source_file: 's3://lake-raw/raw/orders/b.csv',
          year: '2024',
          month: '2',
        },
        {
          order_id: '5',
          customer: 'dave',
          amount: '1.00',
          as_of: '2025-12-31',
          run_id: 'r2',
          source_file: 's3://lake-raw/raw/orders/c.csv',
          year: '2024',
          month: '3',
        },
      ]);
    });

    it('writes one Parquet file per partition per run, snappy-compressed', async () => {
      const files = await world.filesUnder('buckets', 'lake-curated', 'orders_clean');
      expect(files).toEqual([
        `year=2024/month=1/part-${first.id}-0.parquet`,
        `year=2024/month=2/part-${first.id}-0.parquet`,
        `year=2024/month=3/part-${second.id}-0.parquet`,
      ]);
      const codecs = await withDuckDb((db) =>
        db.queryJson(`SELECT DISTINCT compression FROM parquet_metadata('${tableDir}/**/*.parquet')`),
      );
      expect(codecs).toEqual([{ compression: 'SNAPPY' }]);
    });

    it('registers the partitions and the table with its Parquet schema', async () => {
      const { Partitions } = await world.catalog.getPartitions({ DatabaseName: 'lake', TableName: 'orders_clean' });
      expect((Partitions ?? []).map((p) => [p.Values, p.StorageDescriptor?.Location]).sort()).toEqual([
        [['2024', '1'], `${CURATED}orders_clean/year=2024/month=1/`],
        [['2024', '2'], `${CURATED}orders_clean/year=2024/month=2/`],
        [['2024', '3'], `${CURATED}orders_clean/year=2024/month=3/`],
      ]);
      const { Table } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders_clean' });
      expect(Table?.PartitionKeys).toEqual([
        { Name: 'year', Type: 'int' },
        { Name: 'month', Type: 'int' },
      ]);
      expect(Table?.StorageDescriptor?.Columns?.map((c) => `${c.Name}:${c.Type}`)).toEqual([
        'order_id:bigint',
        'customer:string',
        'amount:decimal(10,2)',
        'order_date:date',
        'as_of:date',
        'run_id:string',
        'source_file:string',
      ]);
      expect(Table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      );
    });

    it("leaves nothing of the runs' staging behind", async () => {
      expect(await world.filesUnder('jobs', 'orders', 'staging')).toEqual([]);
    });
  });

  it('writes no bloom filters into the Parquet files, as Spark does by default', async () => {
    // Prepare: 1,000 orders of two customers, enough repeats for DuckDB's writer to add a filter if let.
    const world = await jobWorld();
    world.register('orders', 'orders');
    const rows = Array.from({ length: 1000 }, (_, i) => `${i + 1},${i % 2 ? 'alice' : 'bob'},1.00,2024-01-15`);
    await world.putRaw('a.csv', rows);

    // Act
    const result = await run(world, 'orders', { '--run_id': 'r1' });

    // Assess
    expect(result.done.ErrorMessage).toBeUndefined();
    expect(result.done.JobRunState).toBe('SUCCEEDED');
    const tableDir = world.workspace.dir('buckets', 'lake-curated', 'orders_clean');
    const columns = await withDuckDb((db) =>
      db.queryJson<{ column: string; bloom: boolean }>(
        `SELECT path_in_schema AS column, bloom_filter_offset IS NOT NULL AS bloom
         FROM parquet_metadata('${tableDir}/**/*.parquet') ORDER BY 1`,
      ),
    );
    expect(columns.map((c) => c.column)).toContain('customer');
    expect(columns.filter((c) => c.bloom)).toEqual([]);
  });

  it('a failing step ends FAILED with the engine message, leaves nothing visible and keeps the bookmark', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('orders', 'orders-broken');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20']);

    // Act
    const failed = await run(world, 'orders', { '--run_id': 'bad' });
    const curatedAfterFailure = await world.filesUnder('buckets', 'lake-curated');
    const partitionsAfterFailure = await world.catalog.getPartitions({
      DatabaseName: 'lake',
      TableName: 'orders_clean',
    });
    const jobFilesAfterFailure = await world.filesUnder('jobs', 'orders');
    world.register('orders', 'orders');
    await world.putRaw('b.csv', ['3,carol,7.00,2024-02-03']);
    const rerun = await run(world, 'orders', { '--run_id': 'good' });

    // Assess
    expect(failed.done.JobRunState).toBe('FAILED');
    expect(failed.done.ErrorMessage).toMatch(/^step broken \(steps\/02-broken\.sql\) failed: Conversion Error/);
    expect(failed.done.ErrorMessage).toContain("'alice'");
    expect(failed.stats).toBeUndefined();
    expect(curatedAfterFailure).toEqual([]);
    expect(partitionsAfterFailure.Partitions).toEqual([]);
    // Only the run record: no bookmark, no staging.
    expect(jobFilesAfterFailure).toEqual([`runs/${failed.id}.json`]);
    // The re-run reads the failed run's file again, plus the new one.
    expect(rerun.done.JobRunState).toBe('SUCCEEDED');
    expect(rerun.stats).toMatchObject({ sourceFiles: 2, rowsRead: 3 });
    const bookmark = JSON.parse(await readFile(path.join(world.workspace.home, 'jobs/orders/bookmark.json'), 'utf8'));
    expect(Object.keys(bookmark.files).sort()).toEqual([
      's3://lake-raw/raw/orders/a.csv',
      's3://lake-raw/raw/orders/b.csv',
    ]);
  });
});

describe('LocalGlueJobs: overwrite job', () => {
  it('replaces the table data on each run', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('totals', 'customer-totals');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20', '3,alice,5.25,2024-02-01']);

    // A staging folder left by a twin that stopped mid-run.
    const stale = path.join(world.workspace.home, 'jobs', 'totals', 'staging', `jr_${'a'.repeat(64)}`, 'out');
    await mkdir(stale, { recursive: true });
    await writeFile(path.join(stale, 'part.parquet'), 'partial');

    // Act
    const first = await run(world, 'totals');
    await world.putRaw('b.csv', ['4,carol,7.00,2024-02-03', '5,bob,0.50,2024-02-04']);
    const second = await run(world, 'totals');

    // Assess: alice 10.50+5.25, bob 20.00+0.50, carol 7.00; one file, from the second run only.
    expect(first.done.JobRunState).toBe('SUCCEEDED');
    expect(second.done.JobRunState).toBe('SUCCEEDED');
    expect(second.stats).toMatchObject({ sourceFiles: 2, rowsRead: 5 });
    expect(second.stats?.outputs).toEqual([
      { table: 'customer_totals', mode: 'overwrite', rowsWritten: 3, files: 1, partitions: 0 },
    ]);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'customer_totals');
    expect(await world.filesUnder('buckets', 'lake-curated', 'customer_totals')).toEqual([
      `part-${second.id}-0.parquet`,
    ]);
    expect(await world.filesUnder('jobs', 'totals', 'staging')).toEqual([]);
    expect(await readOutput(dir, 'customer, orders, total::VARCHAR AS total')).toEqual([
      { customer: 'alice', orders: '2', total: '15.75' },
      { customer: 'bob', orders: '2', total: '20.50' },
      { customer: 'carol', orders: '1', total: '7.00' },
    ]);
  });
});

describe.each(['table', 'view'] as const)('LocalGlueJobs: partition folders with steps as %s', (stepsAs) => {
  it('escapes partition values like Hive, writes NULL as its marker and registers the decoded values', async () => {
    // Prepare
    const world = await jobWorld({ runner: { stepsAs } });
    world.register('keyed', 'orders-by-customer');
    await world.putRaw('a.csv', [
      '1,a b/c,1.00,2024-01-01',
      '2,,2.00,2024-01-02',
      '3,ü=1%,3.00,2024-01-03',
      '4,a b/c,4.00,2024-01-04',
    ]);

    // Act
    const result = await run(world, 'keyed');

    // Assess: percent-encoding as Hive/Spark write it; ü is UTF-8 C3 BC.
    expect(result.done.JobRunState).toBe('SUCCEEDED');
    expect(result.stats?.outputs[0]).toMatchObject({ rowsWritten: 4, partitions: 3 });
    expect(await world.filesUnder('buckets', 'lake-curated', 'orders_by_customer')).toEqual([
      `customer=%C3%BC%3D1%25/part-${result.id}-0.parquet`,
      `customer=__HIVE_DEFAULT_PARTITION__/part-${result.id}-0.parquet`,
      `customer=a%20b%2Fc/part-${result.id}-0.parquet`,
    ]);
    const { Partitions } = await world.catalog.getPartitions({ DatabaseName: 'lake', TableName: 'orders_by_customer' });
    expect((Partitions ?? []).map((p) => p.Values?.[0]).sort()).toEqual([
      '__HIVE_DEFAULT_PARTITION__',
      'a b/c',
      'ü=1%',
    ]);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'orders_by_customer');
    expect(await readOutput(dir, 'order_id, customer')).toEqual([
      { order_id: '1', customer: 'a b/c' },
      { order_id: '2', customer: null },
      { order_id: '3', customer: 'ü=1%' },
      { order_id: '4', customer: 'a b/c' },
    ]);
  });
});

describe('LocalGlueJobs: steps are snapshots', () => {
  it.each([
    ['auto', 0],
    ['view', 2],
  ] as const)(
    'with steps as %s, a step read after its output table was written reports %i prior rows',
    async (stepsAs, prior) => {
      // Prepare: the first run, so orders_log starts empty and this run appends 2 rows.
      const world = await jobWorld({ runner: { stepsAs } });
      world.register('snap', 'snapshot');
      await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20']);

      // Act
      const result = await run(world, 'snap');

      // Assess: auto makes `prior` a table (it reads an output table), so it keeps the count from before the write;
      // forced views re-read orders_log after this run's 2 rows were staged (the hazard auto avoids).
      expect(result.done.JobRunState).toBe('SUCCEEDED');
      const dir = world.workspace.dir('buckets', 'lake-curated', 'prior_counts');
      expect(await readOutput(dir, 'prior_rows')).toEqual([{ prior_rows: String(prior) }]);
    },
  );
});

describe('LocalGlueJobs: other catalog tables', () => {
  it('gives steps the catalog tables they name, and never reads tables no step names', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('regions', 'orders-by-region');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20', '3,alice,5.25,2024-02-01']);
    const dims = world.workspace.dir('buckets', 'lake-raw', 'dims', 'customers');
    await mkdir(dims, { recursive: true });
    await writeFile(path.join(dims, 'customers.csv'), 'customer,region\nalice,north\nbob,south\n');
    const csvTable = (name: string, location: string, columns: string[], serde: string) => ({
      DatabaseName: 'lake',
      TableInput: {
        Name: name,
        Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
        StorageDescriptor: {
          Columns: columns.map((c) => ({ Name: c, Type: 'string' })),
          Location: location,
          SerdeInfo: { SerializationLibrary: serde },
        },
      },
    });
    const lazy = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';
    await world.catalog.createTable(
      csvTable('customers', 's3://lake-raw/dims/customers/', ['customer', 'region'], lazy),
    );
    // A table whose files cannot be read as declared: defining a view for it would fail.
    await world.catalog.createTable({
      DatabaseName: 'lake',
      TableInput: {
        Name: 'junk',
        StorageDescriptor: { Columns: [{ Name: 'x', Type: 'string' }], Location: 's3://lake-raw/raw/orders/' },
      },
    });

    // Act
    const result = await run(world, 'regions');

    // Assess: alice has 2 orders in the north, bob 1 in the south.
    expect(result.done.ErrorMessage).toBeUndefined();
    expect(result.done.JobRunState).toBe('SUCCEEDED');
    const dir = world.workspace.dir('buckets', 'lake-curated', 'orders_by_region');
    expect(await readOutput(dir, 'region, orders')).toEqual([
      { region: 'north', orders: '2' },
      { region: 'south', orders: '1' },
    ]);
  });
  it('never reads its own output table unless a step names it (another run may be replacing its files)', async () => {
    // Prepare: customer-totals overwrites customer_totals and no step reads it. Its folder holds a file no
    // Parquet reader can open, which is what a view over it sees when another run's commit moves the files away.
    const world = await jobWorld();
    world.register('totals', 'customer-totals');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,alice,2.00,2024-01-16']);
    const dir = world.workspace.dir('buckets', 'lake-curated', 'customer_totals');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'part-old-0.parquet'), 'not parquet');

    // Act
    const result = await run(world, 'totals');

    // Assess: the run never opened the file; its commit replaced it.
    expect(result.done.ErrorMessage).toBeUndefined();
    expect(result.done.JobRunState).toBe('SUCCEEDED');
    expect(await world.filesUnder('buckets', 'lake-curated', 'customer_totals')).not.toContain('part-old-0.parquet');
    expect(await readOutput(dir, 'customer, orders, total')).toEqual([
      { customer: 'alice', orders: '2', total: '12.50' },
    ]);
  });
});

describe('LocalGlueJobs: service behaviour', () => {
  it('enforces MaxConcurrentRuns with ConcurrentRunsExceededException', async () => {
    // Prepare
    const world = await jobWorld();
    world.register('one', 'customer-totals', { MaxConcurrentRuns: 1 });
    world.register('two', 'customer-totals', { MaxConcurrentRuns: 2 });
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);

    // Act
    const first = await world.jobs.startJobRun({ JobName: 'one' });
    const refused = world.jobs.startJobRun({ JobName: 'one' });
    await expect(refused).rejects.toMatchObject({ name: 'ConcurrentRunsExceededException' });
    const firstDone = await world.jobs.whenDone(first.JobRunId ?? '');
    const afterwards = await world.jobs.startJobRun({ JobName: 'one' });
    const pair = [await world.jobs.startJobRun({ JobName: 'two' }), await world.jobs.startJobRun({ JobName: 'two' })];

    // Assess
    expect(firstDone.JobRunState).toBe('SUCCEEDED');
    expect(afterwards.JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
    const states = await Promise.all(
      [afterwards, ...pair].map(async (r) => (await world.jobs.whenDone(r.JobRunId ?? '')).JobRunState),
    );
    expect(states).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('overwrites a partitioned table in place: old partitions go, the table and what was set on it stay', async () => {
    // Prepare: the jobs service's catalog looks for the table right after each partition delete, as a reader
    // (another run, an Athena query) could.
    const tableSeen: boolean[] = [];
    const world = await jobWorld({
      jobsCatalog: (catalog) => ({
        getTable: (input) => catalog.getTable(input),
        getTables: (input) => catalog.getTables(input),
        getPartitions: (input) => catalog.getPartitions(input),
        createTable: (input) => catalog.createTable(input),
        updateTable: (input) => catalog.updateTable(input),
        batchCreatePartition: (input) => catalog.batchCreatePartition(input),
        async batchDeletePartition(input) {
          const result = await catalog.batchDeletePartition(input);
          const { Table } = await catalog.getTable({ DatabaseName: 'lake', Name: input.TableName });
          tableSeen.push(Table !== undefined);
          return result;
        },
      }),
    });
    world.register('by-customer', 'orders-by-customer');
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20']);
    const first = await run(world, 'by-customer');
    const { Table } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders_by_customer' });
    await world.catalog.updateTable({
      DatabaseName: 'lake',
      TableInput: {
        Name: 'orders_by_customer',
        Description: 'orders, one partition per customer',
        StorageDescriptor: Table?.StorageDescriptor,
        PartitionKeys: Table?.PartitionKeys,
        Parameters: Table?.Parameters,
      },
    });
    await rm(path.join(world.workspace.dir('buckets', 'lake-raw', 'raw', 'orders'), 'a.csv'));
    await world.putRaw('b.csv', ['3,carol,7.00,2024-02-03']);

    // Act
    const second = await run(world, 'by-customer');

    // Assess: the second commit deleted alice's and bob's partitions in one call, with the table there throughout.
    expect([first.done.JobRunState, second.done.JobRunState]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(tableSeen).toEqual([true]);
    const after = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders_by_customer' });
    expect(after.Table?.Description).toBe('orders, one partition per customer');
    const { Partitions } = await world.catalog.getPartitions({ DatabaseName: 'lake', TableName: 'orders_by_customer' });
    expect((Partitions ?? []).map((p) => p.Values)).toEqual([['carol']]);
    expect(await world.filesUnder('buckets', 'lake-curated', 'orders_by_customer')).toEqual([
      `customer=carol/part-${second.id}-0.parquet`,
    ]);
  });

  it('ends a run that outlives its Timeout as TIMEOUT, with nothing visible', async () => {
    // Prepare: a Timeout of 0.0001 minutes (6 ms) is shorter than opening DuckDB alone.
    const world = await jobWorld();
    world.register('orders', 'orders', { Timeout: 0.0001 });
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);

    // Act
    const result = await run(world, 'orders', { '--run_id': 'slow' });

    // Assess
    expect(result.done.JobRunState).toBe('TIMEOUT');
    expect(result.done.ErrorMessage).toBe('Job run timed out after 0.0001 minute(s).');
    expect(await world.filesUnder('buckets', 'lake-curated')).toEqual([]);
    expect(await world.filesUnder('jobs', 'orders')).toEqual([`runs/${result.id}.json`]);
  });

  it('reports runs through getJobRun and getJobRuns (newest first, paged) and unknown names as EntityNotFound', async () => {
    // Prepare
    let tick = 0;
    const world = await jobWorld({ clock: () => new Date(NOW.getTime() + 60_000 * tick++) });
    world.register('totals', 'customer-totals', { MaxConcurrentRuns: 3 });
    await world.putRaw('a.csv', ['1,alice,10.50,2024-01-15']);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await run(world, 'totals')).id);

    // Act
    const one = await world.jobs.getJobRun({ JobName: 'totals', RunId: ids[1] });
    const page1 = await world.jobs.getJobRuns({ JobName: 'totals', MaxResults: 2 });
    const page2 = await world.jobs.getJobRuns({ JobName: 'totals', MaxResults: 2, NextToken: page1.NextToken });

    // Assess
    expect(one.JobRun).toMatchObject({ Id: ids[1], JobRunState: 'SUCCEEDED' });
    expect(page1.JobRuns?.map((r) => r.Id)).toEqual([ids[2], ids[1]]);
    expect(page2.JobRuns?.map((r) => r.Id)).toEqual([ids[0]]);
    expect(page2.NextToken).toBeUndefined();
    await expect(world.jobs.startJobRun({ JobName: 'nope' })).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
    await expect(world.jobs.getJobRun({ JobName: 'totals', RunId: `jr_${'0'.repeat(64)}` })).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });
});
