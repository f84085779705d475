import { gzipSync } from 'node:zlib';
import { parseCsvHeader, SCREEN_BYTES, screenHead } from '../../../functions/screen-files/screen';

const REQUIRED = ['transaction_id', 'customer_id', 'transaction_amount', 'transaction_date'];
const good = 'transaction_id,customer_id,transaction_amount,transaction_date\nT1,C1,10.00,2024-01-01\n';
const bytes = (s: string) => new TextEncoder().encode(s);
const judge = (key: string, data: Uint8Array, size = data.length) => screenHead(key, size, data, REQUIRED);

describe('screenHead', () => {
  it('accepts a CSV with the required columns, in any order and case, with extra columns', () => {
    expect(judge('a.csv', bytes(good))).toEqual({ ok: true });
    expect(judge('a.csv', bytes('Customer_ID,extra,TRANSACTION_ID,transaction_date,transaction_amount\n'))).toEqual({
      ok: true,
    });
  });

  it('accepts valid but unusual CSV: UTF-8 BOM, CRLF, quoted header cells, semicolons', () => {
    expect(judge('a.csv', bytes(`\uFEFF${good.replace(/\n/g, '\r\n')}`))).toEqual({ ok: true });
    expect(judge('a.csv', bytes('"transaction_id","customer_id","transaction_amount","transaction_date"\n'))).toEqual({
      ok: true,
    });
    expect(judge('a.csv', bytes('transaction_id;customer_id;transaction_amount;transaction_date\n'))).toEqual({
      ok: true,
    });
  });

  it('names the missing columns', () => {
    expect(judge('a.csv', bytes('transaction_id,amount,date\nT1,1,2\n'))).toEqual({
      ok: false,
      reason: 'missing columns: customer_id, transaction_amount, transaction_date',
    });
  });

  it('rejects empty files, binary junk with a .csv name and non-UTF-8 text', () => {
    expect(judge('a.csv', new Uint8Array(), 0)).toEqual({ ok: false, reason: 'empty file' });
    expect(judge('a.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))).toMatchObject({ ok: false });
    expect(judge('a.csv', new Uint8Array([0x74, 0xff, 0xfe, 0x0a]))).toEqual({ ok: false, reason: 'not UTF-8 text' });
  });

  it('does not mistake a multi-byte character cut at the end of the head for bad UTF-8', () => {
    const text = `${good}${'é'.repeat(SCREEN_BYTES)}`;
    const head = bytes(text).subarray(0, SCREEN_BYTES + 1);
    expect(judge('a.csv', head, bytes(text).length)).toEqual({ ok: true });
  });

  it('reads the head of gzip CSV, also when the ranged read cut the stream', () => {
    const gz = gzipSync(Buffer.from(good.repeat(5000)));
    expect(judge('a.csv.gz', gz)).toEqual({ ok: true });
    expect(judge('a.csv.gz', gz.subarray(0, 200), gz.length)).toEqual({ ok: true });
    expect(judge('a.csv.gz', bytes('plain text'))).toEqual({ ok: false, reason: 'not a gzip file' });
  });

  it('checks Parquet by its magic number and JSON lines by the keys of the first record', () => {
    expect(judge('a.parquet', bytes('PAR1....'))).toEqual({ ok: true });
    expect(judge('a.parquet', bytes('transaction_id,x'))).toMatchObject({ ok: false });
    const line = JSON.stringify({
      transaction_id: 'T1',
      customer_id: 'C',
      transaction_amount: 1,
      transaction_date: 'd',
    });
    expect(judge('a.jsonl', bytes(`${line}\n`))).toEqual({ ok: true });
    expect(judge('a.jsonl', bytes('{"transaction_id":"T1"}\n'))).toMatchObject({
      ok: false,
      reason: /missing columns/,
    });
    expect(judge('a.json', bytes('[1,2]\n'))).toEqual({ ok: false, reason: 'first line is not a JSON object' });
  });
});

describe('parseCsvHeader', () => {
  it('honours quotes and picks the delimiter that splits the line', () => {
    expect(parseCsvHeader('"a,b",c')).toEqual(['a,b', 'c']);
    expect(parseCsvHeader('a\tb\tc')).toEqual(['a', 'b', 'c']);
    expect(parseCsvHeader(' A ,"B ""x"""')).toEqual(['a', 'b "x"']);
  });
});
