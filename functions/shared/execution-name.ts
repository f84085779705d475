// Deterministic Step Functions execution names: the same batch of objects always gets the same name, so a
// duplicated S3/SQS delivery hits ExecutionAlreadyExists instead of running twice.
import { createHash } from 'node:crypto';
import { ExecutionNameError } from './errors';

/** Step Functions allows 80 characters; lakepipe also keeps to `[A-Za-z0-9_-]` so names are safe everywhere. */
export const MAX_EXECUTION_NAME = 80;

/** A valid execution name, the one pattern every module checks names (and `${run_id}` values) against. */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

const UNSAFE = /[^A-Za-z0-9_-]/g;
const NAME_TAIL = /-(\d{8}T\d{6}Z-[0-9a-f]{10})$/;

export interface NamedObject {
  key: string;
  eTag: string;
  eventTime: string;
}

/** `2026-11-24T02:51:55.123Z` -> `20261124T025155Z` (UTC, seconds). */
export function compactUtc(isoTime: string): string {
  const millis = Date.parse(isoTime);
  if (Number.isNaN(millis)) throw new ExecutionNameError(`not an ISO 8601 time: ${JSON.stringify(isoTime)}`);
  return `${new Date(millis).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** First 10 hex of sha256 over the sorted, distinct `bucket/key/eTag` lines joined by newlines. */
export function objectsDigest(bucket: string, objects: readonly NamedObject[]): string {
  const lines = [...new Set(objects.map((o) => `${bucket}/${o.key}/${o.eTag}`))].sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 10);
}

/**
 * `<dataset>-<earliest eventTime, yyyymmddThhmmssZ>-<digest>`; only `[A-Za-z0-9_-]`, at most 80 characters.
 * A long dataset part is shortened; the time and digest never are.
 */
export function executionName(dataset: string, bucket: string, objects: readonly NamedObject[]): string {
  if (objects.length === 0) throw new ExecutionNameError('an execution needs at least one object');
  const earliest = objects.map((o) => Date.parse(o.eventTime)).reduce((a, b) => Math.min(a, b));
  const first = objects.find((o) => Date.parse(o.eventTime) === earliest) ?? objects[0];
  const tail = `-${compactUtc(first?.eventTime ?? '')}-${objectsDigest(bucket, objects)}`;
  const head = dataset.replace(UNSAFE, '-').slice(0, MAX_EXECUTION_NAME - tail.length);
  return `${head || 'dataset'}${tail}`;
}

/**
 * Name of the n-th manual re-run of `name`: `<name>-rerun-<n>`, at most 80 characters. When too long, a
 * generated name loses characters of its dataset part (time and digest stay); any other name keeps its start
 * plus a digest of the whole name, so different names never collapse into one.
 */
export function rerunName(name: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new ExecutionNameError(`re-run number must be a positive integer: ${n}`);
  const base = name.replace(UNSAFE, '-');
  const suffix = `-rerun-${n}`;
  const room = MAX_EXECUTION_NAME - suffix.length;
  if (base.length <= room) return `${base}${suffix}`;
  const tail = NAME_TAIL.exec(base);
  if (tail?.[1] !== undefined && tail.index > 0) {
    const kept = `-${tail[1]}`;
    return `${base.slice(0, room - kept.length)}${kept}${suffix}`;
  }
  const digest = `-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
  return `${base.slice(0, room - digest.length)}${digest}${suffix}`;
}
