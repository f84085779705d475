import { parseArgs } from 'node:util';
import type * as Athena from '@aws-sdk/client-athena';
import type { AthenaPort } from '../../../functions/shared/ports';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../cli-io';
import { USAGE } from '../usage';
import { openTwin } from './run';

export async function catalog(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { database: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError(`usage: ${USAGE.catalog}`);
  const { twin } = await openTwin(home, io);
  const database = values.database ?? twin.plan.database;
  const [tableName] = positionals;
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
  const table = await twin.catalog.getTable({ DatabaseName: database, Name: tableName }).catch((error: Error) => {
    if (error.name === 'EntityNotFoundException') throw new UsageError(`no table ${database}.${tableName}`);
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

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Runs one query through an Athena port and returns its rows as objects (values as Athena gives them: text). */
export async function runQuery(
  athena: AthenaPort,
  request: Athena.StartQueryExecutionInput,
  maxRows = Number.POSITIVE_INFINITY,
  pollMs = 20,
): Promise<{ columns: Athena.ColumnInfo[]; rows: Record<string, string | null>[]; execution: Athena.QueryExecution }> {
  const { QueryExecutionId } = await athena.startQueryExecution(request);
  let execution: Athena.QueryExecution | undefined;
  for (;;) {
    execution = (await athena.getQueryExecution({ QueryExecutionId })).QueryExecution;
    if (TERMINAL.has(execution?.Status?.State ?? '')) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (execution?.Status?.State !== 'SUCCEEDED') {
    throw new QueryFailedError(execution?.Status?.StateChangeReason ?? 'query failed', execution ?? {});
  }
  const rows: Record<string, string | null>[] = [];
  let columns: Athena.ColumnInfo[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.getQueryResults({ QueryExecutionId, NextToken: nextToken, MaxResults: 1000 });
    columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? columns;
    const names = columns.map((c) => c.Name ?? '');
    // Athena's first page starts with a header row for SELECT statements.
    const data = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
    first = false;
    for (const row of data) {
      if (rows.length >= maxRows) break;
      rows.push(Object.fromEntries(names.map((n, i) => [n, row.Data?.[i]?.VarCharValue ?? null])));
    }
    nextToken = page.NextToken;
  } while (nextToken && rows.length < maxRows);
  return { columns, rows, execution };
}

export class QueryFailedError extends Error {
  constructor(
    message: string,
    readonly execution: Athena.QueryExecution,
  ) {
    super(message);
    this.name = 'QueryFailedError';
  }
}

export function formatTable(columns: string[], rows: Record<string, string | null>[]): string[] {
  const widths = columns.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => (r[c] ?? 'NULL').length))));
  const cell = (v: string, i: number) =>
    v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0);
  return [
    columns.map(cell).join(' | '),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map((r) => columns.map((c, i) => cell(r[c] ?? 'NULL', i)).join(' | ')),
  ];
}

export async function query(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { database: { type: 'string' }, 'max-rows': { type: 'string' } },
  });
  const [sql] = positionals;
  if (sql === undefined || positionals.length > 1 || sql.trim() === '') throw new UsageError(`usage: ${USAGE.query}`);
  const maxRows = values['max-rows'] === undefined ? 1000 : Number(values['max-rows']);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError('--max-rows must be a whole number >= 1');
  const { twin } = await openTwin(home, io);
  try {
    const out = await runQuery(
      twin.athena,
      {
        QueryString: sql,
        QueryExecutionContext: { Database: values.database ?? twin.plan.database },
        WorkGroup: twin.plan.workgroup,
      },
      maxRows,
    );
    io.result(out.rows);
    const names = out.columns.map((c) => c.Name ?? '');
    for (const line of formatTable(names, out.rows)) io.say(line);
    const scanned = out.execution.Statistics?.DataScannedInBytes;
    io.say(
      `(${out.rows.length} row(s)${scanned !== undefined ? `, ${scanned.toLocaleString('en-US')} bytes scanned` : ''})`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof QueryFailedError) {
      io.error(`query failed: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}
