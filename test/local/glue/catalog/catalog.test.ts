import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PartitionInput } from '@aws-sdk/client-glue';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { parsePartitionExpression } from '../../../../local/glue/catalog/partition-expression';
import { Workspace } from '../../../../local/workspace';

async function openCatalog() {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-catalog-')));
  return { workspace, catalog: new LocalGlueCatalog(workspace) };
}

const tableInput = {
  Name: 'Sales',
  StorageDescriptor: {
    Columns: [
      { Name: 'id', Type: 'bigint' },
      { Name: 'amount', Type: 'decimal(10,2)' },
    ],
    Location: 's3://raw/sales/',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' },
  },
  PartitionKeys: [
    { Name: 'year', Type: 'string' },
    { Name: 'month', Type: 'string' },
  ],
  Parameters: { classification: 'csv' },
};

/** A catalog with database `lake` and the partitioned table `sales`, holding the given partitions. */
async function openSalesTable(partitions: PartitionInput[] = []) {
  const { catalog } = await openCatalog();
  await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
  await catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput });
  if (partitions.length > 0) {
    await catalog.batchCreatePartition({ DatabaseName: 'lake', TableName: 'sales', PartitionInputList: partitions });
  }
  return catalog;
}

describe('LocalGlueCatalog', () => {
  it('creates, reads, updates and deletes a table in Glue shapes, lowercasing names, persisted as JSON', async () => {
    // Prepare
    const { workspace, catalog } = await openCatalog();
    await catalog.createDatabase({ DatabaseInput: { Name: 'Lake' } });

    // Act
    await catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput });
    const created = (await catalog.getTable({ DatabaseName: 'LAKE', Name: 'sales' })).Table;
    await catalog.updateTable({
      DatabaseName: 'lake',
      TableInput: { ...tableInput, Parameters: { classification: 'csv', note: 'x' } },
    });
    const updated = (await catalog.getTable({ DatabaseName: 'lake', Name: 'sales' })).Table;
    const onDisk = JSON.parse(await readFile(workspace.dir('catalog', 'lake', 'tables', 'sales.json'), 'utf8'));

    // Assess
    expect(created?.Name).toBe('sales');
    expect(created?.DatabaseName).toBe('lake');
    expect(created?.CreateTime).toBeInstanceOf(Date);
    expect(created?.StorageDescriptor?.Columns?.[1]).toEqual({ Name: 'amount', Type: 'decimal(10,2)' });
    expect(updated?.Parameters).toEqual({ classification: 'csv', note: 'x' });
    expect(updated?.VersionId).toBe('1');
    expect(updated?.CreateTime?.getTime()).toBe(created?.CreateTime?.getTime());
    expect(onDisk.Parameters.note).toBe('x');

    await catalog.deleteTable({ DatabaseName: 'lake', Name: 'sales' });
    await expect(catalog.getTable({ DatabaseName: 'lake', Name: 'sales' })).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });

  it('uses Glue error names', async () => {
    const { catalog } = await openCatalog();
    await expect(catalog.getDatabase({ Name: 'nope' })).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    await expect(catalog.createDatabase({ DatabaseInput: { Name: 'lake' } })).rejects.toMatchObject({
      name: 'AlreadyExistsException',
    });
    await catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput });
    await expect(catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput })).rejects.toMatchObject({
      name: 'AlreadyExistsException',
    });
    await expect(catalog.getTable({ DatabaseName: 'lake', Name: '../etc' })).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
  });

  it('creates partitions in batches, reports duplicates per partition, and filters with an expression', async () => {
    // Prepare
    const { catalog } = await openCatalog();
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    await catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput });
    const part = (year: string, month: string) => ({
      Values: [year, month],
      StorageDescriptor: { Location: `s3://raw/sales/year=${year}/month=${month}/` },
    });

    // Act
    const first = await catalog.batchCreatePartition({
      DatabaseName: 'lake',
      TableName: 'sales',
      PartitionInputList: [part('2023', '12'), part('2024', '01'), part('2024', '02')],
    });
    const second = await catalog.batchCreatePartition({
      DatabaseName: 'lake',
      TableName: 'sales',
      PartitionInputList: [part('2024', '01'), part('2024', '03'), { Values: ['2024'] }],
    });
    const all = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales' });
    const filtered = await catalog.getPartitions({
      DatabaseName: 'lake',
      TableName: 'sales',
      Expression: "year = '2024' AND month >= 2",
    });
    const paged = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales', MaxResults: 3 });

    // Assess
    expect(first.Errors).toBeUndefined();
    expect(second.Errors?.map((e) => e.ErrorDetail?.ErrorCode)).toEqual([
      'AlreadyExistsException',
      'InvalidInputException',
    ]);
    expect(all.Partitions?.map((p) => p.Values?.join('-'))).toEqual(['2023-12', '2024-01', '2024-02', '2024-03']);
    expect(filtered.Partitions?.map((p) => p.Values?.join('-'))).toEqual(['2024-02', '2024-03']);
    expect(paged.Partitions).toHaveLength(3);
    expect(paged.NextToken).toBeDefined();
    const rest = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales', NextToken: paged.NextToken });
    expect(rest.Partitions?.map((p) => p.Values?.join('-'))).toEqual(['2024-03']);
  });

  it('updates partitions in a batch and reports the missing ones', async () => {
    const catalog = await openSalesTable([
      { Values: ['2024', '01'], StorageDescriptor: { Location: 's3://raw/old/' } },
    ]);

    const result = await catalog.batchUpdatePartition({
      DatabaseName: 'lake',
      TableName: 'sales',
      Entries: [
        { PartitionValueList: ['2024', '01'], PartitionInput: { StorageDescriptor: { Location: 's3://raw/new/' } } },
        { PartitionValueList: ['2024', '09'], PartitionInput: { StorageDescriptor: { Location: 's3://raw/x/' } } },
      ],
    });

    const { Partition } = await catalog.getPartition({
      DatabaseName: 'lake',
      TableName: 'sales',
      PartitionValues: ['2024', '01'],
    });
    expect(Partition?.StorageDescriptor?.Location).toBe('s3://raw/new/');
    expect(Partition?.Values).toEqual(['2024', '01']);
    expect(result.Errors?.map((e) => [e.PartitionValueList, e.ErrorDetail?.ErrorCode])).toEqual([
      [['2024', '09'], 'EntityNotFoundException'],
    ]);
  });

  it('deletes partitions in a batch of at most 25, reporting the missing ones and keeping the rest', async () => {
    const catalog = await openSalesTable([
      { Values: ['2024', '01'] },
      { Values: ['2024', '02'] },
      { Values: ['2024', '03'] },
    ]);

    const result = await catalog.batchDeletePartition({
      DatabaseName: 'lake',
      TableName: 'sales',
      PartitionsToDelete: [{ Values: ['2024', '01'] }, { Values: ['2024', '03'] }, { Values: ['2024', '09'] }],
    });

    const { Partitions } = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales' });
    expect((Partitions ?? []).map((p) => p.Values)).toEqual([['2024', '02']]);
    expect(result.Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([
      [['2024', '09'], 'EntityNotFoundException'],
    ]);
    await expect(
      catalog.batchDeletePartition({
        DatabaseName: 'lake',
        TableName: 'sales',
        PartitionsToDelete: Array.from({ length: 26 }, (_, i) => ({ Values: ['2025', String(i)] })),
      }),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('keeps every partition when batches race on one table', async () => {
    const { catalog } = await openCatalog();
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    await catalog.createTable({ DatabaseName: 'lake', TableInput: tableInput });

    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        catalog.batchCreatePartition({
          DatabaseName: 'lake',
          TableName: 'sales',
          PartitionInputList: [{ Values: ['2024', String(i + 1).padStart(2, '0')] }],
        }),
      ),
    );

    const { Partitions } = await catalog.getPartitions({ DatabaseName: 'lake', TableName: 'sales' });
    expect(Partitions).toHaveLength(12);
  });

  it('lists tables with a name pattern', async () => {
    const { catalog } = await openCatalog();
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    for (const name of ['sales', 'sales_daily', 'customers']) {
      await catalog.createTable({ DatabaseName: 'lake', TableInput: { ...tableInput, Name: name } });
    }
    const { TableList } = await catalog.getTables({ DatabaseName: 'lake', Expression: 'sales*' });
    expect(TableList?.map((t) => t.Name)).toEqual(['sales', 'sales_daily']);
  });
});

describe('parsePartitionExpression', () => {
  const keys = ['year', 'month'];
  it.each([
    ["year = '2024'", ['2024', '01'], true],
    ["year = '2024'", ['2023', '01'], false],
    ["year = '2024' and (month = '01' or month = '03')", ['2024', '03'], true],
    ["month in ('01', '02')", ['2024', '03'], false],
    ['month < 10', ['2024', '9'], true], // numeric, not string, comparison: '9' < '10'
    ["year <> '2024'", ['2025', '01'], true],
  ])('%s on %j -> %s', (expression, values, expected) => {
    expect(parsePartitionExpression(expression, keys)(values)).toBe(expected);
  });

  it('refuses what it does not support, with InvalidInputException', () => {
    expect(() => parsePartitionExpression('day = 1', keys)).toThrow(
      expect.objectContaining({ name: 'InvalidInputException' }),
    );
    expect(() => parsePartitionExpression("year LIKE '20%'", keys)).toThrow(
      expect.objectContaining({ name: 'InvalidInputException' }),
    );
  });
});
