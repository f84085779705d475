import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datasetResources } from '../../../../infra/dataset-resources.cjs';
import { namesFor } from '../../../../infra/names.cjs';
import { datasetNamed } from '../../../../infra/registry.cjs';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { type CrawlerDefinition, LocalCrawlers } from '../../../../local/glue/crawler/crawlers';
import { Workspace } from '../../../../local/workspace';

/** The deployed crawler's Properties for the reference dataset, as infra/dataset-resources.cjs generates them. */
async function deployedCrawler(): Promise<Record<string, unknown>> {
  const params = { glueWorkerType: 'G.1X', glueNumberOfWorkers: 2, glueJobTimeoutMinutes: 60 };
  return { ...datasetResources(namesFor('test'), datasetNamed('customer_transactions'), params).crawler };
}

async function setup(definition: Omit<CrawlerDefinition, 'Name' | 'DatabaseName'>) {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-crawl-grouping-')));
  const catalog = new LocalGlueCatalog(workspace);
  const crawlers = new LocalCrawlers({ workspace, catalog });
  await crawlers.createCrawler({ Name: 'raw-crawler', DatabaseName: 'lake', ...definition });
  const put = async (key: string, content: string) => {
    const file = path.join(workspace.dir('buckets', 'raw'), key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  const crawl = async () => {
    await crawlers.startCrawler({ Name: 'raw-crawler' });
    await crawlers.whenIdle('raw-crawler');
    return crawlers.getLastCrawlReport('raw-crawler');
  };
  const tables = async () => (await catalog.getTables({ DatabaseName: 'lake' })).TableList ?? [];
  const partitions = async (table: string) =>
    ((await catalog.getPartitions({ DatabaseName: 'lake', TableName: table })).Partitions ?? []).map((p) => p.Values);
  return { crawlers, put, crawl, tables, partitions };
}

const grouping = (value: Record<string, unknown>) => JSON.stringify({ Version: 1.0, Grouping: value });

describe('LocalCrawlers Configuration.Grouping', () => {
  it('honours the deployed crawler (infra/dataset-resources.cjs): one table at level 3, folders under it are partitions', async () => {
    // Prepare
    const deployed = await deployedCrawler();
    const { Targets, SchemaChangePolicy, RecrawlPolicy, Configuration } = deployed as CrawlerDefinition;
    const { put, crawl, tables, partitions } = await setup({
      Targets: { S3Targets: [{ ...Targets?.S3Targets?.[0], Path: 's3://raw/raw/customer_transactions/' }] },
      SchemaChangePolicy,
      RecrawlPolicy,
      Configuration,
    });
    await put('raw/customer_transactions/2026/11/a.csv', 'id,amount\n1,2.5\n');
    await put('raw/customer_transactions/2026/12/b.csv', 'id,amount\n2,3.5\n');

    // Act
    const report = await crawl();

    // Assess
    expect(report?.status).toBe('SUCCEEDED');
    const [table, ...others] = await tables();
    expect(others).toEqual([]);
    expect(table?.Name).toBe('customer_transactions');
    expect(table?.StorageDescriptor?.Location).toBe('s3://raw/raw/customer_transactions/');
    expect(table?.PartitionKeys?.map((k) => k.Name)).toEqual(['partition_0', 'partition_1']);
    expect(await partitions('customer_transactions')).toEqual([
      ['2026', '11'],
      ['2026', '12'],
    ]);
  });

  it('makes tables at TableLevelConfiguration and reports a file that lies above it', async () => {
    // Prepare
    const { put, crawl, tables, partitions } = await setup({
      Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
      Configuration: grouping({ TableLevelConfiguration: 2 }),
    });
    await put('raw/sales/a.csv', 'id,amount\n1,2.5\n');
    await put('raw/orders/b.csv', 'id,amount\n2,3.5\n');
    const deeper = await setup({
      Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
      Configuration: grouping({ TableLevelConfiguration: 3 }),
    });
    await deeper.put('raw/top.csv', 'id\n1\n');
    await deeper.put('raw/sales/year=2026/a.csv', 'id\n2\n');

    // Act
    await crawl();
    const deeperReport = await deeper.crawl();

    // Assess
    expect((await tables()).map((t) => t.Name)).toEqual(['raw']);
    expect(await partitions('raw')).toEqual([['orders'], ['sales']]);
    expect((await deeper.tables()).map((t) => [t.Name, t.PartitionKeys?.map((k) => k.Name)])).toEqual([
      ['sales', ['year']],
    ]);
    expect(deeperReport?.unreadableFiles).toEqual([
      {
        uri: 's3://raw/raw/top.csv',
        bucket: 'raw',
        key: 'raw/top.csv',
        reason: 'the file lies above the table level 3',
      },
    ]);
  });

  it('combines compatible files under an include path into one table (CombineCompatibleSchemas)', async () => {
    // Prepare
    const combined = await setup({
      Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
      Configuration: grouping({ TableGroupingPolicy: 'CombineCompatibleSchemas' }),
    });
    await combined.put('raw/sales/a.csv', 'id,amount\n1,2.5\n');
    await combined.put('raw/orders/b.csv', 'id,qty\n2,3\n');
    const mixed = await setup({
      Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
      Configuration: grouping({ TableGroupingPolicy: 'CombineCompatibleSchemas' }),
    });
    await mixed.put('raw/sales/a.csv', 'id,amount\n1,2.5\n');
    await mixed.put('raw/orders/b.json', '{"id": 2, "qty": 3}\n');

    // Act
    await combined.crawl();
    await mixed.crawl();

    // Assess
    const [table, ...others] = await combined.tables();
    expect(others).toEqual([]);
    expect(table?.Name).toBe('raw');
    expect(table?.StorageDescriptor?.Columns?.map((c) => `${c.Name}:${c.Type}`)).toEqual([
      'id:bigint',
      'qty:bigint',
      'amount:double',
    ]);
    expect(await combined.partitions('raw')).toEqual([['orders'], ['sales']]);
    expect((await mixed.tables()).map((t) => t.Name)).toEqual(['orders', 'sales']);
  });

  it.each([
    ['an unknown grouping policy', grouping({ TableGroupingPolicy: 'CombineEverything' })],
    ['a table level of 0', grouping({ TableLevelConfiguration: 0 })],
    ['a fractional table level', grouping({ TableLevelConfiguration: 2.5 })],
    ['a table level given as text', grouping({ TableLevelConfiguration: '3' })],
    ['a table level above the S3 target', grouping({ TableLevelConfiguration: 1 })],
    ['a grouping option it does not know', grouping({ TableThreshold: 5 })],
  ])('refuses %s with InvalidInputException', async (_case, configuration) => {
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-crawl-grouping-')));
    const crawlers = new LocalCrawlers({ workspace, catalog: new LocalGlueCatalog(workspace) });

    await expect(
      crawlers.createCrawler({
        Name: 'raw-crawler',
        DatabaseName: 'lake',
        Targets: { S3Targets: [{ Path: 's3://raw/raw/' }] },
        Configuration: configuration,
      }),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
  });
});
