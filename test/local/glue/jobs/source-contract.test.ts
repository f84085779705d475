// The `--source_contract` job argument: an optional column the raw table lacks reads as NULL of its declared
// type, and a raw partition key passes through to curated tables only when the dataset declares it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { withDuckDb } from '../../../../local/duckdb';
import { sourceContractOf, withOptionalColumns } from '../../../../local/glue/jobs/source-contract';
import {
  changeOrdersTable,
  HEADER,
  type JobWorld,
  jobWorld,
  ORDERS_ARGS,
  RAW_LOCATION,
  readOutput,
  runJob,
} from './job-world';

const QUOTE_CONTRACT = JSON.stringify({ optional: [], partitionKeys: [], csv: { quote: "'" } });

const TABLE: Glue.Table = {
  Name: 'orders',
  StorageDescriptor: { Columns: [{ Name: 'order_id', Type: 'bigint' }] },
  PartitionKeys: [{ Name: 'Region', Type: 'string' }],
};

/** The orders table partitioned by the crawler's `partition_0` (a plain folder) and a Hive `region=` folder. */
async function partitionedOrders(world: JobWorld): Promise<void> {
  await changeOrdersTable(world, (table) => ({
    ...table,
    PartitionKeys: [
      { Name: 'partition_0', Type: 'string' },
      { Name: 'region', Type: 'string' },
    ],
  }));
  const sd = (await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders' })).Table?.StorageDescriptor ?? {};
  const folder = world.workspace.dir('buckets', 'lake-raw', 'raw', 'orders', '2024', 'region=eu');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.csv'), `${HEADER}\n1,alice,10.50,2024-01-15\n`);
  await world.catalog.batchCreatePartition({
    DatabaseName: 'lake',
    TableName: 'orders',
    PartitionInputList: [
      { Values: ['2024', 'eu'], StorageDescriptor: { ...sd, Location: `${RAW_LOCATION}2024/region=eu/` } },
    ],
  });
}

describe('the source contract', () => {
  it('adds each optional column the table lacks as a NULL of its declared type', async () => {
    // Prepare
    const contract = sourceContractOf({
      '--source_contract': JSON.stringify({
        optional: [
          { name: 'discount', type: 'decimal(10,2)' },
          { name: 'order_id', type: 'string' },
          { name: 'region', type: 'string' },
          { name: 'shipped_on', type: 'date' },
        ],
      }),
    });
    // Act
    const sql = withOptionalColumns('(SELECT 1 AS order_id, 2 AS "Region")', TABLE, contract);
    const rows = await withDuckDb((db) =>
      db.queryJson(`SELECT typeof(discount) AS d, typeof(shipped_on) AS s, discount, * EXCLUDE (discount) FROM ${sql}`),
    );
    // Assess: columns the table has (any case) are left as they are
    expect(rows).toEqual([{ d: 'DECIMAL(10,2)', s: 'DATE', discount: null, order_id: 1, Region: 2, shipped_on: null }]);
  });

  it('refuses a malformed argument with the field at fault', () => {
    expect(() => sourceContractOf({ '--source_contract': '{"optional":[{"name":"x","type":"money"}]}' })).toThrow(
      'job argument --source_contract: optional.0.type: unsupported Glue type',
    );
    expect(() => sourceContractOf({ '--source_contract': '{' })).toThrow('job argument --source_contract is not JSON');
    expect(sourceContractOf({})).toBeUndefined();
  });

  it('passes through only the partition keys the dataset declares', async () => {
    // Prepare
    const world = await jobWorld();
    await partitionedOrders(world);
    world.register('pass', 'pass-through');
    // Act
    const declared = await runJob(world, 'pass', {
      '--source_contract': JSON.stringify({ optional: [], partitionKeys: ['region'] }),
    });
    // Assess
    expect(declared.done.JobRunState).toBe('SUCCEEDED');
    expect(declared.stats?.passThrough).toEqual(['region']);
  });

  it('without a contract, passes every partition key through as before', async () => {
    // Prepare
    const world = await jobWorld();
    await partitionedOrders(world);
    world.register('pass', 'pass-through');
    // Act
    const run = await runJob(world, 'pass');
    // Assess
    expect(run.done.JobRunState).toBe('SUCCEEDED');
    expect(run.stats?.passThrough).toEqual(['partition_0', 'region']);
  });

  it("reads CSV with the dataset's declared quote, doubled to escape it, in well-formed and malformed rows", async () => {
    // Prepare
    const world = await jobWorld();
    world.register('orders', 'orders', { DefaultArguments: { ...ORDERS_ARGS, '--source_contract': QUOTE_CONTRACT } });
    await world.putRaw('q.csv', [
      "1,'alice, jr',10.50,2024-01-15",
      "2,'bob ''the'' builder',20.00,2024-01-20",
      // One field too many: a malformed row, whose fields are still split with the declared quote.
      "3,'carol, x',5.25,2024-02-01,extra",
    ]);
    // Act
    const run = await runJob(world, 'orders', { '--run_id': 'r1' });
    // Assess
    expect(run.done.JobRunState).toBe('SUCCEEDED');
    const dir = world.workspace.dir('buckets', 'lake-curated', 'orders_clean');
    expect(await readOutput(dir, 'order_id, customer')).toEqual([
      { order_id: '1', customer: 'alice, jr' },
      { order_id: '2', customer: "bob 'the' builder" },
      { order_id: '3', customer: 'carol, x' },
    ]);
  });
});
