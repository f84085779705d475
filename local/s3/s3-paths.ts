// Where S3 objects live on disk: `s3://bucket/key` <-> `<home>/buckets/<bucket>/<key>`. Keys are untrusted,
// so every mapping checks that the key cannot leave its bucket folder.
import path from 'node:path';
import { AwsServiceError } from '../../functions/shared/errors';
import type { Workspace } from '../workspace';

// S3's rules, minus dots (a dotted bucket name works in S3 but we also forbid a leading dot so that
// workspace-internal folders such as `.meta` can never collide with a bucket).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function validateBucket(bucket: string | undefined): string {
  if (!bucket || !BUCKET.test(bucket) || bucket.includes('..')) {
    throw new AwsServiceError('InvalidBucketName', `The specified bucket is not valid: ${JSON.stringify(bucket)}`);
  }
  return bucket;
}

/**
 * Validates a key for the local store. S3 itself accepts any UTF-8 key; on disk we must refuse keys that would
 * escape the bucket folder or collide: `..`/`.` segments, empty segments (`a//b`), absolute paths, NUL,
 * backslashes and a trailing `/` (S3 "folder" marker objects are not supported locally).
 */
export function validateKey(key: string | undefined): string {
  const invalid = (why: string) =>
    new AwsServiceError('InvalidArgument', `Object key ${JSON.stringify(key)} is not supported locally: ${why}.`);
  if (key === undefined || key.length === 0) throw invalid('empty key');
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new AwsServiceError('KeyTooLongError', 'Your key is too long.');
  if (key.includes('\0')) throw invalid('NUL byte');
  if (key.includes('\\')) throw invalid('backslash');
  if (key.startsWith('/')) throw invalid('absolute path');
  if (key.endsWith('/')) throw invalid('folder marker keys are not supported');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw invalid(`path segment ${JSON.stringify(segment)}`);
  }
  return key;
}

export function bucketPath(workspace: Workspace, bucket: string): string {
  return workspace.dir('buckets', validateBucket(bucket));
}

/** The file of `key` in `bucket`, guaranteed to stay inside the bucket folder. */
export function objectPath(workspace: Workspace, bucket: string, key: string): string {
  const root = bucketPath(workspace, bucket);
  const file = path.join(root, ...validateKey(key).split('/'));
  if (!file.startsWith(root + path.sep)) throw new AwsServiceError('InvalidArgument', 'Object key escapes its bucket.');
  return file;
}

export class InvalidS3UriError extends Error {
  constructor(
    readonly uri: string,
    options?: ErrorOptions,
  ) {
    super(`not a valid s3:// URI: ${JSON.stringify(uri)}`, options);
    this.name = 'InvalidS3UriError';
  }
}

/** Splits `s3://bucket/prefix` into bucket and key/prefix (the prefix may be empty or end with `/`). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new InvalidS3UriError(uri);
  const bucket = match[1] ?? '';
  try {
    validateBucket(bucket);
  } catch (error) {
    throw new InvalidS3UriError(uri, { cause: error });
  }
  return { bucket, key: match[2] ?? '' };
}

/**
 * Maps an `s3://bucket/key-or-prefix` URI to its local path. A prefix (ending in `/` or empty) maps to a folder;
 * it is checked segment by segment like a key.
 */
export function s3UriToPath(workspace: Workspace, uri: string): string {
  const { bucket, key } = parseS3Uri(uri);
  const trimmed = key.replace(/\/+$/, '');
  if (trimmed === '') return bucketPath(workspace, bucket);
  try {
    return objectPath(workspace, bucket, trimmed);
  } catch (error) {
    throw new InvalidS3UriError(uri, { cause: error });
  }
}

/** Maps a local file (or folder) under `<home>/buckets/` back to its `s3://bucket/key` URI. */
export function pathToS3Uri(workspace: Workspace, file: string): string {
  const root = workspace.dir('buckets');
  const relative = path.relative(root, path.resolve(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InvalidS3UriError(file);
  }
  const [bucket, ...rest] = relative.split(path.sep);
  return `s3://${bucket}/${rest.join('/')}`;
}
