// After the head check: the checks that need the whole file, by format. A gzip file is inflated whole, a
// Parquet file's footer is read, and JSON lines and CSV are read through (inflated first when gzip) in ranged
// chunks, since damage past the head would otherwise make every later read of the dataset fail.
import { pipeline } from 'node:stream/promises';
import { type CsvDialect, jsonText } from './contract';
import { csvRecordsCheck } from './csv-records';
import type { ContractCheck } from './drift';
import { chunks, GZIP_CHUNK_BYTES, type ReadRange, textRefusal, verifyGzip } from './gzip-check';
import { verifyParquetFooter } from './parquet-check';
import type { Verdict } from './screen';
import {
  checkingSink,
  csvQuotesCheck,
  type JsonRecordCheck,
  jsonLinesCheck,
  MAX_JSON_LINE_BYTES,
  type TextCheck,
  TextRefused,
} from './text-check';

/** What the contract adds to the whole-file pass: the CSV dialect, and the schema-change policy's check. */
export interface WholeFileContract {
  dialect?: CsvDialect;
  /** Present under `strict` and `warn`: every record is checked against the contract in the same pass. */
  check?: ContractCheck;
}

/** Two checks fed the same bytes; the first refusal wins. */
function both(a: TextCheck, b: TextCheck): TextCheck {
  return { write: (bytes) => a.write(bytes) ?? b.write(bytes), end: () => a.end() ?? b.end() };
}

/** A JSON-lines record against the contract: its keys, then every contract column (absent is NULL). */
function jsonRecordCheck(check: ContractCheck): JsonRecordCheck {
  return (record, line) => {
    const values = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
    return (
      check.columns([...values.keys()], line) ??
      check.eachColumn((name) => check.value(name, jsonText(values.get(name) ?? null), line))
    );
  };
}

function textCheckFor(lowerKey: string, contract: WholeFileContract): TextCheck | undefined {
  const { dialect, check } = contract;
  if (/\.jsonl?(\.gz)?$/.test(lowerKey)) {
    return jsonLinesCheck(MAX_JSON_LINE_BYTES, check ? jsonRecordCheck(check) : undefined);
  }
  if (/\.csv(\.gz)?$/.test(lowerKey)) {
    const quotes = csvQuotesCheck(dialect);
    return check ? both(quotes, csvRecordsCheck(dialect ?? { delimiter: ',', quote: '"' }, check)) : quotes;
  }
  return undefined;
}

/** Reads a plain text file through the check. */
export async function verifyText(
  read: ReadRange,
  size: number,
  check: TextCheck,
  chunkBytes = GZIP_CHUNK_BYTES,
): Promise<Verdict> {
  try {
    await pipeline(chunks(read, size, chunkBytes), checkingSink(check));
    return { ok: true };
  } catch (error) {
    if (error instanceof TextRefused) return textRefusal(error.reason);
    throw error;
  }
}

export async function verifyWholeFile(
  key: string,
  read: ReadRange,
  size: number,
  chunkBytes = GZIP_CHUNK_BYTES,
  contract: WholeFileContract = {},
): Promise<Verdict> {
  const lower = key.toLowerCase();
  if (lower.endsWith('.parquet')) return verifyParquetFooter(read, size, contract.check);
  const check = textCheckFor(lower, contract);
  if (lower.endsWith('.gz')) return verifyGzip(read, size, chunkBytes, check);
  return check ? verifyText(read, size, check, chunkBytes) : { ok: true };
}
