// Local S3: buckets are folders under `<home>/buckets/`, objects are files. ETag is the quoted MD5 hex of the body
// (as S3 gives for single-part uploads), cached with size and mtime in `<home>/buckets/.meta/` so files dropped in by
// hand are still listed correctly (their MD5 is computed on first use).

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as S3 from '@aws-sdk/client-s3';
import { AwsServiceError } from '../../functions/shared/errors';
import type { ObjectBody, S3Port } from '../../functions/shared/ports';
import { readdirIfExists, readJsonIfExists, type Workspace, writeFileAtomic, writeJsonAtomic } from '../workspace';
import { bucketPath, objectPath, validateBucket, validateKey } from './s3-paths';

export { parseS3Uri, pathToS3Uri, s3UriToPath } from './s3-paths';

/**
 * PutObject's input as callers of the SDK command may pass it: the model type says a stream, the command also
 * takes strings and bytes (the port's parameter is the narrower model, so this stays assignable to S3Port).
 */
export type PutObjectInput = Omit<S3.PutObjectRequest, 'Body'> & {
  Body?: string | Uint8Array | Blob | AsyncIterable<Uint8Array | string> | S3.PutObjectRequest['Body'];
};

interface ObjectMeta {
  eTag: string;
  size: number;
  mtimeMs: number;
  /** When putFile completed, to the millisecond (S3's eventTime); LastModified keeps whole seconds only. */
  landedAtMs?: number;
  contentType?: string;
  metadata?: Record<string, string>;
}

interface ListedObject {
  key: string;
  file: string;
}

// Temp files of atomic writes (`.<name>.<pid>.<hex>.tmp`) are never objects.
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

const noSuchKey = (key: string) => new AwsServiceError('NoSuchKey', `The specified key does not exist: ${key}`, 404);
const noSuchBucket = (bucket: string) =>
  new AwsServiceError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, 404);

async function bodyBytes(body: PutObjectInput['Body']): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  throw new AwsServiceError('InvalidArgument', 'Unsupported Body type for the local S3.');
}

async function md5File(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function objectBody(bytes: Buffer): ObjectBody {
  return {
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToString: async (encoding?: string) => bytes.toString((encoding ?? 'utf-8') as BufferEncoding),
  };
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` (HTTP Range, one range as S3 supports), clamped to the object. */
export function parseRange(range: string | undefined, size: number): { start: number; end: number } | undefined {
  if (range === undefined || size === 0) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) {
    throw new AwsServiceError('InvalidRange', 'The requested range is not satisfiable', 416);
  }
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new AwsServiceError('InvalidRange', 'The requested range is not satisfiable', 416);
  return { start, end };
}

// S3 lists keys in UTF-8 binary order, which is not JS string order for astral characters.
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class LocalS3 implements S3Port {
  constructor(private readonly workspace: Workspace) {}

  private metaFile(bucket: string, key: string): string {
    return path.join(this.workspace.dir('buckets', '.meta', bucket), ...`${key}.json`.split('/'));
  }

  async createBucket(input: { Bucket: string | undefined }): Promise<void> {
    await mkdir(bucketPath(this.workspace, validateBucket(input.Bucket)), { recursive: true });
  }

  private async requireBucket(bucket: string | undefined): Promise<string> {
    const name = validateBucket(bucket);
    try {
      if ((await stat(bucketPath(this.workspace, name))).isDirectory()) return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    throw noSuchBucket(name);
  }

  /** The object's metadata, refreshed when the file changed behind our back; undefined when absent. */
  private async meta(bucket: string, key: string): Promise<(ObjectMeta & { file: string }) | undefined> {
    const file = objectPath(this.workspace, bucket, key);
    let info: import('node:fs').Stats;
    try {
      info = await stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    if (!info.isFile()) return undefined;
    const cached = await readJsonIfExists<ObjectMeta>(this.metaFile(bucket, key));
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return { ...cached, file };
    const fresh: ObjectMeta = {
      eTag: `"${await md5File(file)}"`,
      size: info.size,
      mtimeMs: info.mtimeMs,
      contentType: cached?.contentType,
      metadata: cached?.metadata,
    };
    await writeJsonAtomic(this.metaFile(bucket, key), fresh);
    return { ...fresh, file };
  }

  async putObject(input: PutObjectInput): Promise<S3.PutObjectOutput> {
    const bucket = await this.requireBucket(input.Bucket);
    const key = validateKey(input.Key);
    const bytes = await bodyBytes(input.Body);
    const file = objectPath(this.workspace, bucket, key);
    try {
      await writeFileAtomic(file, bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // `a` and `a/b` cannot both exist on disk; S3 allows it, the local store refuses it clearly.
      if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
        throw new AwsServiceError('InvalidArgument', `Key ${key} collides with a folder or file of another key.`, 400, {
          cause: error,
        });
      }
      if (code === 'ENAMETOOLONG') throw new AwsServiceError('KeyTooLongError', 'Your key is too long.', 400);
      throw error;
    }
    const info = await stat(file);
    const eTag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    await writeJsonAtomic(this.metaFile(bucket, key), {
      eTag,
      size: info.size,
      mtimeMs: info.mtimeMs,
      contentType: input.ContentType,
      metadata: input.Metadata,
    } satisfies ObjectMeta);
    return { ETag: eTag };
  }

  async headObject(input: S3.HeadObjectRequest): Promise<S3.HeadObjectOutput> {
    const bucket = await this.requireBucket(input.Bucket);
    const key = validateKey(input.Key);
    const meta = await this.meta(bucket, key);
    // HeadObject has no body, so the SDK reports a missing key as `NotFound`, not `NoSuchKey`.
    if (!meta) throw new AwsServiceError('NotFound', 'Not Found', 404);
    return this.describe(meta);
  }

  async getObject(input: S3.GetObjectRequest): Promise<Omit<S3.GetObjectOutput, 'Body'> & { Body?: ObjectBody }> {
    const bucket = await this.requireBucket(input.Bucket);
    const key = validateKey(input.Key);
    const meta = await this.meta(bucket, key);
    if (!meta) throw noSuchKey(key);
    if (input.IfMatch && input.IfMatch !== meta.eTag) {
      throw new AwsServiceError(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
      );
    }
    const range = parseRange(input.Range, meta.size);
    if (!range) return { ...this.describe(meta), Body: objectBody(await readFile(meta.file)) };
    // A ranged read (the screen-files task reads only a file's head) touches only those bytes on disk.
    const length = range.end - range.start + 1;
    const bytes = Buffer.alloc(length);
    const handle = await open(meta.file, 'r');
    try {
      await handle.read(bytes, 0, length, range.start);
    } finally {
      await handle.close();
    }
    return {
      ...this.describe(meta),
      ContentLength: length,
      ContentRange: `bytes ${range.start}-${range.end}/${meta.size}`,
      Body: objectBody(bytes),
    };
  }

  /**
   * Lands a local file as an object without holding it in memory (the twin's `lakepipe run` of a 0.5 GB
   * file): MD5 streamed, then an atomic copy. The same bytes already at the key are kept as they are
   * (`existed`); other bytes are refused with `IfDifferent: 'refuse'` so nothing landed earlier is lost.
   */
  async putFile(input: {
    Bucket: string;
    Key: string;
    File: string;
    IfDifferent?: 'overwrite' | 'refuse';
  }): Promise<{ ETag: string; ContentLength: number; LastModified: Date; landedAt: Date; existed: boolean }> {
    const bucket = await this.requireBucket(input.Bucket);
    const key = validateKey(input.Key);
    const eTag = `"${await md5File(input.File)}"`;
    const existing = await this.meta(bucket, key);
    if (existing && existing.eTag === eTag) {
      return { ...this.listed(existing), landedAt: new Date(existing.landedAtMs ?? existing.mtimeMs), existed: true };
    }
    if (existing && input.IfDifferent === 'refuse') {
      throw new AwsServiceError('PreconditionFailed', `s3://${bucket}/${key} already holds different content`, 412);
    }
    const file = objectPath(this.workspace, bucket, key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      await copyFile(input.File, tmp);
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const info = await stat(file);
    const meta: ObjectMeta = {
      eTag,
      size: info.size,
      mtimeMs: info.mtimeMs,
      landedAtMs: Date.now(),
      contentType: 'text/csv',
    };
    await writeJsonAtomic(this.metaFile(bucket, key), meta);
    return { ...this.listed(meta), landedAt: new Date(meta.landedAtMs ?? meta.mtimeMs), existed: false };
  }

  private listed(meta: ObjectMeta): { ETag: string; ContentLength: number; LastModified: Date } {
    return {
      ETag: meta.eTag,
      ContentLength: meta.size,
      LastModified: new Date(Math.floor(meta.mtimeMs / 1000) * 1000),
    };
  }

  private describe(meta: ObjectMeta): S3.HeadObjectOutput {
    return {
      ETag: meta.eTag,
      ContentLength: meta.size,
      LastModified: new Date(Math.floor(meta.mtimeMs / 1000) * 1000),
      ContentType: meta.contentType ?? 'binary/octet-stream',
      Metadata: meta.metadata ?? {},
    };
  }

  async copyObject(input: S3.CopyObjectRequest): Promise<S3.CopyObjectOutput> {
    const source = decodeURIComponent((input.CopySource ?? '').replace(/^\//, ''));
    const slash = source.indexOf('/');
    if (slash <= 0) throw new AwsServiceError('InvalidArgument', 'Copy Source must mention the source bucket and key');
    const from = await this.getObject({ Bucket: source.slice(0, slash), Key: source.slice(slash + 1) });
    const bytes = (await from.Body?.transformToByteArray()) ?? new Uint8Array();
    const replace = input.MetadataDirective === 'REPLACE';
    const { ETag } = await this.putObject({
      Bucket: input.Bucket,
      Key: input.Key,
      Body: bytes,
      ContentType: replace ? input.ContentType : from.ContentType,
      Metadata: replace ? input.Metadata : from.Metadata,
    });
    const head = await this.headObject({ Bucket: input.Bucket, Key: input.Key });
    return { CopyObjectResult: { ETag, LastModified: head.LastModified } };
  }

  /** Like S3, deleting a missing key succeeds. Empty folders left behind are removed. */
  async deleteObject(input: S3.DeleteObjectRequest): Promise<S3.DeleteObjectOutput> {
    const bucket = await this.requireBucket(input.Bucket);
    const key = validateKey(input.Key);
    const file = objectPath(this.workspace, bucket, key);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) {
      await rm(file, { force: true });
      await rm(this.metaFile(bucket, key), { force: true });
      await this.pruneEmptyFolders(path.dirname(file), bucketPath(this.workspace, bucket));
    }
    return {};
  }

  private async pruneEmptyFolders(from: string, root: string): Promise<void> {
    let dir = from;
    while (dir.startsWith(root + path.sep)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or gone): stop
      }
      dir = path.dirname(dir);
    }
  }

  /** Every key in the bucket under `prefix`, in S3's order. Walks only the folder the prefix names. */
  private async keys(bucket: string, prefix: string): Promise<ListedObject[]> {
    const root = bucketPath(this.workspace, bucket);
    const folderPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const segments = folderPart === '' ? [] : folderPart.split('/');
    // A prefix with `..`-like segments cannot name a folder of ours; nothing can match it.
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) return [];
    const start = path.join(root, ...segments);
    const found: ListedObject[] = [];
    const walk = async (dir: string, keyPrefix: string) => {
      const entries = await readdirIfExists(dir);
      for (const entry of entries) {
        if (TEMP_FILE.test(entry.name)) continue;
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${key}/`);
        else if (entry.isFile() && key.startsWith(prefix)) found.push({ key, file: path.join(dir, entry.name) });
      }
    };
    await walk(start, segments.length > 0 ? `${folderPart}/` : '');
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  async listObjectsV2(input: S3.ListObjectsV2Request): Promise<S3.ListObjectsV2Output> {
    const bucket = await this.requireBucket(input.Bucket);
    const prefix = input.Prefix ?? '';
    const maxKeys = input.MaxKeys ?? 1000;
    if (maxKeys < 0) throw new AwsServiceError('InvalidArgument', 'MaxKeys must be non-negative.');
    let after = input.StartAfter ?? '';
    if (input.ContinuationToken) {
      after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
    }
    const delimiter = input.Delimiter || undefined;

    const contents: S3._Object[] = [];
    const commonPrefixes: string[] = [];
    let lastReturned: string | undefined;
    let truncated = false;
    for (const object of await this.keys(bucket, prefix)) {
      if (after && compareKeys(object.key, after) <= 0) continue;
      const rest = object.key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      const rolledUp = cut >= 0 ? `${prefix}${rest.slice(0, cut + (delimiter?.length ?? 0))}` : undefined;
      // A common prefix counts once; across pages the token already points past it.
      if (rolledUp !== undefined && commonPrefixes.at(-1) === rolledUp) {
        continue;
      }
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (rolledUp !== undefined) {
        commonPrefixes.push(rolledUp);
        lastReturned = rolledUp;
      } else {
        const meta = await this.meta(bucket, object.key);
        if (!meta) continue; // deleted while listing
        contents.push({
          Key: object.key,
          LastModified: new Date(Math.floor(meta.mtimeMs / 1000) * 1000),
          ETag: meta.eTag,
          Size: meta.size,
          StorageClass: 'STANDARD',
        });
        lastReturned = object.key;
      }
    }
    // The token resumes after the last key (or after everything under the last common prefix).
    const resumeAfter =
      lastReturned && commonPrefixes.at(-1) === lastReturned ? `${lastReturned}\u{10FFFF}` : lastReturned;
    return {
      Name: bucket,
      Prefix: prefix,
      Delimiter: delimiter,
      MaxKeys: maxKeys,
      KeyCount: contents.length + commonPrefixes.length,
      IsTruncated: truncated,
      Contents: contents.length > 0 ? contents : undefined,
      CommonPrefixes: commonPrefixes.length > 0 ? commonPrefixes.map((p) => ({ Prefix: p })) : undefined,
      ContinuationToken: input.ContinuationToken,
      NextContinuationToken:
        truncated && resumeAfter ? Buffer.from(resumeAfter, 'utf8').toString('base64url') : undefined,
      StartAfter: input.StartAfter,
    };
  }
}
