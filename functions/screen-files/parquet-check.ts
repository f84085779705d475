// Verifies a Parquet file's footer before anything of it is loaded: a file cut short has no magic at its end
// and no reader can open it, so it would fail every later read of the dataset. Reads the last 8 bytes only, and the
// footer itself when a contract's policy is checked against the file's schema.
import type { ContractCheck } from './drift';
import type { ReadRange } from './gzip-check';
import { ParquetFooterError, parquetColumns } from './parquet-schema';
import type { Verdict } from './screen';

const MAGIC = 'PAR1';
/** The footer's length (4 bytes, little-endian) and the closing magic. */
const TAIL_BYTES = 8;

function damaged(why: string): Verdict {
  return { ok: false, reason: `damaged Parquet file (${why}); the whole file is refused` };
}

/** A Parquet file is "PAR1", the data, the footer, the footer's length and "PAR1" again. */
export async function verifyParquetFooter(read: ReadRange, size: number, check?: ContractCheck): Promise<Verdict> {
  if (size < MAGIC.length + TAIL_BYTES) return damaged(`${size} bytes, too short for a Parquet file`);
  const tail = Buffer.from(await read(size - TAIL_BYTES, size - 1));
  if (tail.length < TAIL_BYTES) return damaged('the object is shorter than its announced size');
  if (tail.toString('latin1', 4, 8) !== MAGIC) return damaged('no PAR1 magic at the end: cut short or not whole');
  const footer = tail.readUInt32LE(0);
  if (footer === 0 || footer > size - MAGIC.length - TAIL_BYTES) {
    return damaged(`a footer of ${footer} bytes does not fit in a file of ${size} bytes`);
  }
  if (!check) return { ok: true };
  const start = size - TAIL_BYTES - footer;
  try {
    const { columns, rows } = parquetColumns(await read(start, size - TAIL_BYTES - 1));
    const reason = check.parquetColumns(columns, rows);
    return reason === undefined ? { ok: true } : { ok: false, reason };
  } catch (error) {
    if (error instanceof ParquetFooterError) return damaged(error.message);
    throw error;
  }
}
