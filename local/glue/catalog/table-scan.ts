// A Glue table (+ its partitions) -> SQL for a DuckDB relation over the local files, read the way the table's
// SerDe says. Used by the local job runner (source view, bookmarks) and local Athena (db.table names); it lives
// with the catalog because it reads what a catalog table describes, whoever asks.
//
// How rows are read, and why:
// - Files are read by column NAME (union_by_name) when they carry a header (CSV with skip.header.line.count,
//   JSON, Parquet): a crawl that merged a new column leaves older files without it, and those read as NULL.
//   Header-less CSV is read by position, as Hive does.
// - CSV is read all-VARCHAR and then TRY_CAST to the catalog type: like Hive's LazySimpleSerDe, a value that does
//   not parse becomes NULL instead of failing the whole query. Empty fields stay '' (Hive's null marker is `\N`,
//   `serialization.null.format`), so empty strings survive and empty numbers become NULL.
// - CSV is read with RFC 4180 quoting (`"` quotes, `""` escapes) whatever the SerDe says, the way the job reads
//   the same files, so a query over the raw table counts the rows the job read.
// - Ragged rows: short rows are padded with NULL (null_padding) and extra fields dropped (strict_mode=false),
//   as Hive does. DuckDB allows null_padding with quoted newlines only on its single-threaded scanner, so CSV
//   reads with parallel=false unless the caller asks for the parallel scanner (`parallel`). That scanner raises
//   NULL_PADDING_QUOTED_NEWLINE (see below) as soon as it meets a quoted newline instead of misreading it, so a
//   caller that retries single-threaded on that error gets the same rows.
// - union_by_name slows the scan, so it is used only when the files' header lines differ.
// - Lines longer than DuckDB's default max_line_size (2 MB) fail loudly: a larger limit slows every scan.
// - ignore_errors is NOT used: it drops whole rows silently; a malformed file should fail the run loudly.
// - Partition values come from the catalog's Partition.Values (not parsed from paths), as VARCHAR like Hive.

import { open } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import { pathToS3Uri, s3UriToPath } from '../../s3/s3-paths';
import { readdirIfExists, type Workspace } from '../../workspace';
import { glueToDuckType } from './glue-types';

export type TableFormat = 'csv' | 'json' | 'parquet';

export class TableScanError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TableScanError';
  }
}

export interface TableFile {
  /** `s3://bucket/key` */
  uri: string;
  /** Local path of the file. */
  path: string;
  /** The partition's Values (empty for an unpartitioned table). */
  partitionValues: string[];
}

export interface TableScanOptions {
  table: Glue.Table;
  partitions?: Glue.Partition[];
  /** Restrict to these `s3://` URIs (job bookmarks). Files not in the table are ignored. */
  files?: string[];
  /** Add a `source_file` column with the `s3://bucket/key` URI of each row's file. */
  sourceFile?: boolean;
  /**
   * Read quoted CSV with DuckDB's parallel scanner (default false). The query then fails with an error that
   * `isQuotedNewlineError` recognises when a file has a quoted newline; the caller retries without it.
   */
  parallel?: boolean;
}

/** What DuckDB's parallel CSV scanner says when it meets a quoted newline with null_padding on. */
const NULL_PADDING_QUOTED_NEWLINE = 'does not support null_padding in conjunction with quoted new lines';

/** Whether an error (or one of its causes) is the parallel scanner giving up on a quoted newline. */
export function isQuotedNewlineError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && message.includes(NULL_PADDING_QUOTED_NEWLINE)) return true;
  }
  return false;
}

export interface TableScan {
  /** A parenthesised SELECT usable as `FROM <sql> AS t` or in `CREATE VIEW v AS <sql>`. */
  sql: string;
  files: TableFile[];
}

/** The table's storage format, from its SerDe / input format / classification. */
export function tableFormat(table: Glue.Table): TableFormat {
  const sd = table.StorageDescriptor;
  const hints = [
    table.Parameters?.classification,
    sd?.SerdeInfo?.SerializationLibrary,
    sd?.InputFormat,
    sd?.Parameters?.classification,
  ]
    .filter((h): h is string => typeof h === 'string')
    .join(' ')
    .toLowerCase();
  if (hints.includes('parquet')) return 'parquet';
  if (hints.includes('json')) return 'json';
  if (hints.includes('csv') || hints.includes('lazysimpleserde') || hints.includes('textinputformat')) return 'csv';
  throw new TableScanError(`table ${table.Name}: cannot tell its format from its SerDe or classification`);
}

// Hidden and marker files (`_SUCCESS`, `.crc`, our own temp files) are not data, for Hive, Spark and Athena alike.
function isDataFile(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_');
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdirIfExists(dir);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!isDataFile(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * The table's data files: every file under each partition's location (or the table's location when it has no
 * partition keys), skipping hidden/marker files. Partitioned tables read only registered partitions, as Athena does.
 */
export async function listTableFiles(
  workspace: Workspace,
  table: Glue.Table,
  partitions: Glue.Partition[] = [],
): Promise<TableFile[]> {
  const partitioned = (table.PartitionKeys?.length ?? 0) > 0;
  const sources = partitioned
    ? partitions.map((p) => ({ location: p.StorageDescriptor?.Location, values: p.Values ?? [] }))
    : [{ location: table.StorageDescriptor?.Location, values: [] as string[] }];
  const files: TableFile[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    if (!source.location) throw new TableScanError(`table ${table.Name}: a location is missing`);
    for (const file of await walk(s3UriToPath(workspace, source.location))) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ uri: pathToS3Uri(workspace, file), path: file, partitionValues: source.values });
    }
  }
  return files;
}

export const FILE_COLUMN = '__lakepipe_file';

/** Whether every file starts with the same first line (BOM and CR aside); gzip files are inflated as far as needed. */
async function shareFirstLine(files: string[]): Promise<boolean> {
  let first: string | undefined;
  for (const file of files) {
    const handle = await open(file, 'r');
    let head: Buffer;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch {
        return false; // let DuckDB report the corrupt file
      }
    }
    const newline = head.indexOf(0x0a);
    if (newline < 0) return false; // a header longer than the probe: compare by name instead
    const line = head
      .subarray(0, newline)
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .replace(/\r$/, '');
    if (first === undefined) first = line;
    else if (line !== first) return false;
  }
  return true;
}

/** A DuckDB list of file paths, glob characters escaped so each path names exactly its file. */
function listLiteral(paths: string[]): string {
  return `[${paths.map((p) => sqlString(escapeGlob(p))).join(', ')}]`;
}

interface ReaderOptions {
  /** The catalog's columns (CSV without a header is read by position into them). */
  columns: Glue.Column[];
  /** Every file starts with the same header line (CSV; else read by column name). */
  sameHeader: boolean;
  /** See TableScanOptions.parallel. */
  parallel: boolean;
}

function csvReader(table: Glue.Table, files: string[], { columns, sameHeader, parallel }: ReaderOptions): string {
  const serde = table.StorageDescriptor?.SerdeInfo;
  const params = { ...(serde?.Parameters ?? {}) };
  const isOpenCsv = (serde?.SerializationLibrary ?? '').includes('OpenCSVSerde');
  const delimiter =
    (isOpenCsv ? params.separatorChar : (params['field.delim'] ?? params['serialization.format'])) ?? ',';
  const skip = Number.parseInt(table.Parameters?.['skip.header.line.count'] ?? '0', 10) || 0;
  const encoding = duckEncoding(params['serialization.encoding']);
  const options = [
    `delim=${sqlString(delimiter)}`,
    // RFC 4180 quoting whatever the SerDe says, as the job reads its source (local/glue/jobs/source-scan.ts): the
    // crawler picks the SerDe from a sample, so a quote past it would split a row here that the job read whole.
    `quote='"'`,
    `escape='"'`,
    `nullstr=${sqlString(params['serialization.null.format'] ?? '\\N')}`,
    `encoding=${sqlString(encoding)}`,
    'null_padding=true',
    'strict_mode=false',
    `filename=${sqlString(FILE_COLUMN)}`,
  ];
  if (!parallel) options.push('parallel=false');
  if (skip > 0) {
    options.push('header=true', 'all_varchar=true');
    if (!sameHeader) options.push('union_by_name=true');
    if (skip > 1) options.push(`skip=${skip - 1}`);
  } else {
    const struct = columns.map((c) => `${sqlString(c.Name ?? '')}: 'VARCHAR'`).join(', ');
    options.push('header=false', 'auto_detect=false', `columns={${struct}}`);
  }
  return `read_csv(${listLiteral(files)}, ${options.join(', ')})`;
}

export function duckEncoding(serdeEncoding: string | undefined): string {
  const e = (serdeEncoding ?? 'UTF-8').toUpperCase().replace(/_/g, '-');
  if (e === 'UTF-8' || e === 'UTF8') return 'utf-8';
  if (e === 'ISO-8859-1' || e === 'LATIN1' || e === 'LATIN-1' || e === 'WINDOWS-1252' || e === 'CP1252') {
    return 'latin-1';
  }
  if (e.startsWith('UTF-16')) return 'utf-16';
  throw new TableScanError(`unsupported serialization.encoding ${serdeEncoding}`);
}

export function reader(format: TableFormat, table: Glue.Table, files: string[], options: ReaderOptions): string {
  switch (format) {
    case 'csv':
      return csvReader(table, files, options);
    case 'json':
      return `read_json(${listLiteral(files)}, format='auto', union_by_name=true, filename=${sqlString(FILE_COLUMN)})`;
    case 'parquet':
      return `read_parquet(${listLiteral(files)}, union_by_name=true, filename=${sqlString(FILE_COLUMN)})`;
  }
}

/**
 * Builds the relation. It DESCRIBEs the files first (one metadata/sample read) to find which catalog columns the
 * files actually carry; catalog columns no file has read as typed NULLs.
 */
export async function buildTableScan(db: DuckDb, workspace: Workspace, options: TableScanOptions): Promise<TableScan> {
  const { table } = options;
  const columns = table.StorageDescriptor?.Columns ?? [];
  const partitionKeys = table.PartitionKeys ?? [];
  let files = await listTableFiles(workspace, table, options.partitions ?? []);
  if (options.files) {
    const wanted = new Set(options.files);
    files = files.filter((f) => wanted.has(f.uri));
  }

  const output = [
    ...columns.map((c) => ({ name: c.Name ?? '', type: glueToDuckType(c.Type ?? 'string') })),
    ...partitionKeys.map((k) => ({ name: k.Name ?? '', type: 'VARCHAR' })),
    ...(options.sourceFile ? [{ name: 'source_file', type: 'VARCHAR' }] : []),
  ];
  if (files.length === 0) {
    const select = output.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdentifier(c.name)}`).join(', ');
    return { sql: `(SELECT ${select} WHERE false)`, files };
  }

  const format = tableFormat(table);
  const paths = files.map((f) => f.path);
  const sameHeader = format === 'csv' && (await shareFirstLine(paths));
  const from = reader(format, table, paths, { columns, sameHeader, parallel: options.parallel === true });
  const described = await db.query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${from}`);
  const present = new Map<string, { name: string; type: string }>();
  for (const d of described) {
    if (d.column_name === FILE_COLUMN) continue;
    const key = d.column_name.toLowerCase();
    if (!present.has(key)) present.set(key, { name: d.column_name, type: d.column_type });
  }

  const select = columns.map((c) => {
    const name = c.Name ?? '';
    const type = glueToDuckType(c.Type ?? 'string');
    const found = present.get(name.toLowerCase());
    if (!found) return `CAST(NULL AS ${type}) AS ${sqlIdentifier(name)}`;
    const ref = `base."${found.name.replaceAll('"', '""')}"`;
    return found.type === type
      ? `${ref} AS ${sqlIdentifier(name)}`
      : `TRY_CAST(${ref} AS ${type}) AS ${sqlIdentifier(name)}`;
  });
  const needsJoin = partitionKeys.length > 0 || options.sourceFile === true;
  if (!needsJoin) return { sql: `(SELECT ${select.join(', ')} FROM ${from} AS base)`, files };

  // One row per file: its path (join key), its s3 URI and its partition values, all as quoted literals.
  const rows = files.map((f) => `(${[f.path, f.uri, ...f.partitionValues].map(sqlString).join(', ')})`);
  const partColumns = partitionKeys.map((_, i) => `p${i}`);
  const valuesAlias = `files(path, uri${partColumns.map((p) => `, ${p}`).join('')})`;
  select.push(...partitionKeys.map((k, i) => `files.p${i} AS ${sqlIdentifier(k.Name ?? '')}`));
  if (options.sourceFile) select.push('files.uri AS source_file');
  const sql =
    `(SELECT ${select.join(', ')} FROM ${from} AS base ` +
    `JOIN (VALUES ${rows.join(', ')}) AS ${valuesAlias} ON base.${FILE_COLUMN} = files.path)`;
  return { sql, files };
}
