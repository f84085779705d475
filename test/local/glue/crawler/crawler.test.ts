import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../../functions/shared/sql-literal';
import { DuckDb } from '../../../../local/duckdb';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { buildTableScan } from '../../../../local/glue/catalog/table-scan';
import { type CrawlerDefinition, glueTableName, LocalCrawlers } from '../../../../local/glue/crawler/crawlers';
import { Workspace } from '../../../../local/workspace';

const FIXTURES = path.join(__dirname, '../../../fixtures/data');
const CONFIGURATION = JSON.stringify({
  Version: 1.0,
  CrawlerOutput: {
    Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
    Tables: { AddOrUpdateBehavior: 'MergeNewColumns' },
  },
});

async function setup(updateBehavior: 'LOG' | 'UPDATE_IN_DATABASE' = 'UPDATE_IN_DATABASE') {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-crawl-')));
  const catalog = new LocalGlueCatalog(workspace);
  const crawlers = new LocalCrawlers({ workspace, catalog });
  const definition: CrawlerDefinition = {
    Name: 'raw-crawler',
    DatabaseName: 'lake',
    Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
    SchemaChangePolicy: { UpdateBehavior: updateBehavior, DeleteBehavior: 'LOG' },
    Configuration: CONFIGURATION,
  };
  await crawlers.defineCrawler(definition);
  const put = async (key: string, content: string | Buffer) => {
    const file = path.join(workspace.dir('buckets', 'raw'), key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  const putFixture = async (key: string, fixture: string) => {
    const file = path.join(workspace.dir('buckets', 'raw'), key);
    await mkdir(path.dirname(file), { recursive: true });
    await copyFile(path.join(FIXTURES, fixture), file);
  };
  const crawl = async () => {
    await crawlers.startCrawler({ Name: 'raw-crawler' });
    await crawlers.whenIdle('raw-crawler');
    return {
      crawler: (await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler,
      report: await crawlers.getLastCrawlReport('raw-crawler'),
    };
  };
  const table = async (name: string) => (await catalog.getTable({ DatabaseName: 'lake', Name: name })).Table;
  const columns = (t: Glue.Table | undefined) =>
    (t?.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name}:${c.Type}`);
  return { workspace, catalog, crawlers, put, putFixture, crawl, table, columns, definition };
}

const TRANSACTIONS_HEADER =
  'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,is_refund,ts\n';

describe('LocalCrawlers', () => {
  it('catalogs datasets with Hive partitions and reports unreadable files with their keys', async () => {
    // Prepare
    const { put, putFixture, crawl, crawlers, catalog, table, columns } = await setup();
    await put(
      'raw/customer_transactions/year=2024/month=01/part-1.csv',
      `${TRANSACTIONS_HEADER}t1,c1,12.5,2024-01-05,s1,web,false,2024-01-05 10:00:00\nt2,c2,3,2024-01-06,s2,store,true,2024-01-06 11:30:00\n`,
    );
    await put(
      'raw/customer_transactions/year=2024/month=02/part-1.csv.gz',
      gzipSync(`${TRANSACTIONS_HEADER}t3,c1,7.25,2024-02-01,s1,web,false,2024-02-01 09:00:00\n`),
    );
    await putFixture('raw/events/e.jsonl', 'events.jsonl');
    await putFixture('raw/customer_transactions/year=2024/month=02/junk.csv', 'junk.csv');
    await putFixture('raw/customer_transactions/year=2024/month=02/empty.csv', 'empty.csv');
    await putFixture('raw/orders/broken.parquet', 'corrupt.parquet');
    await put('raw/customer_transactions/year=2024/month=02/_SUCCESS', '');

    // Act
    const { crawler, report } = await crawl();
    const transactions = await table('customer_transactions');
    const { Partitions = [] } = await catalog.getPartitions({
      DatabaseName: 'lake',
      TableName: 'customer_transactions',
    });
    const metrics = await crawlers.getCrawlerMetrics({ CrawlerNameList: ['raw-crawler'] });

    // Assess
    expect(crawler?.State).toBe('READY');
    expect(crawler?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(crawler?.LastCrawl?.StartTime).toBeInstanceOf(Date);
    expect(columns(transactions)).toEqual([
      'transaction_id:string',
      'customer_id:string',
      'transaction_amount:double',
      'transaction_date:date',
      'store_id:string',
      'channel:string',
      'is_refund:boolean',
      'ts:timestamp',
    ]);
    expect(transactions?.PartitionKeys).toEqual([
      { Name: 'year', Type: 'string' },
      { Name: 'month', Type: 'string' },
    ]);
    expect(transactions?.StorageDescriptor?.Location).toBe('s3://raw/raw/customer_transactions/');
    expect(transactions?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
    );
    expect(transactions?.Parameters).toMatchObject({
      classification: 'csv',
      'skip.header.line.count': '1',
      compressionType: 'gzip',
      UPDATED_BY_CRAWLER: 'raw-crawler',
    });
    expect(Partitions.map((p) => [p.Values, p.StorageDescriptor?.Location])).toEqual([
      [['2024', '01'], 's3://raw/raw/customer_transactions/year=2024/month=01/'],
      [['2024', '02'], 's3://raw/raw/customer_transactions/year=2024/month=02/'],
    ]);
    // InheritFromTable: partitions carry the table's columns
    expect(Partitions[1]?.StorageDescriptor?.Columns).toEqual(transactions?.StorageDescriptor?.Columns);
    expect(columns(await table('events'))).toEqual(['id:bigint', 'name:string', 'tags:array<string>', 'extra:boolean']);
    await expect(table('orders')).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    expect(report?.unreadableFiles.map((f) => [f.key, f.reason.split(':')[0]]).sort()).toEqual([
      ['raw/customer_transactions/year=2024/month=02/empty.csv', 'empty file'],
      ['raw/customer_transactions/year=2024/month=02/junk.csv', 'binary content, not text'],
      ['raw/orders/broken.parquet', 'corrupt Parquet'],
    ]);
    expect(report?.tablesCreated).toEqual(['customer_transactions', 'events']);
    expect(report?.filesRead).toBe(3);
    expect(metrics.CrawlerMetricsList?.[0]).toMatchObject({ TablesCreated: 2, TablesUpdated: 0 });
  });

  it('returns from startCrawler at once, reports RUNNING, and refuses a second start', async () => {
    const { put, crawlers } = await setup();
    await put('raw/sales/a.csv', 'id,amount\n1,2\n');

    await crawlers.startCrawler({ Name: 'raw-crawler' });
    const during = (await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler?.State;
    const second = crawlers.startCrawler({ Name: 'raw-crawler' });

    await expect(second).rejects.toMatchObject({ name: 'CrawlerRunningException' });
    expect(during).toBe('RUNNING');
    await crawlers.whenIdle('raw-crawler');
    expect((await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler?.State).toBe('READY');
    await expect(crawlers.startCrawler({ Name: 'nope' })).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('merges a new column and follows UPDATE_IN_DATABASE for a changed type, reporting both', async () => {
    // Prepare
    const { put, crawl, table, columns } = await setup('UPDATE_IN_DATABASE');
    await put('raw/sales/a.csv', 'id,amount\n1,2\n3,4\n');
    await crawl();
    await put('raw/sales/b.csv', 'id,amount,channel\n5,2.5,web\n');

    // Act
    const { report } = await crawl();

    // Assess
    expect(columns(await table('sales'))).toEqual(['id:bigint', 'amount:double', 'channel:string']);
    expect(report?.newColumns).toEqual([{ table: 'sales', column: 'channel', type: 'string' }]);
    expect(report?.schemaChanges).toEqual([
      { table: 'sales', column: 'amount', from: 'bigint', to: 'double', applied: true },
    ]);
    expect(report?.tablesUpdated).toEqual(['sales']);
  });

  it('keeps the old type under LOG but still merges new columns, and reports the change', async () => {
    const { put, crawl, table, columns } = await setup('LOG');
    await put('raw/sales/a.csv', 'id,amount\n1,2\n');
    await crawl();
    await put('raw/sales/b.csv', 'id,amount,channel\n5,2.5,web\n');

    const { report } = await crawl();

    expect(columns(await table('sales'))).toEqual(['id:bigint', 'amount:bigint', 'channel:string']);
    expect(report?.schemaChanges).toEqual([
      { table: 'sales', column: 'amount', from: 'bigint', to: 'double', applied: false },
    ]);
  });

  it('records the CSV dialect so a table scan reads the crawled table back (quotes, BOM, CRLF, ragged rows)', async () => {
    // Prepare
    const { workspace, putFixture, crawl, table } = await setup();
    await putFixture('raw/messy/messy.csv', 'messy.csv');
    await putFixture('raw/messy/quoted.csv', 'quoted.csv');
    await putFixture('raw/latin/latin1.csv', 'latin1.csv');

    // Act
    await crawl();
    const messy = await table('messy');
    const latin = await table('latin');
    const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
    try {
      const scan = await buildTableScan(db, workspace, { table: messy ?? { Name: 'missing' } });
      const rows = await db.queryJson(`SELECT id, name, amount, day FROM ${scan.sql} AS t ORDER BY id`);
      const latinScan = await buildTableScan(db, workspace, { table: latin ?? { Name: 'missing' } });
      const names = await db.queryJson(`SELECT name FROM ${latinScan.sql} AS t ORDER BY id`);

      // Assess
      expect(messy?.StorageDescriptor?.SerdeInfo).toEqual({
        SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
        Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '"' },
      });
      // `amount` holds "not-a-number" in one file, so the crawl keeps it as text; the surplus field is no column
      expect((messy?.StorageDescriptor?.Columns ?? []).map((c) => c.Name)).toEqual(['id', 'name', 'amount', 'day']);
      expect(rows).toEqual([
        { id: '1', name: 'Smith, Jo', amount: '12.50', day: '2024-01-05' },
        { id: '2', name: 'multi\r\nline', amount: '7', day: '2024-01-06' },
        { id: '3', name: 'short', amount: null, day: null },
        { id: '4', name: 'extra', amount: '1.25', day: '2024-01-07' },
        { id: '5', name: '', amount: 'not-a-number', day: '2024-01-08' },
        { id: '10', name: 'say "hi"', amount: '3.5', day: '2024-02-01' },
      ]);
      expect(latin?.StorageDescriptor?.SerdeInfo?.Parameters?.['serialization.encoding']).toBe('ISO-8859-1');
      expect(names).toEqual([{ name: 'café' }, { name: 'naïve' }]);
    } finally {
      db.close();
    }
  });

  it('maps Parquet types (decimal, timestamp, int) and keeps non-ISO dates as strings', async () => {
    // Prepare
    const { workspace, put, crawl, table, columns } = await setup();
    const dir = path.join(workspace.dir('buckets', 'raw'), 'raw', 'typed');
    await mkdir(dir, { recursive: true });
    const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
    await db.run(
      `COPY (SELECT 1::INTEGER AS n, 12.34::DECIMAL(10,2) AS price, TIMESTAMP '2024-01-01 10:00:00' AS at, 'x' AS s)
       TO ${sqlString(path.join(dir, 'p.parquet'))} (FORMAT parquet)`,
    );
    db.close();
    await put('raw/dates/d.csv', 'id,day\n1,05/01/2024\n2,06/01/2024\n');

    // Act
    await crawl();

    // Assess
    expect(columns(await table('typed'))).toEqual(['n:int', 'price:decimal(10,2)', 'at:timestamp', 's:string']);
    expect((await table('typed'))?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(columns(await table('dates'))).toEqual(['id:bigint', 'day:string']);
  });

  it('copes with a 1 MB single-line file and refuses an absurdly wide line', async () => {
    const { workspace, put, crawl, table, columns } = await setup();
    await put('raw/longline/a.csv', `id,blob\n1,${'x'.repeat(1024 * 1024)}\n2,short\n`);
    await put('raw/wide/w.csv', Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(','));

    const { report, crawler } = await crawl();
    const longline = await table('longline');
    const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
    const scan = await buildTableScan(db, workspace, { table: longline ?? { Name: 'missing' } });
    const lengths = await db.queryJson(`SELECT id, length(blob) AS n FROM ${scan.sql} AS t ORDER BY id`);
    db.close();

    expect(crawler?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(columns(longline)).toEqual(['id:bigint', 'blob:string']);
    expect(lengths).toEqual([
      { id: '1', n: String(1024 * 1024) },
      { id: '2', n: '5' },
    ]);
    expect(report?.unreadableFiles.map((f) => [f.key, f.reason])).toEqual([
      ['raw/wide/w.csv', 'more than 2000 columns in the first line'],
    ]);
  });

  it('names tables as Glue does and survives a restart of the service', async () => {
    const { workspace, catalog, put, crawl } = await setup();
    await put('raw/Customer-Transactions 2024/a.csv', 'id\n1\n');
    await crawl();

    const { TableList = [] } = await catalog.getTables({ DatabaseName: 'lake' });
    const reopened = new LocalCrawlers({ workspace, catalog });
    const after = (await reopened.getCrawler({ Name: 'raw-crawler' })).Crawler;

    expect(TableList.map((t) => t.Name)).toEqual(['customer_transactions_2024']);
    expect(glueTableName('Événements.v2')).toBe('_v_nements_v2');
    expect(after?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(after?.State).toBe('READY');
  });

  it('refuses an invalid definition with InvalidInputException', async () => {
    const { crawlers, definition } = await setup();
    await expect(crawlers.defineCrawler({ ...definition, DatabaseName: 'bad name!' })).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
    await expect(
      crawlers.defineCrawler({ ...definition, Targets: { S3Targets: [{ Path: 'https://example.com/' }] } }),
    ).rejects.toMatchObject({ name: 'InvalidS3UriError' });
  });

  it('ends FAILED with the error message when the catalog write fails, and can start again', async () => {
    // Prepare
    const { workspace, put } = await setup();
    class BrokenCatalog extends LocalGlueCatalog {
      override async createTable(): Promise<Glue.CreateTableResponse> {
        throw new Error('disk full');
      }
    }
    const crawlers = new LocalCrawlers({ workspace, catalog: new BrokenCatalog(workspace) });
    await put('raw/sales/a.csv', 'id\n1\n');

    // Act
    await crawlers.startCrawler({ Name: 'raw-crawler' });
    await crawlers.whenIdle('raw-crawler');
    const after = (await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler;

    // Assess
    expect(after?.State).toBe('READY');
    expect(after?.LastCrawl).toMatchObject({ Status: 'FAILED', ErrorMessage: 'disk full' });
    await expect(crawlers.startCrawler({ Name: 'raw-crawler' })).resolves.toEqual({});
    await crawlers.whenIdle('raw-crawler');
  });

  it('stops on request: STOPPING, then CANCELLED without touching the catalog', async () => {
    const { put, crawlers, catalog } = await setup();
    for (let i = 0; i < 5; i++) await put(`raw/sales/${i}.csv`, 'id\n1\n');
    await catalog.ensureDatabase('lake');

    await crawlers.startCrawler({ Name: 'raw-crawler' });
    await crawlers.stopCrawler({ Name: 'raw-crawler' });
    const stopping = (await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler?.State;
    await crawlers.whenIdle('raw-crawler');
    const after = (await crawlers.getCrawler({ Name: 'raw-crawler' })).Crawler;

    expect(stopping).toBe('STOPPING');
    expect(after?.State).toBe('READY');
    expect(after?.LastCrawl?.Status).toBe('CANCELLED');
    expect((await catalog.getTables({ DatabaseName: 'lake' })).TableList).toEqual([]);
    await expect(crawlers.stopCrawler({ Name: 'raw-crawler' })).rejects.toMatchObject({
      name: 'CrawlerNotRunningException',
    });
  });

  it('names plain sub-folders partition_N and reports a file whose folder layout does not fit', async () => {
    const { put, crawl, catalog, table } = await setup();
    await put('raw/logs/2024/01/a.csv', 'id\n1\n');
    await put('raw/logs/2024/02/b.csv', 'id\n2\n');
    await put('raw/logs/stray.csv', 'id\n3\n');

    const { report } = await crawl();
    const logs = await table('logs');
    const { Partitions = [] } = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'logs' });

    expect(logs?.PartitionKeys?.map((k) => k.Name)).toEqual(['partition_0', 'partition_1']);
    expect(Partitions.map((p) => p.Values)).toEqual([
      ['2024', '01'],
      ['2024', '02'],
    ]);
    expect(report?.unreadableFiles.map((f) => f.key)).toEqual(['raw/logs/stray.csv']);
    expect(report?.unreadableFiles[0]?.reason).toMatch(/folder layout/);
  });

  it('applies DeleteBehavior to partitions and tables whose data is gone', async () => {
    // Prepare
    const { workspace, put, crawl, crawlers, catalog, definition } = await setup();
    await crawlers.defineCrawler({
      ...definition,
      SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DELETE_FROM_DATABASE' },
    });
    await put('raw/sales/day=1/a.csv', 'id\n1\n');
    await put('raw/sales/day=2/a.csv', 'id\n2\n');
    await put('raw/old/a.csv', 'id\n3\n');
    await crawl();
    const bucket = workspace.dir('buckets', 'raw');
    await rm(path.join(bucket, 'raw', 'sales', 'day=1'), { recursive: true });
    await rm(path.join(bucket, 'raw', 'old'), { recursive: true });

    // Act
    const { report } = await crawl();

    // Assess
    const { Partitions = [] } = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales' });
    expect(Partitions.map((p) => p.Values)).toEqual([['2']]);
    expect(report?.tablesDeleted).toEqual(['old']);
    expect(report?.tablesUpdated).toEqual(['sales']);
    await expect(catalog.getTable({ DatabaseName: 'lake', Name: 'old' })).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });

  it('carries a merged column into every existing partition (InheritFromTable)', async () => {
    const { put, crawl, catalog, table } = await setup();
    await put('raw/sales/day=1/a.csv', 'id\n1\n');
    await crawl();
    await put('raw/sales/day=2/b.csv', 'id,channel\n2,web\n');

    await crawl();

    const columns = (await table('sales'))?.StorageDescriptor?.Columns;
    const { Partitions = [] } = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales' });
    expect(columns?.map((c) => c.Name)).toEqual(['id', 'channel']);
    expect(Partitions.map((p) => [p.Values?.[0], p.StorageDescriptor?.Columns?.map((c) => c.Name)])).toEqual([
      ['1', ['id', 'channel']],
      ['2', ['id', 'channel']],
    ]);
  });
});
