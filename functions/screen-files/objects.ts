// The S3 calls of ScreenFiles, each taking the client: ranged reads, existence, and the quarantine move.
import { hasErrorName } from '../shared/errors';
import type { S3Port } from '../shared/ports';
import { SCREEN_BYTES } from './screen';

export type ObjectStore = Pick<S3Port, 'getObject' | 'headObject' | 'copyObject' | 'deleteObject'>;

export function isMissing(error: unknown): boolean {
  return hasErrorName(error, 'NoSuchKey', 'NotFound');
}

/** CopySource is `bucket/key` with the key URL-encoded, slashes kept, as S3 expects. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}

export async function readHead(s3: ObjectStore, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await s3.getObject({ Bucket: bucket, Key: key, Range: `bytes=0-${SCREEN_BYTES - 1}` });
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function exists(s3: ObjectStore, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.headObject({ Bucket: bucket, Key: key });
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export async function readRange(s3: ObjectStore, bucket: string, key: string, start: number, end: number) {
  const out = await s3.getObject({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` });
  return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
}

/** Copy first, delete second: if the delete fails the file is in both places, never in neither. */
export async function quarantine(s3: ObjectStore, bucket: string, key: string, quarantineKey: string) {
  await s3.copyObject({ Bucket: bucket, Key: quarantineKey, CopySource: copySource(bucket, key) });
  await s3.deleteObject({ Bucket: bucket, Key: key });
}
