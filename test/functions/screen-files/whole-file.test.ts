// Whole-file checks after the head (functions/screen-files/whole-file.ts, text-check.ts, parquet-check.ts):
// JSON lines, CSV quotes and Parquet footers, read in ranges with bounded memory.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { verifyParquetFooter } from '../../../functions/screen-files/parquet-check';
import { SCREEN_BYTES } from '../../../functions/screen-files/screen';
import { jsonLinesCheck } from '../../../functions/screen-files/text-check';
import { verifyText, verifyWholeFile } from '../../../functions/screen-files/whole-file';

/** A ranged reader over bytes that records each range asked for. */
function reader(data: Uint8Array) {
  const ranges: Array<[number, number]> = [];
  const read = async (start: number, end: number) => {
    ranges.push([start, end]);
    return data.subarray(start, end + 1);
  };
  return { read, ranges };
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

const record = (i: number) =>
  JSON.stringify({ transaction_id: `T${i}`, customer_id: `C${i % 50}`, transaction_amount: '10.00' });

/** JSON lines well past the head, then `tail`. */
function jsonl(tail: string): Buffer {
  const lines = Array.from({ length: 2000 }, (_, i) => record(i));
  return bytes(`${lines.join('\n')}\n${tail}`);
}

const csvHeader = 'transaction_id,customer_id,transaction_amount,transaction_date';
/** CSV rows well past the head, then `tail`. */
function csv(tail: string, header = csvHeader): Buffer {
  const rows = Array.from({ length: 4000 }, (_, i) => `T${i},C${i % 50},10.00,2025-06-01`);
  return bytes(`${header}\n${rows.join('\n')}\n${tail}`);
}

async function judge(key: string, data: Uint8Array, chunkBytes = 4096) {
  return verifyWholeFile(key, reader(data).read, data.length, chunkBytes);
}

describe('JSON lines', () => {
  it('accepts every line an object, with a BOM, CRLF, blank lines and no newline at the end, in any chunking', async () => {
    // Prepare
    const data = bytes(`\uFEFF${record(1)}\r\n\r\n  \n${record(2)}\n${record(3)}`);

    // Act
    const verdicts = await Promise.all([1, 3, 7, 4096].map((chunk) => judge('a.jsonl', data, chunk)));

    // Assess
    expect(verdicts).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
  });

  it('refuses the whole file for one object cut short past the head, naming the line', async () => {
    // Prepare: line 2001 of 2003 is cut; the head (first 64 KiB) is all good lines.
    const data = jsonl(`{"transaction_id":"T2000","custo\n${record(2001)}\n${record(2002)}\n`);
    expect(data.indexOf('"custo\n')).toBeGreaterThan(SCREEN_BYTES);

    // Act
    const verdict = await judge('raw/x/broken.jsonl', data);

    // Assess
    expect(verdict).toEqual({
      ok: false,
      reason: 'line 2001 is not valid JSON (cut short or malformed); the whole file is refused',
    });
  });

  it.each([
    ['an array', '[1,2]\n'],
    ['a number', '42\n'],
    ['a string', '"text"\n'],
    ['null', 'null\n'],
  ])('refuses a line that is %s', async (_what, line) => {
    // Act
    const verdict = await judge('a.json', jsonl(line));

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'line 2001 is not a JSON object; the whole file is refused' });
  });

  it('refuses a last line cut short without a newline, and bytes that are not UTF-8', async () => {
    // Act
    const cut = await judge('a.jsonl', jsonl('{"transaction_id":"T2000"'));
    const latin1 = await judge('a.jsonl', Buffer.concat([jsonl(''), Buffer.from([0x7b, 0xe9, 0x7d, 0x0a])]));

    // Assess
    expect(cut).toMatchObject({ ok: false, reason: expect.stringContaining('line 2001 is not valid JSON') });
    expect(latin1).toMatchObject({ ok: false, reason: expect.stringContaining('line 2001 is not UTF-8 text') });
  });

  it('refuses a line longer than the bound as soon as it passes it, without reading the rest', async () => {
    // Prepare
    const data = bytes(`${record(1)}\n{"a":"${'x'.repeat(100_000)}"}\n`);
    const { read, ranges } = reader(data);

    // Act
    const verdict = await verifyText(read, data.length, jsonLinesCheck(10_000), 4096);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'line 2 is longer than 10000 bytes; the whole file is refused' });
    expect(ranges.length).toBeLessThan(5);
  });

  it('checks the inflated lines of a .jsonl.gz', async () => {
    // Act
    const good = await judge('a.jsonl.gz', gzipSync(jsonl('')));
    const bad = await judge('a.jsonl.gz', gzipSync(jsonl('{"a":\n')));

    // Assess
    expect(good).toEqual({ ok: true });
    expect(bad).toEqual({
      ok: false,
      reason: 'line 2001 is not valid JSON (cut short or malformed); the whole file is refused',
    });
  });
});

describe('CSV quotes', () => {
  it('accepts balanced quotes: quoted delimiters and newlines, doubled quotes, a literal quote inside a field', async () => {
    // Prepare
    const data = csv(
      [
        'U1,"C1, ""the"" one",10.00,2025-06-01',
        'U2,"C2\r\nsecond line",20.00,2025-06-01',
        'U3,C3 24" monitor,30.00,2025-06-01',
        'U4,ab"c"d,40.00,2025-06-01',
        '"U5",C5,50.00,""',
      ].join('\r\n'),
      `\uFEFF"transaction_id","customer_id",transaction_amount,transaction_date`,
    );

    // Act
    const verdicts = await Promise.all([1, 2, 5, 4096].map((chunk) => judge('a.csv', data, chunk)));

    // Assess
    expect(verdicts).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
  });

  it('refuses the whole file for a quoted field left open past the head, naming the line it opens on', async () => {
    // Prepare
    const data = csv('T4000,"C1,10.00,2025-06-01\nT4001,C2,10.00,2025-06-01\n');
    expect(data.indexOf('"C1,')).toBeGreaterThan(SCREEN_BYTES);

    // Act
    const verdict = await judge('raw/x/open.csv', data);

    // Assess
    expect(verdict).toEqual({
      ok: false,
      reason: 'a quoted field opened on line 4002 is never closed; the whole file is refused',
    });
  });

  it('does not take a doubled quote for the closing one, in any chunking', async () => {
    // Prepare
    const data = bytes(`${csvHeader}\nT1,"C1 ""x"",10.00,2025-06-01\nT2,C2,20.00,2025-06-01\n`);

    // Act
    const verdicts = await Promise.all([1, 2, 3, 4096].map((chunk) => judge('a.csv', data, chunk)));

    // Assess
    const open = { ok: false, reason: 'a quoted field opened on line 2 is never closed; the whole file is refused' };
    expect(verdicts).toEqual([open, open, open, open]);
  });

  it('takes the delimiter from the header: a quote after a semicolon opens a field', async () => {
    // Prepare
    const header = 'transaction_id;customer_id;transaction_amount;transaction_date';
    const open = bytes(`${header}\nT1;"C1;10.00;2025-06-01\n`);
    const literal = bytes(`${header}\nT1,"C1;C2;10.00;2025-06-01\n`);

    // Act
    const verdicts = [await judge('a.csv', open, 7), await judge('a.csv', literal, 7)];

    // Assess
    expect(verdicts).toEqual([
      { ok: false, reason: 'a quoted field opened on line 2 is never closed; the whole file is refused' },
      { ok: true },
    ]);
  });

  it('checks the inflated text of a .csv.gz', async () => {
    // Act
    const verdict = await judge('a.csv.gz', gzipSync(csv('T4000,"C1,10.00,2025-06-01\n')));

    // Assess
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('opened on line 4002') });
  });
});

describe('Parquet footer', () => {
  /** "PAR1", data, a footer of `footer` bytes, its length, "PAR1". */
  function parquet(data: number, footer: number, declared = footer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(declared);
    return Buffer.concat([bytes('PAR1'), Buffer.alloc(data, 7), Buffer.alloc(footer, 9), length, bytes('PAR1')]);
  }

  it('accepts a whole file, reading only its last 8 bytes', async () => {
    // Prepare
    const file = parquet(100_000, 500);
    const { read, ranges } = reader(file);

    // Act
    const verdict = await verifyParquetFooter(read, file.length);

    // Assess
    expect(verdict).toEqual({ ok: true });
    expect(ranges).toEqual([[file.length - 8, file.length - 1]]);
  });

  it.each([
    [
      'cut in half',
      parquet(100_000, 500).subarray(0, 50_000),
      'damaged Parquet file (no PAR1 magic at the end: cut short or not whole); the whole file is refused',
    ],
    [
      'whose footer length runs past its start',
      parquet(10, 20, 5000),
      'damaged Parquet file (a footer of 5000 bytes does not fit in a file of 42 bytes); the whole file is refused',
    ],
    [
      'with a zero footer length',
      parquet(10, 20, 0),
      'damaged Parquet file (a footer of 0 bytes does not fit in a file of 42 bytes); the whole file is refused',
    ],
    [
      'shorter than a header and a footer',
      bytes('PAR1PAR1'),
      'damaged Parquet file (8 bytes, too short for a Parquet file); the whole file is refused',
    ],
  ])('refuses a file %s', async (_what, file, reason) => {
    // Act
    const verdict = await judge('raw/x/a.parquet', file);

    // Assess
    expect(verdict).toEqual({ ok: false, reason });
  });
});

describe('the messy fixtures of the local-service tests', () => {
  const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/data', name));

  it.each(['messy.csv', 'quoted.csv', 'latin1.csv', 'events.jsonl'])(
    'accepts %s (valid if unusual) in any chunking',
    async (name) => {
      // Act
      const verdicts = await Promise.all([1, 5, 4096].map((chunk) => judge(name, fixture(name), chunk)));

      // Assess
      expect(verdicts).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    },
  );

  it('refuses corrupt.parquet, a Parquet magic and garbage', async () => {
    // Act
    const verdict = await judge('corrupt.parquet', fixture('corrupt.parquet'));

    // Assess
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('no PAR1 magic at the end') });
  });
});
