// The job's `source`: this run's files, each read by its own format (its content, then its extension), every
// catalog column as text. The steps cast as the manifest says, so raw columns keep the file's text and no
// sampling decision of the crawler (column types, whether the sample held quotes) changes what a row contains.
//
// CSV is read with RFC 4180 quoting (`"` quotes, `""` escapes) whatever the table's SerDe says. Empty fields:
// a quoted empty string `""` stays '' as in Spark's CSV reader (emptyValue defaults to ""); an unquoted empty
// field stays '' too, as in Hive, whose null marker is `\N` (serialization.null.format). Quoted newlines need
// DuckDB's single-threaded scanner when rows are padded: read in parallel, the scan fails with an error that
// isQuotedNewlineError recognises, and the caller runs again with `parallel: false`.
import { open } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import type { Workspace } from '../../workspace';
import { duckEncoding, FILE_COLUMN, listTableFiles, reader, type TableFile, tableFormat } from '../catalog/table-scan';

type FileFormat = 'csv' | 'json' | 'parquet';

export class MalformedCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedCsvError';
  }
}

export interface SourceScanOptions {
  table: Glue.Table;
  partitions: Glue.Partition[];
  /** The `s3://` URIs to read (the bookmark's new files); files not in the table are ignored. */
  files: string[];
  /** Read CSV with DuckDB's parallel scanner (see the top of this file). */
  parallel: boolean;
}

export interface SourceScan {
  /** A parenthesised SELECT of the catalog columns (VARCHAR), the partition keys and `source_file`. */
  sql: string;
  files: TableFile[];
}

interface SniffedFile extends TableFile {
  format: FileFormat;
  /** The first line of a text file (BOM and CR aside), to tell whether CSV headers differ. */
  firstLine?: string;
}

const SNIFF_BYTES = 64 * 1024;

function startsWith(head: Buffer, text: string): boolean {
  return head.subarray(0, text.length).toString('latin1') === text;
}

/** A file's format from its first bytes (Parquet magic, a JSON opening brace), else from its name; CSV by default. */
async function sniff(file: TableFile): Promise<SniffedFile> {
  const handle = await open(file.path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (startsWith(head, 'PAR1')) return { ...file, format: 'parquet' };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      head = Buffer.alloc(0); // a corrupt file: read by its name, DuckDB reports it
    }
  }
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  const lower = file.uri.toLowerCase();
  if (/^\s*[{[]/.test(text) || (text.trim() === '' && /\.(json|jsonl|ndjson)(\.gz)?$/.test(lower))) {
    return { ...file, format: 'json' };
  }
  if (text === '' && lower.endsWith('.parquet')) return { ...file, format: 'parquet' };
  const newline = text.indexOf('\n');
  return { ...file, format: 'csv', firstLine: newline < 0 ? undefined : text.slice(0, newline).replace(/\r$/, '') };
}

function listLiteral(files: SniffedFile[]): string {
  return `[${files.map((f) => sqlString(escapeGlob(f.path))).join(', ')}]`;
}

function csvReader(table: Glue.Table, files: SniffedFile[], parallel: boolean): string {
  const csvTable = tableFormat(table) === 'csv';
  const serde = table.StorageDescriptor?.SerdeInfo;
  // A JSON or Parquet table's SerDe parameters say nothing about a CSV file among its files.
  const params = csvTable ? (serde?.Parameters ?? {}) : {};
  const isOpenCsv = (serde?.SerializationLibrary ?? '').includes('OpenCSVSerde');
  const delimiter =
    (isOpenCsv ? params.separatorChar : (params['field.delim'] ?? params['serialization.format'])) ?? ',';
  const options = [
    `delim=${sqlString(delimiter)}`,
    `quote='"'`,
    `escape='"'`,
    `nullstr=${sqlString(params['serialization.null.format'] ?? '\\N')}`,
    `encoding=${sqlString(duckEncoding(params['serialization.encoding']))}`,
    'null_padding=true',
    'strict_mode=false',
    'all_varchar=true',
    `filename=${sqlString(FILE_COLUMN)}`,
  ];
  if (!parallel) options.push('parallel=false');
  const skip = Number.parseInt(table.Parameters?.['skip.header.line.count'] ?? '0', 10) || 0;
  // A CSV among JSON or Parquet files can only be matched to the table's columns by its header's names.
  if (skip > 0 || !csvTable) {
    options.push('header=true');
    const lines = new Set(files.map((f) => f.firstLine));
    if (lines.size > 1 || lines.has(undefined)) options.push('union_by_name=true');
    if (skip > 1) options.push(`skip=${skip - 1}`);
  } else {
    // Header-less CSV is read by position into the catalog's columns, as Hive does.
    const columns = table.StorageDescriptor?.Columns ?? [];
    const struct = columns.map((c) => `${sqlString(c.Name ?? '')}: 'VARCHAR'`).join(', ');
    options.push('header=false', 'auto_detect=false', `columns={${struct}}`);
  }
  return `read_csv(${listLiteral(files)}, ${options.join(', ')})`;
}

/** The number of fields of a CSV line, with RFC 4180 quoting (a quoted delimiter is not a separator). */
function fieldCount(line: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) count++;
  }
  return count;
}

const CSV_ERRORS = 'lakepipe_csv_errors';
const CSV_SCANS = 'lakepipe_csv_scans';
const CSV_ERROR_TEXT: Record<string, string> = {
  'TOO MANY COLUMNS': 'more fields than the header',
  'UNQUOTED VALUE': 'a stray quote',
};

/**
 * Refuses the run when a CSV file has a malformed row: more fields than its header (or than the catalog's
 * columns, header-less), or a stray quote (`"a"b`). The lenient scan would keep such a row with its extra fields
 * or the text after the quote dropped. Spark's CSV reader in Glue's default PERMISSIVE mode drops extra tokens
 * silently too, and otherwise keeps a corrupt record with its fields NULL and the line only in a
 * `_corrupt_record` column the job's source does not have; so the twin refuses the file whole, naming the line,
 * rather than load a row that is not what the file says.
 */
async function checkCsvRows(db: DuckDb, table: Glue.Table, files: SniffedFile[]): Promise<void> {
  const csvTable = tableFormat(table) === 'csv';
  const serde = table.StorageDescriptor?.SerdeInfo;
  const params = csvTable ? (serde?.Parameters ?? {}) : {};
  const isOpenCsv = (serde?.SerializationLibrary ?? '').includes('OpenCSVSerde');
  const delimiter =
    (isOpenCsv ? params.separatorChar : (params['field.delim'] ?? params['serialization.format'])) ?? ',';
  const skip = Number.parseInt(table.Parameters?.['skip.header.line.count'] ?? '0', 10) || 0;
  const header = skip > 0 || !csvTable;
  for (const file of files) {
    if (header && file.firstLine === undefined) continue; // no data row fits in the sniffed head's first line
    const width = header
      ? fieldCount(file.firstLine ?? '', delimiter)
      : (table.StorageDescriptor?.Columns ?? []).length;
    const columns = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    const options = [
      `delim=${sqlString(delimiter)}`,
      `quote='"'`,
      `escape='"'`,
      `encoding=${sqlString(duckEncoding(params['serialization.encoding']))}`,
      'null_padding=true',
      'strict_mode=true',
      'auto_detect=false',
      `header=${header}`,
      `columns={${columns}}`,
      'store_rejects=true',
      `rejects_table=${sqlString(CSV_ERRORS)}`,
      `rejects_scan=${sqlString(CSV_SCANS)}`,
    ];
    if (skip > 1) options.push(`skip=${skip - 1}`);
    await db.run(`SELECT count(*) FROM read_csv(${sqlString(escapeGlob(file.path))}, ${options.join(', ')})`);
    const [bad] = await db.query<{ line: bigint; error_type: string }>(
      `SELECT line, error_type FROM ${CSV_ERRORS} ORDER BY line LIMIT 1`,
    );
    if (bad) {
      const what = CSV_ERROR_TEXT[bad.error_type] ?? bad.error_type.toLowerCase();
      throw new MalformedCsvError(`${file.uri}: line ${bad.line} is malformed (${what}); the file is refused whole`);
    }
  }
}

function sourceReader(format: FileFormat, table: Glue.Table, files: SniffedFile[], parallel: boolean): string {
  if (format === 'csv') return csvReader(table, files, parallel);
  return reader(
    format,
    table,
    files.map((f) => f.path),
    { columns: [], sameHeader: false, parallel },
  );
}

/**
 * JSON lines with every key read as VARCHAR: a string arrives as its text without quotes and a number, object or
 * array as JSON text, whatever type other lines give the key. Auto-detected types would turn a key that is a
 * number on one line and a string on another into JSON, whose text keeps the quotes (`"J1"`), and a key that is
 * always an object into a STRUCT printed as `{'k': 1}`. DuckDB prints a number as its value (`12.50` as `12.5`).
 */
function jsonTextReader(files: SniffedFile[], keys: string[]): string {
  const struct = keys.map((k) => `${sqlString(k)}: 'VARCHAR'`).join(', ');
  return (
    `read_json(${listLiteral(files)}, format='auto', union_by_name=true, columns={${struct}}, ` +
    `filename=${sqlString(FILE_COLUMN)})`
  );
}

/** The output columns of the source in order: catalog columns, partition keys, `source_file`; all text. */
function sourceColumns(table: Glue.Table): { columns: string[]; partitionKeys: string[] } {
  return {
    columns: (table.StorageDescriptor?.Columns ?? []).map((c) => c.Name ?? ''),
    partitionKeys: (table.PartitionKeys ?? []).map((k) => k.Name ?? ''),
  };
}

/** One format's files as the source's columns: a column no file of the group has reads as NULL. */
async function groupSelect(db: DuckDb, table: Glue.Table, files: SniffedFile[], parallel: boolean): Promise<string> {
  const first = files[0];
  if (!first) throw new Error('a source group needs a file');
  let from = sourceReader(first.format, table, files, parallel);
  const described = await db.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${from}`);
  const present = new Map<string, string>();
  for (const { column_name: name } of described) {
    if (name !== FILE_COLUMN && !present.has(name.toLowerCase())) present.set(name.toLowerCase(), name);
  }
  const { columns, partitionKeys } = sourceColumns(table);
  if (first.format === 'json') from = jsonTextReader(files, [...present.values()]);
  const select = columns.map((name) => {
    const found = present.get(name.toLowerCase());
    const value = found === undefined ? 'NULL' : `base."${found.replaceAll('"', '""')}"`;
    return `CAST(${value} AS VARCHAR) AS ${sqlIdentifier(name)}`;
  });
  select.push(...partitionKeys.map((k, i) => `files.p${i} AS ${sqlIdentifier(k)}`), 'files.uri AS source_file');
  // One row per file: its path (join key), its s3 URI and its partition values.
  const rows = files.map((f) => `(${[f.path, f.uri, ...f.partitionValues].map(sqlString).join(', ')})`);
  const alias = `files(path, uri${partitionKeys.map((_, i) => `, p${i}`).join('')})`;
  return (
    `SELECT ${select.join(', ')} FROM ${from} AS base ` +
    `JOIN (VALUES ${rows.join(', ')}) AS ${alias} ON base.${FILE_COLUMN} = files.path`
  );
}

/** A relation with the source's columns and no rows, for a run with no files to read. */
export function emptySourceSelect(table: Glue.Table): string {
  const { columns, partitionKeys } = sourceColumns(table);
  const select = [...columns, ...partitionKeys, 'source_file'].map(
    (c) => `CAST(NULL AS VARCHAR) AS ${sqlIdentifier(c)}`,
  );
  return `(SELECT ${select.join(', ')} WHERE false)`;
}

/** The source relation over this run's files, one reader per format, in a stable order. */
export async function buildSourceScan(
  db: DuckDb,
  workspace: Workspace,
  options: SourceScanOptions,
): Promise<SourceScan> {
  const wanted = new Set(options.files);
  const files = (await listTableFiles(workspace, options.table, options.partitions)).filter((f) => wanted.has(f.uri));
  if (files.length === 0) return { sql: emptySourceSelect(options.table), files };
  const sniffed = await Promise.all(files.map(sniff));
  const selects: string[] = [];
  for (const format of ['csv', 'json', 'parquet'] as const) {
    const group = sniffed.filter((f) => f.format === format);
    if (group.length === 0) continue;
    if (format === 'csv') await checkCsvRows(db, options.table, group);
    selects.push(await groupSelect(db, options.table, group, options.parallel));
  }
  return { sql: `(${selects.join(' UNION ALL ')})`, files };
}

/** One row per file this run reads, so a file with no data rows is audited too (the steps' `source_files`). */
export function sourceFilesSelect(files: TableFile[]): string {
  if (files.length === 0) return 'SELECT CAST(NULL AS VARCHAR) AS source_file WHERE false';
  return `SELECT * FROM (VALUES ${files.map((f) => `(${sqlString(f.uri)})`).join(', ')}) AS f(source_file)`;
}
