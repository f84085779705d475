// Builds the events AWS would deliver for objects that landed: S3 ObjectCreated:Put notification records,
// batched into SQS messages, shaped exactly like the real ones (events/s3-sqs/ holds captured examples).
import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeS3Key } from '../../functions/shared/s3-event';
import { DEPLOYMENT, LOCAL_ACCOUNT, LOCAL_REGION } from './config';

export interface LandedObject {
  bucket: string;
  key: string;
  size: number;
  /** MD5 hex without quotes, as S3 puts it in notifications. */
  eTag: string;
  sequencer: string;
  eventTime: Date;
}

let lastSequencer = 0n;

/** S3 sequencers are hex strings that grow for each event on a key; a monotonic clock-based one does. */
export function nextSequencer(now = Date.now()): string {
  const candidate = BigInt(now) * 1_000_000n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export function s3NotificationRecord(object: LandedObject) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: LOCAL_REGION,
    eventTime: object.eventTime.toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:LAKEPIPELOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase() },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'lakepipe-raw-arrivals',
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: 'LAKEPIPELOCAL' },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: { key: encodeS3Key(object.key), size: object.size, eTag: object.eTag, sequencer: object.sequencer },
    },
  };
}

export function sqsRecord(objects: LandedObject[], now = new Date()): SQSRecord {
  const body = JSON.stringify({ Records: objects.map(s3NotificationRecord) });
  const sent = String(now.getTime());
  return {
    messageId: randomUUID(),
    receiptHandle: Buffer.from(randomUUID()).toString('base64'),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: sent,
      SenderId: 'AIDALAKEPIPELOCAL',
      ApproximateFirstReceiveTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${DEPLOYMENT.names.queue}`,
    awsRegion: LOCAL_REGION,
  };
}

/** One SQS message per object, as S3 sends them, in batches of at most `batchSize` like the Lambda trigger. */
export function sqsEvents(objects: LandedObject[], batchSize = 10, now = new Date()): SQSEvent[] {
  const events: SQSEvent[] = [];
  for (let i = 0; i < objects.length; i += batchSize) {
    events.push({ Records: objects.slice(i, i + batchSize).map((o) => sqsRecord([o], now)) });
  }
  return events;
}
