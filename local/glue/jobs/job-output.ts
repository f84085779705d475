// Output writer: a step's rows go to a per-run staging folder as Parquet with hive partition folders; commit moves
// them under the table's location and registers the partitions, so a failed run leaves nothing visible.

import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import type { GluePort } from '../../../functions/shared/ports';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, sqlIdentifier } from '../../duckdb';
import { allPartitions } from '../../paging';
import { s3UriToPath } from '../../s3/s3-paths';
import type { Workspace } from '../../workspace';
import { duckdbTypeFor, type ManifestOutput } from './job-manifest';
import { listDataFiles } from './job-paths';

export type JobCatalog = Pick<
  GluePort,
  | 'getTable'
  | 'getTables'
  | 'getPartitions'
  | 'createTable'
  | 'updateTable'
  | 'batchCreatePartition'
  | 'batchDeletePartition'
>;

const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

export class JobOutputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobOutputError';
  }
}

/** `s3://bucket/prefix/` + the output's relative path. */
export function tableLocation(curatedLocation: string, output: ManifestOutput): string {
  return `${curatedLocation.endsWith('/') ? curatedLocation : `${curatedLocation}/`}${output.path}`;
}

/**
 * The table's data columns: the declared ones, then any pass-through columns (strings) the table already has or
 * this run writes, so a column once seen stays in the schema (older files read it as NULL).
 */
function storageDescriptor(
  output: ManifestOutput,
  location: string,
  passThrough: string[] = [],
): Glue.StorageDescriptor {
  const dataColumns = output.columns.filter((c) => !output.partitionKeys.includes(c.name));
  const declared = new Set(output.columns.map((c) => c.name));
  const extra = [...new Set(passThrough)].filter((name) => !declared.has(name));
  return {
    Columns: [
      ...dataColumns.map((c) => ({ Name: c.name, Type: c.type })),
      ...extra.map((name) => ({ Name: name, Type: 'string' })),
    ],
    Location: location,
    InputFormat: PARQUET_INPUT,
    OutputFormat: PARQUET_OUTPUT,
    Compressed: output.compression !== 'uncompressed',
    SerdeInfo: { SerializationLibrary: PARQUET_SERDE, Parameters: { 'serialization.format': '1' } },
  };
}

export function tableInput(output: ManifestOutput, location: string, passThrough: string[] = []): Glue.TableInput {
  return {
    Name: output.table,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      classification: 'parquet',
      EXTERNAL: 'TRUE',
      'parquet.compression': output.compression.toUpperCase(),
    },
    PartitionKeys: output.columns
      .filter((c) => output.partitionKeys.includes(c.name))
      .map((c) => ({ Name: c.name, Type: c.type })),
    StorageDescriptor: storageDescriptor(output, location, passThrough),
  };
}

function isNotFound(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'EntityNotFoundException';
}

/** Creates the output table, empty, with its declared schema when the catalog does not have it yet. */
export async function ensureOutputTable(
  catalog: JobCatalog,
  database: string,
  output: ManifestOutput,
  location: string,
): Promise<void> {
  try {
    await catalog.getTable({ DatabaseName: database, Name: output.table });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await catalog.createTable({ DatabaseName: database, TableInput: tableInput(output, location) });
    } catch (createError) {
      // Another run created it between our get and create: that is the state we wanted.
      if ((createError as Error).name !== 'AlreadyExistsException') throw createError;
    }
  }
}

/**
 * `SELECT CAST(col AS type) ...` in declared order, so files match the catalog schema whatever the step produced;
 * pass-through columns (strings) go after the declared data columns.
 */
function castSelect(output: ManifestOutput, from: string, passThrough: string[] = []): string {
  const cast = (name: string, type: string) => `CAST(${sqlIdentifier(name)} AS ${type}) AS ${sqlIdentifier(name)}`;
  const data = output.columns.filter((c) => !output.partitionKeys.includes(c.name));
  const keys = output.columns.filter((c) => output.partitionKeys.includes(c.name));
  const cols = [
    ...data.map((c) => cast(c.name, duckdbTypeFor(c.type) ?? 'VARCHAR')),
    ...passThrough.map((name) => cast(name, 'VARCHAR')),
    ...keys.map((c) => cast(c.name, duckdbTypeFor(c.type) ?? 'VARCHAR')),
  ];
  return `SELECT ${cols.join(', ')} FROM ${from}`;
}

/** A typed relation with no rows, for a table that has no data files yet. */
function emptySelect(output: ManifestOutput): string {
  const cols = output.columns.map((c) => `CAST(NULL AS ${duckdbTypeFor(c.type)}) AS ${sqlIdentifier(c.name)}`);
  return `SELECT ${cols.join(', ')} WHERE false`;
}

export interface StagedOutput {
  output: ManifestOutput;
  location: string;
  stagingDir: string;
  rowsWritten: number;
  /** Files relative to stagingDir, `/`-separated, e.g. `year=2024/month=1/part-<run>-0.parquet`. */
  files: string[];
  /** Pass-through columns written (empty unless the output asks for them). */
  passThrough: string[];
}

/**
 * Writes one output's rows from a step into the run's staging folder; partitioned outputs through DuckDB's
 * PARTITION_BY, which writes Hive folders (`k=v`, values percent-encoded, NULL as __HIVE_DEFAULT_PARTITION__);
 * the engine's partitioner, not a COPY per partition, which is slower on large outputs.
 */
export async function stageOutput(
  db: DuckDb,
  output: ManifestOutput,
  stepView: string,
  location: string,
  stagingDir: string,
  runId: string,
  sourcePassThrough: string[] = [],
): Promise<StagedOutput> {
  await rm(stagingDir, { recursive: true, force: true });
  await mkdir(stagingDir, { recursive: true });
  const passThrough = output.passThrough ? sourcePassThrough : [];
  const select = castSelect(output, sqlIdentifier(stepView), passThrough);
  // No bloom filters: Spark, so Glue, writes none unless parquet.bloom.filter.enabled is set, and they cost time.
  const options = [`FORMAT parquet`, `COMPRESSION ${output.compression}`, 'WRITE_BLOOM_FILTER false'];
  let rowsWritten: number;
  let files: string[];
  if (output.partitionKeys.length === 0) {
    const fileName = `part-${runId}-0.parquet`;
    rowsWritten = await copyCount(db, `COPY (${select}) TO ${sqlString(path.join(stagingDir, fileName))} (${options})`);
    files = [fileName];
  } else {
    // Run-unique names: an append never replaces an earlier run's file.
    options.push(
      `PARTITION_BY (${output.partitionKeys.map(sqlIdentifier).join(', ')})`,
      `FILENAME_PATTERN ${sqlString(`part-${runId}-{i}`)}`,
      'RETURN_FILES true',
    );
    const reader = await db.connection.runAndReadAll(`COPY (${select}) TO ${sqlString(stagingDir)} (${options})`);
    const row = reader.getRowsJson()[0];
    rowsWritten = Number(row?.[0] ?? 0);
    files = ((row?.[1] ?? []) as string[]).map((f) => path.relative(stagingDir, f).split(path.sep).join('/'));
  }
  if (rowsWritten === 0) {
    // An empty Parquet file adds nothing but clutter to an append table.
    await rm(stagingDir, { recursive: true, force: true });
    await mkdir(stagingDir, { recursive: true });
    return { output, location, stagingDir, rowsWritten, files: [], passThrough };
  }
  return { output, location, stagingDir, rowsWritten, files, passThrough };
}

async function copyCount(db: DuckDb, sql: string): Promise<number> {
  const reader = await db.connection.runAndReadAll(sql);
  return Number(reader.getRowsJson()[0]?.[0] ?? 0);
}

/**
 * SQL relation for an output table as a later step of the same run sees it: committed files plus this run's
 * staged files (append), or the staged files alone (overwrite).
 */
export async function outputTableSelect(
  workspace: Workspace,
  output: ManifestOutput,
  location: string,
  staged: StagedOutput | undefined,
): Promise<string> {
  const committed =
    staged && output.mode === 'overwrite' ? [] : await listDataFiles(workspace, s3UriToPath(workspace, location));
  const files = [
    ...committed.map((f) => s3UriToPath(workspace, f.uri)),
    ...(staged?.files ?? []).map((f) => path.join(staged?.stagingDir ?? '', f)),
  ];
  if (files.length === 0) return emptySelect(output);
  const list = `[${files.map(sqlString).join(', ')}]`;
  return castSelect(
    output,
    `read_parquet(${list}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
  );
}

/** Partition values of a staged file path: `k=v` folders, URL-decoded like Hive. */
export function partitionValues(output: ManifestOutput, relativeFile: string): string[] {
  const folders = relativeFile.split('/').slice(0, -1);
  return output.partitionKeys.map((key, i) => {
    const folder = folders[i];
    const prefix = `${key}=`;
    if (!folder?.startsWith(prefix)) throw new JobOutputError(`unexpected partition folder in ${relativeFile}`);
    return decodeURIComponent(folder.slice(prefix.length));
  });
}

async function moveTree(fromDir: string, toDir: string, relFiles: string[]): Promise<void> {
  for (const rel of relFiles) {
    const target = path.join(toDir, ...rel.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(fromDir, ...rel.split('/')), target);
  }
}

/** BatchDeletePartition takes at most 25 partitions per call; one already gone is what was wanted. */
async function deletePartitions(
  catalog: JobCatalog,
  database: string,
  table: string,
  partitions: Glue.Partition[],
): Promise<void> {
  for (let i = 0; i < partitions.length; i += 25) {
    const result = await catalog.batchDeletePartition({
      DatabaseName: database,
      TableName: table,
      PartitionsToDelete: partitions.slice(i, i + 25).map((p) => ({ Values: p.Values ?? [] })),
    });
    const failed = (result.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'EntityNotFoundException');
    if (failed.length > 0) {
      const first = failed[0]?.ErrorDetail;
      throw new JobOutputError(
        `could not remove ${failed.length} old partition(s) of ${table}: ${first?.ErrorCode}: ${first?.ErrorMessage}`,
      );
    }
  }
}

/**
 * The pass-through columns the output table lists after this commit: for an append table, those it lists now plus
 * any this run wrote (older files keep theirs, and read NULL for the new ones); for an overwrite table, this run's.
 */
async function passThroughSchema(
  catalog: JobCatalog,
  database: string,
  staged: StagedOutput,
): Promise<{ columns: string[]; changed: boolean; table?: Glue.Table }> {
  const { output, passThrough } = staged;
  if (!output.passThrough) return { columns: [], changed: false };
  const declared = new Set(output.columns.map((c) => c.name));
  const { Table } = await catalog.getTable({ DatabaseName: database, Name: output.table });
  const current = (Table?.StorageDescriptor?.Columns ?? []).map((c) => c.Name ?? '').filter((n) => !declared.has(n));
  const columns =
    output.mode === 'append' ? [...current, ...passThrough.filter((n) => !current.includes(n))] : [...passThrough];
  return { columns, changed: columns.join(',') !== current.join(','), table: Table };
}

/**
 * UpdateTable input that gives the table new data columns. Glue's UpdateTable replaces the whole definition, so
 * everything else set on the table (a description, parameters, the SerDe) is carried over from it.
 */
function withDataColumns(table: Glue.Table | undefined, fresh: Glue.TableInput): Glue.TableInput {
  if (!table) return fresh;
  const { Name, Description, Owner, Retention, PartitionKeys, TableType, Parameters, StorageDescriptor } = table;
  return {
    Name,
    Description,
    Owner,
    Retention,
    PartitionKeys,
    TableType,
    Parameters,
    StorageDescriptor: { ...StorageDescriptor, Columns: fresh.StorageDescriptor?.Columns },
  };
}

/**
 * Makes a staged output visible: files move under the table location (overwrite first moves the old data files
 * aside and deletes them after), then the partitions are registered in the catalog.
 */
export async function commitOutput(
  workspace: Workspace,
  catalog: JobCatalog,
  database: string,
  staged: StagedOutput,
  trashDir: string,
): Promise<void> {
  const { output, location, stagingDir, files } = staged;
  const tableDir = s3UriToPath(workspace, location);
  const schema = await passThroughSchema(catalog, database, staged);
  if (output.mode === 'overwrite') {
    const old = await listDataFiles(workspace, tableDir);
    const oldRel = old.map((f) => path.relative(tableDir, s3UriToPath(workspace, f.uri)).split(path.sep).join('/'));
    await moveTree(tableDir, trashDir, oldRel);
  }
  await moveTree(stagingDir, tableDir, files);
  if (schema.changed) {
    const TableInput = withDataColumns(schema.table, tableInput(output, location, schema.columns));
    await catalog.updateTable({ DatabaseName: database, TableInput });
  }

  if (output.partitionKeys.length === 0) {
    if (output.mode === 'overwrite') await rm(trashDir, { recursive: true, force: true });
    return;
  }
  const folders = new Map<string, string[]>();
  for (const rel of files) folders.set(rel.split('/').slice(0, -1).join('/'), partitionValues(output, rel));

  if (output.mode === 'overwrite') {
    // The old partitions go (their files already went to the trash), and this run's are registered below with
    // their current columns. The table itself stays, so a reader never finds it missing; at worst it sees it
    // empty for the moment between the two calls.
    await deletePartitions(catalog, database, output.table, await allPartitions(catalog, database, output.table));
  }
  const known =
    output.mode === 'overwrite'
      ? new Set<string>()
      : new Set((await allPartitions(catalog, database, output.table)).map((p) => JSON.stringify(p.Values ?? [])));
  const inputs: Glue.PartitionInput[] = [];
  for (const [folder, values] of folders) {
    if (known.has(JSON.stringify(values))) continue;
    inputs.push({
      Values: values,
      StorageDescriptor: storageDescriptor(output, `${location}${folder}/`, schema.columns),
    });
  }
  // BatchCreatePartition takes at most 100 partitions per call.
  for (let i = 0; i < inputs.length; i += 100) {
    const result = await catalog.batchCreatePartition({
      DatabaseName: database,
      TableName: output.table,
      PartitionInputList: inputs.slice(i, i + 100),
    });
    const failed = (result.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
    if (failed.length > 0) {
      const first = failed[0]?.ErrorDetail;
      throw new JobOutputError(
        `could not register ${failed.length} partition(s) of ${output.table}: ${first?.ErrorCode}: ${first?.ErrorMessage}`,
      );
    }
  }
  if (output.mode === 'overwrite') await rm(trashDir, { recursive: true, force: true });
}
