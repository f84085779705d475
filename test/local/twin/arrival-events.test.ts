import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { parseS3Body } from '../../../functions/shared/s3-event';
import { nextSequencer, sqsEvents, sqsRecord } from '../../../local/twin/arrival-events';

const captured = JSON.parse(
  readFileSync(path.join(__dirname, '../../../events/s3-sqs/object-created-put.json'), 'utf8'),
) as SQSEvent;

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keysOf(v, `${prefix}${k}.`)]);
}

const object = (key: string) => ({
  bucket: 'lakepipe-raw',
  key,
  size: 10,
  eTag: 'd41d8cd98f00b204e9800998ecf8427e',
  sequencer: '00AB',
  eventTime: new Date('2026-11-24T01:02:03.456Z'),
});

describe('arrival events', () => {
  it('has the same fields as an SQS message carrying a captured S3 notification', () => {
    const record = sqsRecord([object('raw/customer_transactions/a.csv')]);
    const capturedRecord = captured.Records[0];

    expect(keysOf(record).sort()).toEqual(keysOf(capturedRecord).sort());
    expect(keysOf(JSON.parse(record.body)).sort()).toEqual(keysOf(JSON.parse(capturedRecord?.body ?? '{}')).sort());
  });

  it.each([
    'raw/customer_transactions/day one.csv',
    'raw/customer_transactions/a+b.csv',
    'raw/customer_transactions/100%.csv',
    'raw/customer_transactions/k=v/x.csv',
    'raw/customer_transactions/(copy) 2.csv',
    'raw/customer_transactions/kundenumsätze_日本.csv',
  ])('encodes %s so that the arrival Lambda decodes the same key', (key) => {
    const record = sqsRecord([object(key)]);
    const parsed = parseS3Body(record.body);

    expect(parsed).toMatchObject({ kind: 'records' });
    const decoded = parsed.kind === 'records' ? parsed.records.map((r) => r.key) : [];
    expect(decoded).toEqual([key]);
  });

  it('encodes a space as + and keeps slashes in the notification, like S3', () => {
    const body = JSON.parse(sqsRecord([object('raw/a b/c+d.csv')]).body);
    expect(body.Records[0].s3.object.key).toBe('raw/a+b/c%2Bd.csv');
  });

  it('batches one message per object, at most batchSize per event', () => {
    const objects = Array.from({ length: 23 }, (_, i) => object(`raw/customer_transactions/${i}.csv`));
    const events = sqsEvents(objects, 10);
    expect(events.map((e) => e.Records.length)).toEqual([10, 10, 3]);
    expect(new Set(events.flatMap((e) => e.Records.map((r) => r.messageId))).size).toBe(23);
  });

  it('issues sequencers that only grow', () => {
    const a = nextSequencer(1000);
    const b = nextSequencer(1000);
    const c = nextSequencer(999);
    expect(BigInt(`0x${b}`)).toBeGreaterThan(BigInt(`0x${a}`));
    expect(BigInt(`0x${c}`)).toBeGreaterThan(BigInt(`0x${b}`));
  });
});
