import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalS3, pathToS3Uri, s3UriToPath } from '../../../local/s3/local-s3';
import { Workspace } from '../../../local/workspace';

async function openS3() {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-s3-')));
  const s3 = new LocalS3(workspace);
  await s3.createBucket({ Bucket: 'raw' });
  return { workspace, s3 };
}

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

describe('LocalS3', () => {
  it('puts, heads, gets, copies and deletes with S3 ETag, size and last-modified', async () => {
    // Prepare
    const { workspace, s3 } = await openS3();
    const before = Date.now() - 1000;

    // Act
    const put = await s3.putObject({ Bucket: 'raw', Key: 'in/a.csv', Body: 'id\n1\n', ContentType: 'text/csv' });
    const head = await s3.headObject({ Bucket: 'raw', Key: 'in/a.csv' });
    const got = await s3.getObject({ Bucket: 'raw', Key: 'in/a.csv' });
    const copied = await s3.copyObject({ Bucket: 'raw', Key: 'out/b.csv', CopySource: 'raw/in%2Fa.csv' });
    await s3.deleteObject({ Bucket: 'raw', Key: 'in/a.csv' });

    // Assess
    expect(put.ETag).toBe(md5('id\n1\n'));
    expect(head).toMatchObject({ ETag: md5('id\n1\n'), ContentLength: 5, ContentType: 'text/csv' });
    expect(head.LastModified?.getTime()).toBeGreaterThanOrEqual(before);
    expect(await got.Body?.transformToString()).toBe('id\n1\n');
    expect(copied.CopyObjectResult?.ETag).toBe(md5('id\n1\n'));
    expect(await readFile(path.join(workspace.dir('buckets', 'raw'), 'out', 'b.csv'), 'utf8')).toBe('id\n1\n');
    await expect(s3.getObject({ Bucket: 'raw', Key: 'in/a.csv' })).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(s3.headObject({ Bucket: 'raw', Key: 'in/a.csv' })).rejects.toMatchObject({ name: 'NotFound' });
    // the emptied folder is gone, so the key `in` could now be an object
    expect(await readdir(workspace.dir('buckets', 'raw'))).toEqual(['out']);
  });

  it('accepts streams and bytes as bodies', async () => {
    const { s3 } = await openS3();
    await s3.putObject({ Bucket: 'raw', Key: 's', Body: Readable.from([Buffer.from('ab'), Buffer.from('c')]) });
    await s3.putObject({ Bucket: 'raw', Key: 'b', Body: new Uint8Array([0xff, 0x00]) });
    expect(await (await s3.getObject({ Bucket: 'raw', Key: 's' })).Body?.transformToString()).toBe('abc');
    expect([...((await (await s3.getObject({ Bucket: 'raw', Key: 'b' })).Body?.transformToByteArray()) ?? [])]).toEqual(
      [0xff, 0x00],
    );
  });

  it('reports NoSuchBucket for a missing bucket', async () => {
    const { s3 } = await openS3();
    await expect(s3.putObject({ Bucket: 'nope', Key: 'a', Body: 'x' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.listObjectsV2({ Bucket: 'nope' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it.each([
    ['../escape.csv'],
    ['a/../../escape.csv'],
    ['/etc/passwd'],
    ['a\\b.csv'],
    ['a\0b'],
    ['a//b'],
    ['./a'],
    ['folder/'],
  ])('refuses the key %j without touching the disk outside the bucket', async (key) => {
    const { workspace, s3 } = await openS3();
    await expect(s3.putObject({ Bucket: 'raw', Key: key, Body: 'x' })).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    expect(await readdir(workspace.dir('buckets'))).toEqual(['raw']);
    expect(await readdir(workspace.dir('buckets', 'raw'))).toEqual([]);
  });

  it('stores odd but legal keys: spaces, unicode, = and quotes', async () => {
    const { s3 } = await openS3();
    const keys = ['raw/year=2024/month=01/my file.csv', 'raw/ünïcødé/日本.csv', "raw/it's (1).csv"];
    for (const Key of keys) await s3.putObject({ Bucket: 'raw', Key, Body: Key });
    for (const Key of keys) {
      expect(await (await s3.getObject({ Bucket: 'raw', Key })).Body?.transformToString()).toBe(Key);
    }
    const listed = await s3.listObjectsV2({ Bucket: 'raw', Prefix: 'raw/' });
    // UTF-8 byte order, as S3 lists: "i" < "y" < "ü" < ...
    expect(listed.Contents?.map((c) => c.Key)).toEqual([
      "raw/it's (1).csv",
      'raw/year=2024/month=01/my file.csv',
      'raw/ünïcødé/日本.csv',
    ]);
  });

  it('lists with prefix, delimiter, MaxKeys, continuation tokens and StartAfter', async () => {
    // Prepare
    const { s3 } = await openS3();
    const keys = ['a/1', 'a/2', 'a/x/3', 'a/x/4', 'a/y/5', 'b/6', 'top'];
    for (const Key of keys) await s3.putObject({ Bucket: 'raw', Key, Body: Key });

    // Act
    const pages: { keys: string[]; prefixes: string[] }[] = [];
    let token: string | undefined;
    do {
      const page = await s3.listObjectsV2({
        Bucket: 'raw',
        Prefix: 'a/',
        Delimiter: '/',
        MaxKeys: 2,
        ContinuationToken: token,
      });
      pages.push({
        keys: (page.Contents ?? []).map((c) => c.Key ?? ''),
        prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
      });
      token = page.NextContinuationToken;
    } while (token);
    const flat = await s3.listObjectsV2({ Bucket: 'raw', StartAfter: 'a/x/4' });

    // Assess
    expect(pages).toEqual([
      { keys: ['a/1', 'a/2'], prefixes: [] },
      { keys: [], prefixes: ['a/x/', 'a/y/'] },
    ]);
    expect(flat.Contents?.map((c) => c.Key)).toEqual(['a/y/5', 'b/6', 'top']);
    expect(flat.KeyCount).toBe(3);
    expect(flat.IsTruncated).toBe(false);
  });

  it('pages through every key exactly once', async () => {
    const { s3 } = await openS3();
    const keys = Array.from({ length: 23 }, (_, i) => `d/${String(i).padStart(3, '0')}.csv`);
    for (const Key of keys) await s3.putObject({ Bucket: 'raw', Key, Body: Key });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.listObjectsV2({ Bucket: 'raw', MaxKeys: 5, ContinuationToken: token });
      seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(keys);
  });

  it('notices a file replaced outside the service and recomputes its ETag', async () => {
    const { workspace, s3 } = await openS3();
    await s3.putObject({ Bucket: 'raw', Key: 'f.csv', Body: 'old' });
    const file = path.join(workspace.dir('buckets', 'raw'), 'f.csv');
    await writeFile(file, 'new content');
    const head = await s3.headObject({ Bucket: 'raw', Key: 'f.csv' });
    expect(head.ETag).toBe(md5('new content'));
    expect(head.ContentLength).toBe(11);
  });

  it('maps s3:// URIs to files and back, refusing escapes', async () => {
    const { workspace } = await openS3();
    const file = s3UriToPath(workspace, 's3://raw/a b/c=1/d.csv');
    expect(file).toBe(path.join(workspace.home, 'buckets', 'raw', 'a b', 'c=1', 'd.csv'));
    expect(pathToS3Uri(workspace, file)).toBe('s3://raw/a b/c=1/d.csv');
    expect(s3UriToPath(workspace, 's3://raw/prefix/')).toBe(path.join(workspace.home, 'buckets', 'raw', 'prefix'));
    expect(() => s3UriToPath(workspace, 's3://raw/../other/x')).toThrow(
      expect.objectContaining({ name: 'InvalidS3UriError' }),
    );
    expect(() => s3UriToPath(workspace, 'https://raw/x')).toThrow(
      expect.objectContaining({ name: 'InvalidS3UriError' }),
    );
  });
});
