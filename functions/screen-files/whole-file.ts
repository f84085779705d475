// After the head check: the checks that need the whole file, by format. A gzip file is inflated whole, a
// Parquet file's footer is read, and JSON lines and CSV are read through (inflated first when gzip) in ranged
// chunks, since damage past the head would otherwise make every later read of the dataset fail.
import { pipeline } from 'node:stream/promises';
import { chunks, GZIP_CHUNK_BYTES, type ReadRange, textRefusal, verifyGzip } from './gzip-check';
import { verifyParquetFooter } from './parquet-check';
import type { Verdict } from './screen';
import { checkingSink, csvQuotesCheck, jsonLinesCheck, type TextCheck, TextRefused } from './text-check';

function textCheckFor(lowerKey: string): TextCheck | undefined {
  if (/\.jsonl?(\.gz)?$/.test(lowerKey)) return jsonLinesCheck();
  if (/\.csv(\.gz)?$/.test(lowerKey)) return csvQuotesCheck();
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
): Promise<Verdict> {
  const lower = key.toLowerCase();
  if (lower.endsWith('.parquet')) return verifyParquetFooter(read, size);
  const check = textCheckFor(lower);
  if (lower.endsWith('.gz')) return verifyGzip(read, size, chunkBytes, check);
  return check ? verifyText(read, size, check, chunkBytes) : { ok: true };
}
