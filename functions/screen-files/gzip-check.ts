// Verifies a whole gzip object before anything of it is loaded: a file cut short or damaged in the middle
// inflates in part, and a reader that stops at the damage loads only the rows before it. The object is read
// in ranged chunks and inflated into nothing, so memory stays bounded whatever its size.

import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errorMessage } from '../shared/errors';
import type { Verdict } from './screen';

/** Bytes per ranged read: large enough for few requests, small enough for a Lambda's memory. */
export const GZIP_CHUNK_BYTES = 8 * 1024 * 1024;

/** Reads `[start, end]` (inclusive, as an HTTP Range) of the object. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

async function* chunks(read: ReadRange, size: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < size; start += chunkBytes) {
    const chunk = await read(start, Math.min(start + chunkBytes, size) - 1);
    if (chunk.length === 0) return;
    yield chunk;
  }
}

/** Inflates the whole stream (every member) and reports the first damage, or ok when it ends cleanly. */
export async function verifyGzip(read: ReadRange, size: number, chunkBytes = GZIP_CHUNK_BYTES): Promise<Verdict> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(chunks(read, size, chunkBytes), createGunzip(), discard);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `damaged gzip data (${errorMessage(error)}); the whole file is refused` };
  }
}
