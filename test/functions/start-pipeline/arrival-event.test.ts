// Telling apart what AWS delivers to the arrival Lambda (functions/start-pipeline/arrival-event.ts), on the test
// events AWS's own libraries ship (events/README.md names each source).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArrivalEvent, parseSqsRecord } from '../../../functions/start-pipeline/arrival-event';
import { loadEvent } from './support';

function eventFile(file: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, '../../../events', file), 'utf8'));
}

const POWERTOOLS_PUT = {
  eventName: 'ObjectCreated:Put',
  eventTime: '2023-04-12T20:43:38.021Z',
  bucket: 'xxx',
  key: 'test.pdf',
  size: 104681,
  eTag: '2e3ad1e983318bbd8e73b080e2997980',
  sequencer: '00643717F9F8B85354',
};

const EVENTBRIDGE_CREATED = {
  eventName: 'ObjectCreated:Put',
  eventTime: '2023-03-08T17:50:14Z',
  bucket: 'example-bucket',
  key: 'IMG_m7fzo3.jpg',
  size: 184662,
  eTag: '4e68adba0abe2dc8653dc3354e14c01d',
  sequencer: '006408CAD69598B05E',
};

describe('parseArrivalEvent', () => {
  it('reads S3 notifications inside SQS messages, each tagged with its message id', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('s3-sqs/powertools-put.json'));

    // Assess
    expect(arrival.source).toBe('sqs');
    expect(arrival.messages).toEqual([
      {
        kind: 'records',
        messageId: 'ca3e7a89-c358-40e5-8aa0-5da01403c267',
        records: [{ messageId: 'ca3e7a89-c358-40e5-8aa0-5da01403c267', notification: POWERTOOLS_PUT }],
      },
    ]);
  });

  it('reads a raw S3 notification, as S3 invokes a Lambda directly', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('s3/aws-lambda-go-put.json'));

    // Assess
    expect(arrival.source).toBe('s3');
    expect(arrival.messages).toHaveLength(1);
    const [message] = arrival.messages;
    expect(message?.kind === 'records' && message.records.map((r) => r.notification)).toEqual([
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '1970-01-01T00:00:00.123Z',
        bucket: 'sourcebucket',
        key: 'HappyFace.jpg',
        size: 1024,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: 'Happy Sequencer',
      },
    ]);
  });

  it('reads a raw s3:TestEvent as a test event', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('s3/test-event.json'));

    // Assess
    expect(arrival.messages.map((m) => m.kind)).toEqual(['test-event']);
  });

  it('reads an EventBridge Object Created event from S3, named by its event id', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('eventbridge/object-created.json'));

    // Assess
    expect(arrival.source).toBe('eventbridge');
    expect(arrival.messages).toEqual([
      {
        kind: 'records',
        messageId: 'f5f1e65c-dc3a-93ca-6c1e-b1647eac7963',
        records: [{ messageId: 'f5f1e65c-dc3a-93ca-6c1e-b1647eac7963', notification: EVENTBRIDGE_CREATED }],
      },
    ]);
  });

  it('reads an EventBridge Object Deleted event under its detail-type, for the planner to ignore', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('eventbridge/object-deleted.json'));

    // Assess
    const [message] = arrival.messages;
    expect(message?.kind === 'records' && message.records[0]?.notification.eventName).toBe('Object Deleted');
  });

  it('reads EventBridge events delivered through an SQS queue', () => {
    // Act
    const arrival = parseArrivalEvent(eventFile('eventbridge-sqs/object-created.json'));

    // Assess
    expect(arrival.source).toBe('sqs');
    const [message] = arrival.messages;
    expect(message?.kind === 'records' && message.records.map((r) => r.notification)).toEqual([EVENTBRIDGE_CREATED]);
  });

  it.each([
    ['a malformed SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, /^SQS event: .*messageId/],
    [
      'an EventBridge event from another source',
      { ...(eventFile('eventbridge/object-created.json') as object), source: 'aws.ec2' },
      /not aws\.s3/,
    ],
    [
      'a malformed S3 notification',
      { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' }] },
      /Records\[0\]/,
    ],
    ['anything else', { detail: {} }, /^expected an SQS event of S3 notifications.*got an object with keys detail/],
    ['null', null, /got null/],
  ])('refuses %s that it cannot read with InvalidEventError naming what was expected', (_label, event, message) => {
    // Act
    const parse = () => parseArrivalEvent(event);

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({ name: 'InvalidEventError', message: expect.stringMatching(message) }),
    );
    expect(parse).toThrow(/EventBridge event from S3/);
  });
});

describe('parseSqsRecord', () => {
  it('tags every notification with its message id', () => {
    // Prepare
    const record = loadEvent('several-records').Records[0];

    // Act
    const parsed = record === undefined ? undefined : parseSqsRecord(record);

    // Assess
    expect(parsed?.kind).toBe('records');
    if (parsed?.kind === 'records') {
      expect(parsed.records).toHaveLength(3);
      expect(new Set(parsed.records.map((r) => r.messageId))).toEqual(new Set([record?.messageId]));
    }
  });
});
