// S3 event notifications as they arrive in SQS message bodies or directly: parsing, the s3:TestEvent, EventBridge
// events from S3, key decoding.
import { S3EventNotificationEventBridgeSchema, S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { errorMessage } from './errors';
import { parseEvent } from './parse-event';

/** One S3 event record, reduced to what lakepipe uses; `key` is decoded. */
export interface S3Notification {
  eventName: string;
  eventTime: string;
  bucket: string;
  key: string;
  /** Absent on delete events. */
  size?: number;
  eTag?: string;
  sequencer?: string;
}

export type ParsedBody =
  | { kind: 'records'; records: S3Notification[] }
  | { kind: 'test-event'; bucket: string }
  | { kind: 'malformed'; reason: string };

/**
 * Decodes a key the way S3 encodes it in notifications (HTML-form encoding): `+` is a space, then
 * percent-decoding; a real `+` arrives as `%2B`. Throws URIError on a broken escape.
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/**
 * Encodes a key the way S3 writes it into notifications, for building events locally: form encoding of the
 * UTF-8 bytes (space -> `+`), leaving letters, digits, `/`, `-`, `_`, `.` and `*` as they are.
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// The ready Powertools schemas give the fields lakepipe reads; the record's other parts (identities, request
// ids) are not required, so a delete record or a locally built one carrying only what S3 always sends passes.
const s3RecordBase = S3Schema.shape.Records.element.pick({ eventSource: true, eventName: true, eventTime: true });

const recordSchema = s3RecordBase.extend({
  eventName: z.string().min(1),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const notificationSchema = z.object({ Records: z.array(z.unknown()) });

const testEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string().optional() });

/** EventBridge names the operation in `detail.reason`; S3 notifications name it in `eventName`. */
const EVENTBRIDGE_REASONS: Readonly<Record<string, string>> = {
  PutObject: 'Put',
  'POST Object': 'Post',
  CopyObject: 'Copy',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
};

function decodedKey(encoded: string): string | undefined {
  try {
    return decodeS3Key(encoded);
  } catch {
    return undefined;
  }
}

/** True when `json` has EventBridge's envelope shape (a `detail-type`), whatever its source. */
export function isEventBridgeShaped(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'detail-type' in json;
}

/** One EventBridge event from S3 -> one notification; its key is encoded like a notification's. */
function parseEventBridge(json: unknown): ParsedBody {
  const parsed = parseEvent(S3EventNotificationEventBridgeSchema, json);
  if (!parsed.ok) return { kind: 'malformed', reason: `EventBridge event: ${parsed.problem}` };
  const { source, time, detail } = parsed.data;
  const detailType = parsed.data['detail-type'];
  if (source !== 'aws.s3') return { kind: 'malformed', reason: `EventBridge event from ${source}, not aws.s3` };
  const created = detailType === 'Object Created';
  const eventName = created ? `ObjectCreated:${EVENTBRIDGE_REASONS[detail.reason ?? ''] ?? detail.reason}` : detailType;
  if (created && (detail.object.size === undefined || detail.object.etag === undefined)) {
    return { kind: 'malformed', reason: 'EventBridge Object Created without size or etag' };
  }
  const key = decodedKey(detail.object.key);
  if (key === undefined) return { kind: 'malformed', reason: 'EventBridge event: key is not validly URL-encoded' };
  return {
    kind: 'records',
    records: [
      {
        eventName,
        eventTime: time,
        bucket: detail.bucket.name,
        key,
        ...(detail.object.size === undefined ? {} : { size: detail.object.size }),
        ...(detail.object.etag === undefined ? {} : { eTag: detail.object.etag }),
        ...(detail.object.sequencer === undefined ? {} : { sequencer: detail.object.sequencer }),
      },
    ],
  };
}

/**
 * Reads one parsed S3 notification, s3:TestEvent or EventBridge event from S3. Never throws: anything
 * unexpected is `malformed` with a reason.
 */
export function parseS3Json(json: unknown): ParsedBody {
  const test = parseEvent(testEventSchema, json);
  if (test.ok) return { kind: 'test-event', bucket: test.data.Bucket ?? '' };
  if (isEventBridgeShaped(json)) return parseEventBridge(json);
  const notification = parseEvent(notificationSchema, json);
  if (!notification.ok) {
    return {
      kind: 'malformed',
      reason: 'body is neither an S3 notification, an EventBridge S3 event nor s3:TestEvent',
    };
  }
  const records: S3Notification[] = [];
  for (const [index, raw] of notification.data.Records.entries()) {
    const parsed = parseEvent(recordSchema, raw);
    if (!parsed.ok) return { kind: 'malformed', reason: `Records[${index}].${parsed.problem}` };
    const { eventName, eventTime, s3 } = parsed.data;
    if (eventName.startsWith('ObjectCreated:') && (s3.object.size === undefined || s3.object.eTag === undefined)) {
      return { kind: 'malformed', reason: `Records[${index}]: ${eventName} without size or eTag` };
    }
    const key = decodedKey(s3.object.key);
    if (key === undefined) return { kind: 'malformed', reason: `Records[${index}]: key is not validly URL-encoded` };
    records.push({
      eventName,
      eventTime,
      bucket: s3.bucket.name,
      key,
      ...(s3.object.size === undefined ? {} : { size: s3.object.size }),
      ...(s3.object.eTag === undefined ? {} : { eTag: s3.object.eTag }),
      ...(s3.object.sequencer === undefined ? {} : { sequencer: s3.object.sequencer }),
    });
  }
  return { kind: 'records', records };
}

/** Parses one SQS message body (an S3 notification, s3:TestEvent or an EventBridge S3 event). Never throws. */
export function parseS3Body(body: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { kind: 'malformed', reason: `body is not JSON: ${errorMessage(error)}` };
  }
  return parseS3Json(json);
}
