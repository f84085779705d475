// One file's classification and schema, as a Glue crawler infers it: read a bounded SAMPLE (first 1 MiB, cut at a
// line end), detect the format from the content (and the name as a tie-break), and let DuckDB's sniffer infer
// the schema from the sample. Bounded samples keep a crawl fast on big folders and safe on hostile files (the
// sniffer's memory grows with the column count, so a line wider than MAX_COLUMNS is refused before sniffing).
import { randomBytes } from 'node:crypto';
import { open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { errorMessage } from '../../../functions/shared/errors';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob } from '../../duckdb';
import { duckToGlueType } from '../catalog/glue-types';

export const SAMPLE_BYTES = 1024 * 1024;
export const MAX_COLUMNS = 2000;

export type FileFormat = 'csv' | 'json' | 'parquet';

export interface InferredColumn {
  name: string;
  /** Glue/Hive type name. */
  type: string;
}

export interface CsvDialect {
  delimiter: string;
  /** '' when the sample has no quoted fields. */
  quote: string;
  /** '' when none was detected. */
  escape: string;
  hasHeader: boolean;
  /** 'UTF-8' or 'ISO-8859-1' (the only fallback we infer: a sample that is not valid UTF-8 and not binary). */
  encoding: 'UTF-8' | 'ISO-8859-1';
}

/** A Glue CSV classifier's dialect (CreateClassifier's CsvClassifier): used instead of the sniffer's guesses. */
export interface CsvClassifierDialect {
  delimiter?: string;
  quote?: string;
  /** PRESENT: the first line names the columns; ABSENT: it is data; UNKNOWN: the sniffer decides. */
  header: 'PRESENT' | 'ABSENT' | 'UNKNOWN';
}

export type FileAnalysis =
  | {
      readable: true;
      format: FileFormat;
      compression: 'none' | 'gzip';
      columns: InferredColumn[];
      csv?: CsvDialect;
      /** Average bytes per record in the sample (for the recordCount estimate). */
      averageRecordSize: number;
    }
  | { readable: false; reason: string };

async function readHead(file: string, bytes: number): Promise<{ head: Buffer; size: number; tail: Buffer }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(bytes, size));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(4, size));
    await handle.read(tail, 0, tail.length, Math.max(0, size - 4));
    return { head, size, tail };
  } finally {
    await handle.close();
  }
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const startsWithText = (b: Buffer, text: string) => b.subarray(0, text.length).toString('latin1') === text;

/** Binary content: NUL bytes (no UTF-16 BOM) or more than 1% control characters other than tab/CR/LF/FF. */
function looksBinary(sample: Buffer): boolean {
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control > sample.length / 100;
}

function isValidUtf8(sample: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cuts a sample at its last line end, so the sniffer never sees a torn record. When that would leave no record
 * after the first line (a record longer than the sample), the torn record is kept: a truncated value still types.
 */
function cutAtLineEnd(sample: Buffer, complete: boolean): Buffer {
  if (complete) return sample;
  const lastNewline = sample.lastIndexOf(0x0a);
  if (lastNewline <= 0 || lastNewline === sample.indexOf(0x0a)) return sample;
  return sample.subarray(0, lastNewline + 1);
}

function firstLine(sample: Buffer): string {
  const newline = sample.indexOf(0x0a);
  return sample.subarray(0, newline < 0 ? sample.length : newline).toString('latin1');
}

function lineCount(sample: Buffer): number {
  let lines = 0;
  for (const byte of sample) if (byte === 0x0a) lines++;
  return Math.max(1, lines);
}

const ISO_DATE = new Set(['%Y-%m-%d']);
const ISO_TIMESTAMP = /^%Y-%m-%d[ T]%H:%M:%S(\.%[fgn])?(%z)?$/;

function normaliseName(name: string, index: number, hasHeader: boolean): string {
  if (!hasHeader) return `col${index}`;
  // Glue lowercases column names; an empty header cell gets a positional name.
  const lowered = name.trim().toLowerCase();
  return lowered === '' ? `col${index}` : lowered;
}

/**
 * Runs `fn` on a file holding exactly `sample`: the original file when the sample is all of it (plain, not
 * gzip), else a temp copy of the sample.
 */
// DuckDB picks a decompressor by file name, so only plainly named files are sniffed in place.
const COMPRESSED_NAME = /\.(gz|gzip|zst|zstd|bz2|lz4|snappy|xz|zip)$/i;

function directSample(file: string, complete: boolean, compression: 'none' | 'gzip'): string | undefined {
  return complete && compression === 'none' && !COMPRESSED_NAME.test(file) ? file : undefined;
}

async function withSampleFile<T>(
  sample: Buffer,
  extension: string,
  fn: (file: string) => Promise<T>,
  original?: string,
): Promise<T> {
  if (original) return fn(original);
  const file = path.join(tmpdir(), `lakepipe-sample-${process.pid}-${randomBytes(6).toString('hex')}${extension}`);
  await writeFile(file, sample);
  try {
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}

interface SniffRow {
  Delimiter: string;
  Quote: string;
  Escape: string;
  HasHeader: boolean;
  Columns: { name: string; type: string }[];
  DateFormat: string | null;
  TimestampFormat: string | null;
}

async function analyseCsv(
  db: DuckDb,
  file: string,
  sample: Buffer,
  compression: 'none' | 'gzip',
  complete: boolean,
  classifier?: CsvClassifierDialect,
): Promise<FileAnalysis> {
  const cut = cutAtLineEnd(sample, complete);
  const header = firstLine(cut);
  const widest = Math.max(...[',', ';', '|', '\t'].map((d) => header.split(d).length));
  if (widest > MAX_COLUMNS) {
    return { readable: false, reason: `more than ${MAX_COLUMNS} columns in the first line` };
  }
  const encoding = isValidUtf8(cut) ? 'UTF-8' : 'ISO-8859-1';
  const declared = classifierOptions(classifier);
  const rows = await withSampleFile(
    cut,
    '.csv',
    (target) =>
      db.queryJson<SniffRow & Record<string, unknown>>(
        `SELECT Delimiter, Quote, Escape, HasHeader, Columns, DateFormat, TimestampFormat
         FROM sniff_csv(${sqlString(escapeGlob(target))}, null_padding=true, strict_mode=false, encoding=${sqlString(
           encoding === 'UTF-8' ? 'utf-8' : 'latin-1',
         )}${declared})`,
      ),
    directSample(file, complete, compression),
  );
  const sniff = rows[0];
  if (!sniff) return { readable: false, reason: 'the CSV sniffer returned nothing' };
  let columns = sniff.Columns;
  // Ragged long rows make the sniffer add positional `columnN` columns after the header's; a header defines them.
  if (sniff.HasHeader) {
    while (columns.length > 1 && /^column\d+$/.test(columns.at(-1)?.name ?? '')) columns = columns.slice(0, -1);
  }
  const inferred = columns.map((c, i) => {
    let type = duckToGlueType(c.type);
    // Hive reads only ISO dates/timestamps; anything else is kept as text, as Glue's classifier does.
    if (type === 'date' && sniff.DateFormat && !ISO_DATE.has(sniff.DateFormat)) type = 'string';
    if (type === 'timestamp' && sniff.TimestampFormat && !ISO_TIMESTAMP.test(sniff.TimestampFormat)) type = 'string';
    return { name: normaliseName(c.name, i, sniff.HasHeader), type };
  });
  const unset = (v: string) => (v === '(empty)' ? '' : v);
  // A declared quote is echoed by the sniffer whether or not the sample quotes anything; like Glue's classifier
  // with Serde None, the SerDe still follows what the file holds, so an unquoted file keeps LazySimpleSerDe.
  const quoted = classifier?.quote === undefined || cut.includes(classifier.quote);
  return {
    readable: true,
    format: 'csv',
    compression,
    columns: inferred,
    csv: {
      delimiter: sniff.Delimiter,
      quote: quoted ? unset(sniff.Quote) : '',
      escape: unset(sniff.Escape),
      hasHeader: sniff.HasHeader,
      encoding,
    },
    averageRecordSize: Math.round(cut.length / lineCount(cut)),
  };
}

/** sniff_csv options fixing what a CSV classifier declares, each value a SQL literal. */
function classifierOptions(classifier: CsvClassifierDialect | undefined): string {
  if (!classifier) return '';
  const options: string[] = [];
  if (classifier.delimiter) options.push(`delim=${sqlString(classifier.delimiter)}`);
  if (classifier.quote) options.push(`quote=${sqlString(classifier.quote)}`);
  if (classifier.header !== 'UNKNOWN') options.push(`header=${classifier.header === 'PRESENT'}`);
  return options.map((o) => `, ${o}`).join('');
}

async function analyseJson(
  db: DuckDb,
  file: string,
  sample: Buffer,
  compression: 'none' | 'gzip',
  complete: boolean,
): Promise<FileAnalysis> {
  const isArray = sample
    .toString('utf8', 0, 64)
    .trimStart()
    .replace(/^\uFEFF/, '')
    .startsWith('[');
  // JSON lines can be sampled by lines; a JSON array can only be read whole.
  const describe = (target: string) =>
    db.queryJson<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM read_json(${sqlString(escapeGlob(target))}, format='auto')`,
    );
  const described =
    isArray && !complete
      ? await describe(file)
      : await withSampleFile(
          cutAtLineEnd(sample, complete),
          '.json',
          describe,
          directSample(file, complete, compression),
        );
  return {
    readable: true,
    format: 'json',
    compression,
    columns: described.map((d) => ({ name: d.column_name.toLowerCase(), type: duckToGlueType(d.column_type) })),
    averageRecordSize: Math.round(sample.length / lineCount(sample)),
  };
}

async function analyseParquet(db: DuckDb, file: string, size: number): Promise<FileAnalysis> {
  const described = await db.queryJson<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${sqlString(escapeGlob(file))})`,
  );
  const [{ n } = { n: '0' }] = await db.queryJson<{ n: string }>(
    `SELECT coalesce(sum(num_rows), 0)::BIGINT AS n FROM parquet_file_metadata(${sqlString(escapeGlob(file))})`,
  );
  const rows = Number(n);
  return {
    readable: true,
    format: 'parquet',
    compression: 'none',
    columns: described.map((d) => ({ name: d.column_name.toLowerCase(), type: duckToGlueType(d.column_type) })),
    averageRecordSize: rows > 0 ? Math.round(size / rows) : 0,
  };
}

/**
 * Classifies one file and infers its schema from a sample. Never throws for bad content: it reports why. A CSV
 * classifier's dialect, when the crawler has one, replaces the sniffer's guesses for a CSV file.
 */
export async function analyseFile(db: DuckDb, file: string, csv?: CsvClassifierDialect): Promise<FileAnalysis> {
  try {
    const { head, size, tail } = await readHead(file, SAMPLE_BYTES);
    if (size === 0) return { readable: false, reason: 'empty file' };
    const lower = file.toLowerCase();
    if (startsWithText(head, 'PAR1') || lower.endsWith('.parquet')) {
      if (size < 12 || !startsWithText(head, 'PAR1') || tail.toString('latin1') !== 'PAR1') {
        return { readable: false, reason: 'corrupt Parquet: missing PAR1 magic at the start or end' };
      }
      return await analyseParquet(db, file, size);
    }
    let sample = head;
    let compression: 'none' | 'gzip' = 'none';
    let complete = size <= SAMPLE_BYTES;
    if (isGzip(head)) {
      compression = 'gzip';
      try {
        // Z_SYNC_FLUSH lets a truncated gzip prefix decompress as far as it goes.
        const inflated = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
        complete = complete && inflated.length <= SAMPLE_BYTES;
        sample = inflated.subarray(0, SAMPLE_BYTES);
      } catch (error) {
        return { readable: false, reason: `corrupt gzip: ${errorMessage(error)}` };
      }
      if (sample.length === 0) return { readable: false, reason: 'empty file (after gzip)' };
    }
    if (looksBinary(sample)) return { readable: false, reason: 'binary content, not text' };
    const text = sample
      .toString('utf8', 0, 256)
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (text.startsWith('{') || text.startsWith('[')) return await analyseJson(db, file, sample, compression, complete);
    return await analyseCsv(db, file, sample, compression, complete, csv);
  } catch (error) {
    const message = errorMessage(error).split('\n')[0] ?? String(error);
    return { readable: false, reason: message };
  }
}
