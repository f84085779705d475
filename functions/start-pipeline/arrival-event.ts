// What AWS can deliver to the arrival Lambda, told apart and parsed: an SQS batch (of S3 notifications,
// s3:TestEvents or EventBridge S3 events), a raw S3 notification, or an EventBridge S3 event. Anything else
// is a wiring mistake, refused with InvalidEventError naming what was expected.
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSRecord } from 'aws-lambda';
import { InvalidEventError } from '../shared/errors';
import { parseEvent } from '../shared/parse-event';
import { isEventBridgeShaped, type ParsedBody, parseS3Body, parseS3Json } from '../shared/s3-event';
import type { ArrivedRecord } from './plan';

export const EXPECTED_EVENTS =
  'an SQS event of S3 notifications, an S3 notification (Records[].eventSource "aws:s3") ' +
  'or an EventBridge event from S3 (source "aws.s3")';

export type ArrivalSource = 'sqs' | 's3' | 'eventbridge';

/** One delivered message: an SQS message, or the whole event when S3 or EventBridge invoked directly. */
export type ParsedMessage =
  | { kind: 'records'; messageId: string; records: ArrivedRecord[] }
  | { kind: 'test-event'; messageId: string; bucket: string }
  | { kind: 'malformed'; messageId: string; reason: string };

export interface ArrivalEvent {
  source: ArrivalSource;
  messages: ParsedMessage[];
}

function firstRecordSource(event: unknown): unknown {
  if (typeof event !== 'object' || event === null) return undefined;
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) return undefined;
  const first: unknown = records[0];
  return typeof first === 'object' && first !== null ? (first as { eventSource?: unknown }).eventSource : undefined;
}

function describe(event: unknown): string {
  if (typeof event !== 'object' || event === null) return JSON.stringify(event) ?? typeof event;
  return `an object with keys ${Object.keys(event).slice(0, 6).join(', ') || '(none)'}`;
}

function tagged(messageId: string, parsed: ParsedBody): ParsedMessage {
  if (parsed.kind !== 'records') return { ...parsed, messageId };
  return { kind: 'records', messageId, records: parsed.records.map((notification) => ({ messageId, notification })) };
}

/** One SQS record -> its S3 notifications (keys decoded), an s3:TestEvent, or malformed with a reason. */
export function parseSqsRecord(record: Pick<SQSRecord, 'messageId' | 'body'>): ParsedMessage {
  return tagged(record.messageId, parseS3Body(record.body));
}

function parseSqs(event: unknown): ArrivalEvent {
  const sqs = parseEvent(SqsSchema, event);
  if (!sqs.ok) throw new InvalidEventError(`SQS event: ${sqs.problem}; expected ${EXPECTED_EVENTS}`);
  return {
    source: 'sqs',
    messages: sqs.data.Records.map(parseSqsRecord),
  };
}

/** A direct invocation is one message; a malformed one cannot be retried into shape, so it is refused. */
function direct(source: 's3' | 'eventbridge', messageId: string, parsed: ParsedBody): ArrivalEvent {
  if (parsed.kind === 'malformed') throw new InvalidEventError(`${parsed.reason}; expected ${EXPECTED_EVENTS}`);
  return { source, messages: [tagged(messageId, parsed)] };
}

/** Tells the event's source apart and parses it; throws InvalidEventError for anything else. */
export function parseArrivalEvent(event: unknown): ArrivalEvent {
  const recordSource = firstRecordSource(event);
  if (recordSource === 'aws:sqs') return parseSqs(event);
  if (recordSource === 'aws:s3') return direct('s3', 's3-notification', parseS3Json(event));
  if (isEventBridgeShaped(event)) {
    const id = (event as { id?: unknown }).id;
    return direct('eventbridge', typeof id === 'string' ? id : 'eventbridge-event', parseS3Json(event));
  }
  if ((event as { Event?: unknown } | null)?.Event === 's3:TestEvent') {
    return direct('s3', 's3-test-event', parseS3Json(event));
  }
  throw new InvalidEventError(`expected ${EXPECTED_EVENTS}; got ${describe(event)}`);
}
