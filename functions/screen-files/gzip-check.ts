// Verifies a whole gzip object before anything of it is loaded: a file cut short or damaged in the middle
// inflates in part, and a reader that stops at the damage loads only the rows before it. The object is read
// in ranged chunks and inflated into nothing (or into a text check), so memory stays bounded whatever its size.

import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errorMessage } from '../shared/errors';
import type { Verdict } from './screen';
import { checkingSink, type TextCheck, TextRefused } from './text-check';

/** Bytes per ranged read: large enough for few requests, small enough for a Lambda's memory. */
export const GZIP_CHUNK_BYTES = 8 * 1024 * 1024;

/** Reads `[start, end]` (inclusive, as an HTTP Range) of the object. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

export async function* chunks(read: ReadRange, size: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < size; start += chunkBytes) {
    const chunk = await read(start, Math.min(start + chunkBytes, size) - 1);
    if (chunk.length === 0) return;
    yield chunk;
  }
}

/** The refusal of a text check, in the words every whole-file check uses. */
export function textRefusal(reason: string): Verdict {
  return { ok: false, reason: `${reason}; the whole file is refused` };
}

/**
 * Inflates the whole stream (every member) and reports the first damage, or ok when it ends cleanly. With a
 * check, the inflated text is checked as it streams past.
 */
export async function verifyGzip(
  read: ReadRange,
  size: number,
  chunkBytes = GZIP_CHUNK_BYTES,
  check?: TextCheck,
): Promise<Verdict> {
  const sink = check ? checkingSink(check) : new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(chunks(read, size, chunkBytes), createGunzip(), sink);
    return { ok: true };
  } catch (error) {
    if (error instanceof TextRefused) return textRefusal(error.reason);
    return { ok: false, reason: `damaged gzip data (${errorMessage(error)}); the whole file is refused` };
  }
}
