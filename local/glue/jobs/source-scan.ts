// The job's `source`: this run's files, each read by its own format (its content, then its extension), every
// catalog column as text. The steps cast as the manifest says, so raw columns keep the file's text and no
// sampling decision of the crawler (column types, whether the sample held quotes) changes what a row contains.
//
// CSV is read with RFC 4180 quoting (`"` quotes, `""` escapes) whatever the table's SerDe says, or with the quote
// the dataset declares (the job's source contract), doubled to escape it. Empty fields:
// a quoted empty string `""` stays '' as in Spark's CSV reader (emptyValue defaults to ""); an unquoted empty
// field stays '' too, as in Hive, whose null marker is `\N` (serialization.null.format). Quoted newlines need
// DuckDB's single-threaded scanner when rows are padded: read in parallel, the scan fails with an error that
// isQuotedNewlineError recognises, and the caller runs again with `parallel: false`.
//
// A malformed CSV row (more fields than the header, a stray quote) is found by a strict pass over each CSV file
// and reaches the steps with its text in `_corrupt_record`, as Spark's PERMISSIVE mode keeps a corrupt record;
// the steps reject it. Read leniently it would lose its extra fields, or the text after the quote, silently.
import { open } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import type { Workspace } from '../../workspace';
import { duckEncoding, FILE_COLUMN, listTableFiles, reader, type TableFile, tableFormat } from '../catalog/table-scan';

type FileFormat = 'csv' | 'json' | 'parquet';

export interface SourceScanOptions {
  table: Glue.Table;
  partitions: Glue.Partition[];
  /** The `s3://` URIs to read (the bookmark's new files); files not in the table are ignored. */
  files: string[];
  /** Read CSV with DuckDB's parallel scanner (see the top of this file). */
  parallel: boolean;
  /** The dataset's declared CSV quote (doubled to escape it); default `"`. */
  quote?: string;
}

export interface SourceScan {
  /** A parenthesised SELECT of the catalog columns (VARCHAR), the partition keys, `_corrupt_record` and `source_file`. */
  sql: string;
  files: TableFile[];
  /** Whether every row comes from a file scan (false when malformed rows are added), so profiles can count them. */
  scansEveryRow: boolean;
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

function csvReader(table: Glue.Table, files: SniffedFile[], parallel: boolean, quote: string): string {
  const dialect = csvDialect(table, quote);
  const options = [...dialect.options, 'strict_mode=false', 'all_varchar=true', `filename=${sqlString(FILE_COLUMN)}`];
  if (!parallel) options.push('parallel=false');
  if (dialect.header) {
    const lines = new Set(files.map((f) => f.firstLine));
    if (lines.size > 1 || lines.has(undefined)) options.push('union_by_name=true');
  } else {
    // Header-less CSV is read by position into the catalog's columns, as Hive does.
    const columns = table.StorageDescriptor?.Columns ?? [];
    const struct = columns.map((c) => `${sqlString(c.Name ?? '')}: 'VARCHAR'`).join(', ');
    options.push('auto_detect=false', `columns={${struct}}`);
  }
  return `read_csv(${listLiteral(files)}, ${options.join(', ')})`;
}

/** A CSV line's fields with RFC 4180 quoting, leniently: a stray quote only toggles quoting. */
function splitCsvLine(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === quote) {
      if (quoted && line[i + 1] === quote) {
        field += quote;
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

interface CsvDialect {
  delimiter: string;
  quote: string;
  header: boolean;
  /** read_csv options every CSV reader of the source shares. */
  options: string[];
}

function csvDialect(table: Glue.Table, quote: string): CsvDialect {
  const csvTable = tableFormat(table) === 'csv';
  const serde = table.StorageDescriptor?.SerdeInfo;
  // A JSON or Parquet table's SerDe parameters say nothing about a CSV file among its files.
  const params = csvTable ? (serde?.Parameters ?? {}) : {};
  const isOpenCsv = (serde?.SerializationLibrary ?? '').includes('OpenCSVSerde');
  const delimiter =
    (isOpenCsv ? params.separatorChar : (params['field.delim'] ?? params['serialization.format'])) ?? ',';
  const skip = Number.parseInt(table.Parameters?.['skip.header.line.count'] ?? '0', 10) || 0;
  // A CSV among JSON or Parquet files can only be matched to the table's columns by its header's names.
  const header = skip > 0 || !csvTable;
  const options = [
    `delim=${sqlString(delimiter)}`,
    `quote=${sqlString(quote)}`,
    `escape=${sqlString(quote)}`,
    `nullstr=${sqlString(params['serialization.null.format'] ?? '\\N')}`,
    `encoding=${sqlString(duckEncoding(params['serialization.encoding']))}`,
    'null_padding=true',
    `header=${header}`,
  ];
  if (header && skip > 1) options.push(`skip=${skip - 1}`);
  return { delimiter, quote, header, options };
}

/** A CSV file's column names by position: its header's, or the catalog's for header-less CSV (read as Hive does). */
function csvNames(table: Glue.Table, dialect: CsvDialect, file: SniffedFile): string[] | undefined {
  if (!dialect.header) return (table.StorageDescriptor?.Columns ?? []).map((c) => c.Name ?? '');
  return file.firstLine === undefined ? undefined : splitCsvLine(file.firstLine, dialect.delimiter, dialect.quote);
}

/**
 * One file read strictly (RFC 4180, no more fields than its names) into columns c0, c1, ...; a row that breaks
 * the rules is left out of the result and recorded in the rejects table `rejects`.
 */
function strictCsvReader(
  dialect: CsvDialect,
  file: SniffedFile,
  width: number,
  rejects: string,
  parallel: boolean,
): string {
  const columns = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const options = [
    ...dialect.options,
    'strict_mode=true',
    'auto_detect=false',
    `columns={${columns}}`,
    'store_rejects=true',
    `rejects_table=${sqlString(rejects)}`,
    `rejects_scan=${sqlString(`${rejects}_scans`)}`,
    `parallel=${parallel}`,
  ];
  return `read_csv(${sqlString(escapeGlob(file.path))}, ${options.join(', ')})`;
}

/** A CSV file with malformed rows: where they are, and how the file's rows are named. */
interface MalformedFile {
  file: SniffedFile;
  names: string[];
  /** Each malformed row's text, in file order. */
  lines: string[];
  /** The rejects table its strict read records the malformed rows in (a scan needs one of its own). */
  rejects: string;
}

/**
 * The CSV files with a malformed row: more fields than the file's header (or than the catalog's columns,
 * header-less), or a stray quote (`"a"b`). The lenient scan would load such a row with its extra fields, or the
 * text after the quote, dropped.
 */
async function findMalformedFiles(
  db: DuckDb,
  table: Glue.Table,
  dialect: CsvDialect,
  files: SniffedFile[],
): Promise<MalformedFile[]> {
  const malformed: MalformedFile[] = [];
  for (const [i, file] of files.entries()) {
    const names = csvNames(table, dialect, file);
    if (names === undefined || names.length === 0) continue; // a header longer than the sniffed head: left unchecked
    const rejects = `lakepipe_csv_check_${i}`;
    // The check runs on the parallel scanner: at 10 M rows 0.9 s against 4 s single-threaded.
    await db.run(`SELECT count(*) FROM ${strictCsvReader(dialect, file, names.length, rejects, true)}`);
    // A row with two extra fields is recorded twice, once per field.
    const rows = await db.query<{ csv_line: string }>(
      `SELECT csv_line FROM ${rejects} GROUP BY line, csv_line ORDER BY line`,
    );
    if (rows.length > 0) {
      malformed.push({ file, names, lines: rows.map((r) => r.csv_line), rejects: `lakepipe_csv_skipped_${i}` });
    }
  }
  return malformed;
}

function sourceReader(
  format: FileFormat,
  table: Glue.Table,
  files: SniffedFile[],
  parallel: boolean,
  quote: string,
): string {
  if (format === 'csv') return csvReader(table, files, parallel, quote);
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

/**
 * The source's column for a malformed CSV row's text (NULL on every other row), named as Spark's
 * columnNameOfCorruptRecord default. Spark's CSV reader in Glue's default PERMISSIVE mode keeps a corrupt record
 * with its fields NULL and its text in this column; it drops a row's extra fields silently, which the job must
 * not, so here a row with more fields than its header is a corrupt record too. The steps reject such a row.
 */
const CORRUPT_RECORD = '_corrupt_record';

/**
 * A CSV file with malformed rows: its well-formed rows read strictly, then each malformed row with its fields
 * as far as they can be told (extra fields aside) and its text in `_corrupt_record`.
 */
function malformedFileSelect(table: Glue.Table, dialect: CsvDialect, bad: MalformedFile): string {
  const { columns, partitionKeys } = sourceColumns(table);
  const width = bad.names.length;
  const index = (name: string): number => bad.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  const partitions = partitionKeys.map(
    (k, i) => `${sqlString(bad.file.partitionValues[i] ?? '')} AS ${sqlIdentifier(k)}`,
  );
  const tail = (record: string): string =>
    [...partitions, `${record} AS ${CORRUPT_RECORD}`, `${sqlString(bad.file.uri)} AS source_file`].join(', ');
  const strict = columns.map((name) => {
    const i = index(name);
    return `${i < 0 ? 'CAST(NULL AS VARCHAR)' : `base.c${i}`} AS ${sqlIdentifier(name)}`;
  });
  const good =
    `SELECT ${strict.join(', ')}, ${tail('CAST(NULL AS VARCHAR)')} ` +
    `FROM ${strictCsvReader(dialect, bad.file, width, bad.rejects, false)} AS base`;
  const rows = bad.lines.map((line) => {
    const fields = splitCsvLine(line, dialect.delimiter, dialect.quote);
    const values = columns.map((name) => {
      const i = index(name);
      const field = i < 0 ? undefined : fields[i];
      return `${field === undefined ? 'CAST(NULL AS VARCHAR)' : sqlString(field)} AS ${sqlIdentifier(name)}`;
    });
    return `SELECT ${values.join(', ')}, ${tail(sqlString(line))}`;
  });
  return [good, ...rows].join(' UNION ALL ');
}

/** The output columns of the source in order: catalog columns, partition keys, `source_file`; all text. */
function sourceColumns(table: Glue.Table): { columns: string[]; partitionKeys: string[] } {
  return {
    columns: (table.StorageDescriptor?.Columns ?? []).map((c) => c.Name ?? ''),
    partitionKeys: (table.PartitionKeys ?? []).map((k) => k.Name ?? ''),
  };
}

/** One format's files as the source's columns: a column no file of the group has reads as NULL. */
async function groupSelect(
  db: DuckDb,
  table: Glue.Table,
  files: SniffedFile[],
  parallel: boolean,
  quote: string,
): Promise<string> {
  const first = files[0];
  if (!first) throw new Error('a source group needs a file');
  let from = sourceReader(first.format, table, files, parallel, quote);
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
  select.push(
    ...partitionKeys.map((k, i) => `files.p${i} AS ${sqlIdentifier(k)}`),
    `CAST(NULL AS VARCHAR) AS ${CORRUPT_RECORD}`,
    'files.uri AS source_file',
  );
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
  const select = [...columns, ...partitionKeys, CORRUPT_RECORD, 'source_file'].map(
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
  if (files.length === 0) return { sql: emptySourceSelect(options.table), files, scansEveryRow: true };
  const sniffed = await Promise.all(files.map(sniff));
  const quote = options.quote ?? '"';
  const selects: string[] = [];
  let scansEveryRow = true;
  for (const format of ['csv', 'json', 'parquet'] as const) {
    const group = sniffed.filter((f) => f.format === format);
    if (group.length === 0) continue;
    if (format !== 'csv') {
      selects.push(await groupSelect(db, options.table, group, options.parallel, quote));
      continue;
    }
    const dialect = csvDialect(options.table, quote);
    const malformed = await findMalformedFiles(db, options.table, dialect, group);
    const wellFormed = group.filter((f) => !malformed.some((m) => m.file === f));
    if (wellFormed.length > 0) {
      selects.push(await groupSelect(db, options.table, wellFormed, options.parallel, quote));
    }
    selects.push(...malformed.map((bad) => malformedFileSelect(options.table, dialect, bad)));
    if (malformed.length > 0) scansEveryRow = false;
  }
  return { sql: `(${selects.join(' UNION ALL ')})`, files, scansEveryRow };
}

/** One row per file this run reads, so a file with no data rows is audited too (the steps' `source_files`). */
export function sourceFilesSelect(files: TableFile[]): string {
  if (files.length === 0) return 'SELECT CAST(NULL AS VARCHAR) AS source_file WHERE false';
  return `SELECT * FROM (VALUES ${files.map((f) => `(${sqlString(f.uri)})`).join(', ')}) AS f(source_file)`;
}
