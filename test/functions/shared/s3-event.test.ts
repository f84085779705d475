// S3 notification bodies and key decoding (functions/shared/s3-event.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeS3Key, encodeS3Key, parseS3Body } from '../../../functions/shared/s3-event';

function s3File(name: string): string {
  return readFileSync(path.join(__dirname, '../../../events/s3', `${name}.json`), 'utf8');
}

describe('decodeS3Key', () => {
  it.each([
    ['nov+2026/a+b.csv', 'nov 2026/a b.csv'],
    ['a%2Bb.csv', 'a+b.csv'],
    ['100%25.csv', '100%.csv'],
    ['year%3D2026/month%3D11/x.parquet', 'year=2026/month=11/x.parquet'],
    ['report+%28final%29.csv', 'report (final).csv'],
    ['M%C3%BCnchen.csv', 'M\u00fcnchen.csv'],
    ['%E6%9D%B1%E4%BA%AC.csv', '\u6771\u4eac.csv'],
    ['%F0%9F%93%88.csv', '\u{1F4C8}.csv'],
    ['plain/key-1_2.csv', 'plain/key-1_2.csv'],
  ])('decodes %s', (encoded, expected) => {
    // Act
    const key = decodeS3Key(encoded);

    // Assess
    expect(key).toBe(expected);
  });

  it('rejects a broken percent escape', () => {
    // Act
    const decode = () => decodeS3Key('bad%2.csv');

    // Assess
    expect(decode).toThrow(URIError);
  });
});

describe('parseS3Body', () => {
  it('reads an ObjectCreated:Put notification as S3 writes it', () => {
    // Act
    const parsed = parseS3Body(s3File('object-created-put'));

    // Assess
    expect(parsed).toEqual({
      kind: 'records',
      records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-11-23T22:14:05.312Z',
          bucket: 'lakepipe-raw-123456789012',
          key: 'raw/customer_transactions/2026/11/transactions-2026-11-23.csv',
          size: 52431,
          eTag: '9b2cf535f27731c974343645a3985328',
          sequencer: '00674281E5D1F3A2B4',
        },
      ],
    });
  });

  it('recognises the s3:TestEvent', () => {
    // Act
    const parsed = parseS3Body(s3File('test-event'));

    // Assess
    expect(parsed).toEqual({ kind: 'test-event', bucket: 'lakepipe-raw-123456789012' });
  });

  it('keeps delete events (no size, no eTag) so the caller can ignore them by name', () => {
    // Prepare
    const body = JSON.stringify({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectRemoved:Delete',
          eventTime: '2026-11-23T22:00:00.000Z',
          s3: { bucket: { name: 'b' }, object: { key: 'raw/x.csv', sequencer: '0A' } },
        },
      ],
    });

    // Act
    const parsed = parseS3Body(body);

    // Assess
    expect(parsed).toEqual({
      kind: 'records',
      records: [
        {
          eventName: 'ObjectRemoved:Delete',
          eventTime: '2026-11-23T22:00:00.000Z',
          bucket: 'b',
          key: 'raw/x.csv',
          sequencer: '0A',
        },
      ],
    });
  });

  it.each([
    ['not JSON', '{"Records": ['],
    ['JSON without Records', '{"hello":"world"}'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['a record that is not from S3', '{"Records":[{"eventSource":"aws:sqs"}]}'],
    [
      'ObjectCreated without size',
      '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","eventTime":"2026-11-23T22:00:00Z","s3":{"bucket":{"name":"b"},"object":{"key":"k.csv","eTag":"e"}}}]}',
    ],
    [
      'a bad eventTime',
      '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","eventTime":"yesterday","s3":{"bucket":{"name":"b"},"object":{"key":"k.csv","size":1,"eTag":"e"}}}]}',
    ],
    [
      'a key with a broken escape',
      '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","eventTime":"2026-11-23T22:00:00Z","s3":{"bucket":{"name":"b"},"object":{"key":"k%ZZ.csv","size":1,"eTag":"e"}}}]}',
    ],
  ])('calls %s malformed, with a reason', (_label, body) => {
    // Act
    const parsed = parseS3Body(body);

    // Assess
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason.length > 0).toBe(true);
  });
});

describe('encodeS3Key', () => {
  it.each([
    [
      'raw/customer_transactions/nov 2026/transactions (final).csv',
      'raw/customer_transactions/nov+2026/transactions+%28final%29.csv',
    ],
    ['raw/customer_transactions/a+b%c.csv', 'raw/customer_transactions/a%2Bb%25c.csv'],
    [
      'raw/customer_transactions/year=2026/month=11/part-0.parquet',
      'raw/customer_transactions/year%3D2026/month%3D11/part-0.parquet',
    ],
    [
      'raw/customer_transactions/M\u00fcnchen-\u6771\u4eac.csv',
      'raw/customer_transactions/M%C3%BCnchen-%E6%9D%B1%E4%BA%AC.csv',
    ],
  ])('encodes %s as in events/s3-sqs/encoded-keys.json', (key, encoded) => {
    // Act
    const result = encodeS3Key(key);

    // Assess
    expect(result).toBe(encoded);
    expect(decodeS3Key(result)).toBe(key);
  });
});
