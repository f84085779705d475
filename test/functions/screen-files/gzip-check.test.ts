// Whole-stream gzip verification (functions/screen-files/gzip-check.ts): read in ranges, inflated into nothing.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { verifyGzip } from '../../../functions/screen-files/gzip-check';

const csv = (rows: number) =>
  `transaction_id,customer_id\n${Array.from({ length: rows }, (_, i) => `T${i},C${i % 97}`).join('\n')}\n`;

/** A ranged reader over bytes that records each range asked for. */
function reader(data: Uint8Array) {
  const ranges: Array<[number, number]> = [];
  const read = async (start: number, end: number) => {
    ranges.push([start, end]);
    return data.subarray(start, end + 1);
  };
  return { read, ranges };
}

describe('verifyGzip', () => {
  it('accepts a whole gzip stream, read in bounded ranges that cover it exactly once', async () => {
    // Prepare
    const gz = gzipSync(Buffer.concat([Buffer.from(csv(20_000)), randomBytes(50_000)]));
    const { read, ranges } = reader(gz);

    // Act
    const verdict = await verifyGzip(read, gz.length, 64 * 1024);

    // Assess
    expect(verdict).toEqual({ ok: true });
    expect(ranges.length).toBe(Math.ceil(gz.length / (64 * 1024)));
    expect(ranges.every(([start, end]) => end - start + 1 <= 64 * 1024)).toBe(true);
    expect(ranges.at(-1)?.[1]).toBe(gz.length - 1);
  });

  it('accepts a multi-member gzip file (concatenated streams, as gzip allows)', async () => {
    // Prepare
    const gz = Buffer.concat([gzipSync(csv(100)), gzipSync(csv(100))]);

    // Act
    const verdict = await verifyGzip(reader(gz).read, gz.length);

    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it('refuses a stream cut at 60%, whose head inflates fine', async () => {
    // Prepare
    const whole = gzipSync(Buffer.concat([Buffer.from(csv(2000)), randomBytes(20_000)]));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));

    // Act
    const verdict = await verifyGzip(reader(cut).read, cut.length, 4096);

    // Assess
    expect(verdict).toEqual({
      ok: false,
      reason: 'damaged gzip data (unexpected end of file); the whole file is refused',
    });
  });

  it('refuses a stream damaged in the middle', async () => {
    // Prepare
    const gz = Buffer.from(gzipSync(Buffer.concat([Buffer.from(csv(2000)), randomBytes(20_000)])));
    gz.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 64);

    // Act
    const verdict = await verifyGzip(reader(gz).read, gz.length, 4096);

    // Assess
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/^damaged gzip data \(.+\)/) });
  });

  it('refuses an object shorter than its announced size', async () => {
    // Prepare
    const gz = gzipSync(csv(2000));
    const cut = gz.subarray(0, gz.length - 10);

    // Act
    const verdict = await verifyGzip(reader(cut).read, gz.length, 1024);

    // Assess
    expect(verdict).toMatchObject({ ok: false });
  });
});
