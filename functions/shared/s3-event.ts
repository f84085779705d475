// S3 event notifications as they arrive in SQS message bodies: parsing, the s3:TestEvent, key decoding.
import { z } from 'zod';

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

const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not an ISO 8601 time');

const recordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().min(1),
  eventTime: isoTime,
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

/** Parses one SQS message body. Never throws: anything unexpected is `malformed` with a reason. */
export function parseS3Body(body: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { kind: 'malformed', reason: `body is not JSON: ${(error as Error).message}` };
  }
  const test = testEventSchema.safeParse(json);
  if (test.success) return { kind: 'test-event', bucket: test.data.Bucket ?? '' };
  const notification = notificationSchema.safeParse(json);
  if (!notification.success)
    return { kind: 'malformed', reason: 'body is neither an S3 notification nor s3:TestEvent' };
  const records: S3Notification[] = [];
  for (const [index, raw] of notification.data.Records.entries()) {
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'malformed', reason: `Records[${index}]: ${issue?.path.join('.')} ${issue?.message}` };
    }
    const { eventName, eventTime, s3 } = parsed.data;
    if (eventName.startsWith('ObjectCreated:') && (s3.object.size === undefined || s3.object.eTag === undefined)) {
      return { kind: 'malformed', reason: `Records[${index}]: ${eventName} without size or eTag` };
    }
    let key: string;
    try {
      key = decodeS3Key(s3.object.key);
    } catch {
      return { kind: 'malformed', reason: `Records[${index}]: key is not validly URL-encoded` };
    }
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
