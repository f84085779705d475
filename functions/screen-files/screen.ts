// Decides whether an arrived file can go on to the crawler and the job: not empty, readable as its
// format, and (for CSV and JSON lines) carrying the dataset's required columns. Extra columns are fine:
// the crawler merges them into the table.
import { gunzipSync } from 'node:zlib';
import type { CsvDialect } from './contract';
import type { FileDrift } from './drift';

/** How much of each file is read to judge it: the header and a few rows, never the whole object. */
export const SCREEN_BYTES = 64 * 1024;

/** A file accepted (with the drift its contract's `warn` policy found, if any) or refused with a reason. */
export type Verdict = { ok: true; drift?: FileDrift } | { ok: false; reason: string };

const PARQUET_MAGIC = 'PAR1';

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The head may end mid-character; drop an incomplete last line before decoding. */
function completeLines(bytes: Uint8Array, isWholeFile: boolean): Uint8Array {
  if (isWholeFile) return bytes;
  const lastNewline = bytes.lastIndexOf(0x0a);
  return lastNewline >= 0 ? bytes.subarray(0, lastNewline + 1) : bytes;
}

function gunzipHead(bytes: Uint8Array): Uint8Array | undefined {
  try {
    // A ranged read of a gzip file is a truncated stream: flush what inflates instead of demanding the end.
    return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  } catch {
    return undefined;
  }
}

const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

function splitCsvLine(line: string, delimiter: string, quote = '"'): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === quote) {
      if (quoted && line[i + 1] === quote) {
        cell += quote;
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** The delimiter that splits a CSV header line (quotes honoured) into the most columns. */
export function csvDelimiter(line: string): string {
  let best: { delimiter: string; cells: number } = { delimiter: ',', cells: 0 };
  for (const delimiter of CSV_DELIMITERS) {
    const cells = splitCsvLine(line, delimiter).length;
    if (cells > best.cells) best = { delimiter, cells };
  }
  return best.delimiter;
}

/** Splits one CSV header line (quotes honoured) with the dialect's delimiter, or the one giving the most columns. */
export function parseCsvHeader(line: string, dialect?: CsvDialect): string[] {
  const cells = dialect ? splitCsvLine(line, dialect.delimiter, dialect.quote) : splitCsvLine(line, csvDelimiter(line));
  return cells.map((c) => c.trim().toLowerCase());
}

/** The refusal for a CSV header without every required column, saying when another delimiter splits it. */
function csvHeaderVerdict(line: string, required: readonly string[], dialect?: CsvDialect): Verdict {
  const missing = missingColumns(parseCsvHeader(line, dialect), required);
  if (missing.length === 0) return { ok: true };
  const detected = csvDelimiter(line);
  const hint =
    dialect && detected !== dialect.delimiter && missingColumns(parseCsvHeader(line), required).length === 0
      ? ` (the header is delimited by ${JSON.stringify(detected)}; the contract says ${JSON.stringify(dialect.delimiter)})`
      : '';
  return { ok: false, reason: `missing columns: ${missing.join(', ')}${hint}` };
}

function missingColumns(found: string[], required: readonly string[]): string[] {
  const have = new Set(found);
  return required.filter((c) => !have.has(c.toLowerCase()));
}

/**
 * Judges a file from its first bytes. `size` is the object's full size; `head` at most SCREEN_BYTES of it. A CSV
 * header is split with the contract's dialect when one is given, else with the delimiter that splits it best.
 */
export function screenHead(
  key: string,
  size: number,
  head: Uint8Array,
  required: readonly string[],
  dialect?: CsvDialect,
): Verdict {
  const lower = key.toLowerCase();
  if (size === 0 || head.length === 0) return { ok: false, reason: 'empty file' };
  if (lower.endsWith('.parquet')) {
    const magic = Buffer.from(head.subarray(0, 4)).toString('latin1');
    return magic === PARQUET_MAGIC ? { ok: true } : { ok: false, reason: 'not a Parquet file (no PAR1 magic)' };
  }
  let bytes = head;
  const isWholeFile = head.length >= size;
  if (lower.endsWith('.gz')) {
    if (head[0] !== 0x1f || head[1] !== 0x8b) return { ok: false, reason: 'not a gzip file' };
    const inflated = gunzipHead(head);
    if (!inflated) return { ok: false, reason: 'corrupt gzip data' };
    if (inflated.length === 0) return { ok: false, reason: 'empty file' };
    bytes = inflated.subarray(0, SCREEN_BYTES);
  }
  if (bytes.includes(0)) return { ok: false, reason: 'binary data (NUL bytes) in a text file' };
  const text = decodeUtf8(completeLines(bytes, isWholeFile && !lower.endsWith('.gz')));
  if (text === undefined) return { ok: false, reason: 'not UTF-8 text' };
  const firstLine = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').trim();
  if (firstLine === '') return { ok: false, reason: 'no header line' };
  if (/\.jsonl?(\.gz)?$/.test(lower)) {
    let record: unknown;
    try {
      record = JSON.parse(firstLine);
    } catch {
      return { ok: false, reason: 'first line is not a JSON object' };
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return { ok: false, reason: 'first line is not a JSON object' };
    }
    const missing = missingColumns(
      Object.keys(record).map((k) => k.toLowerCase()),
      required,
    );
    return missing.length ? { ok: false, reason: `missing columns: ${missing.join(', ')}` } : { ok: true };
  }
  return csvHeaderVerdict(firstLine, required, dialect);
}
