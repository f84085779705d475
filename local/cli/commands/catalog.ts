import { Command } from 'commander';
import { hasErrorName } from '../../../functions/shared/errors';
import { type Act, type CommandContext, EXIT, type ExitCode, UsageError } from '../cli-io';
import { openTwin } from '../twin-session';

export const catalogCommand = (act: Act) =>
  new Command('catalog')
    .summary('tables in the catalog, or one table')
    .description("The catalog's tables, or one table's columns, partition keys, SerDe and partitions.")
    .argument('[table]', 'the table to describe')
    .option('--database <db>', 'the Glue database (default: the dataset one)')
    .action(act(catalog));

async function catalog(
  { io, home }: CommandContext,
  tableName: string | undefined,
  options: { database?: string },
): Promise<ExitCode> {
  const { twin } = await openTwin(home, io);
  const database = options.database ?? twin.plan.database;
  if (tableName === undefined) {
    const tables = (await twin.catalog.getTables({ DatabaseName: database })).TableList ?? [];
    io.result(tables);
    if (tables.length === 0) io.say(`no tables in ${database} yet (run: lakepipe run)`);
    for (const t of tables) {
      const cols = t.StorageDescriptor?.Columns?.length ?? 0;
      const parts = t.PartitionKeys?.map((k) => k.Name).join(', ');
      io.say(
        `${database}.${t.Name}  ${t.Parameters?.classification ?? ''}  ${cols} columns${parts ? `, partitioned by ${parts}` : ''}  ${t.StorageDescriptor?.Location ?? ''}`,
      );
    }
    return EXIT.ok;
  }
  const table = await twin.catalog.getTable({ DatabaseName: database, Name: tableName }).catch((error: unknown) => {
    if (hasErrorName(error, 'EntityNotFoundException')) throw new UsageError(`no table ${database}.${tableName}`);
    throw error;
  });
  const partitions =
    (await twin.catalog.getPartitions({ DatabaseName: database, TableName: tableName })).Partitions ?? [];
  io.result({ ...table.Table, partitions });
  const t = table.Table;
  io.say(
    `${database}.${t?.Name}  (${t?.Parameters?.classification ?? 'unknown'})  ${t?.StorageDescriptor?.Location ?? ''}`,
  );
  for (const c of t?.StorageDescriptor?.Columns ?? []) io.say(`  ${c.Name?.padEnd(28)} ${c.Type}`);
  for (const k of t?.PartitionKeys ?? []) io.say(`  ${k.Name?.padEnd(28)} ${k.Type}  (partition key)`);
  io.say(`  serde: ${t?.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? '-'}`);
  io.say(`  partitions: ${partitions.length}`);
  for (const p of partitions.slice(0, 20)) io.say(`    ${p.Values?.join('/')}  ${p.StorageDescriptor?.Location ?? ''}`);
  if (partitions.length > 20) io.say(`    … ${partitions.length - 20} more`);
  return EXIT.ok;
}
