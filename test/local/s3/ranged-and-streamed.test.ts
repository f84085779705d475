import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalS3, parseRange } from '../../../local/s3/local-s3';
import { Workspace } from '../../../local/workspace';

async function setup() {
  const home = await mkdtemp(path.join(tmpdir(), 'lakepipe-s3r-'));
  const s3 = new LocalS3(await Workspace.open(home));
  await s3.createBucket({ Bucket: 'bkt' });
  return { s3, home };
}

describe('LocalS3 ranged reads and streamed file puts', () => {
  it('returns only the requested bytes with Content-Range, like S3', async () => {
    const { s3 } = await setup();
    await s3.putObject({ Bucket: 'bkt', Key: 'k', Body: 'abcdefghij' });

    const head = await s3.getObject({ Bucket: 'bkt', Key: 'k', Range: 'bytes=0-3' });
    const tail = await s3.getObject({ Bucket: 'bkt', Key: 'k', Range: 'bytes=-2' });
    const past = await s3.getObject({ Bucket: 'bkt', Key: 'k', Range: 'bytes=8-100' });

    expect(await head.Body?.transformToString()).toBe('abcd');
    expect(head).toMatchObject({ ContentLength: 4, ContentRange: 'bytes 0-3/10' });
    expect(await tail.Body?.transformToString()).toBe('ij');
    expect(await past.Body?.transformToString()).toBe('ij');
    await expect(s3.getObject({ Bucket: 'bkt', Key: 'k', Range: 'bytes=20-' })).rejects.toMatchObject({
      name: 'InvalidRange',
    });
  });

  it('parses the range forms S3 accepts and refuses the others', () => {
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange(undefined, 10)).toBeUndefined();
    expect(() => parseRange('bytes=a-b', 10)).toThrow(/not satisfiable/);
  });

  it('lands a file with the MD5 ETag, keeps the same bytes as they are, refuses other bytes at the key', async () => {
    const { s3, home } = await setup();
    const file = path.join(home, 'x.csv');
    await writeFile(file, 'a,b\n1,2\n');

    const first = await s3.putFile({ Bucket: 'bkt', Key: 'raw/x.csv', File: file, IfDifferent: 'refuse' });
    const again = await s3.putFile({ Bucket: 'bkt', Key: 'raw/x.csv', File: file, IfDifferent: 'refuse' });
    await writeFile(file, 'a,b\n3,4\n');
    const other = s3.putFile({ Bucket: 'bkt', Key: 'raw/x.csv', File: file, IfDifferent: 'refuse' });

    const md5 = createHash('md5').update('a,b\n1,2\n').digest('hex');
    expect(first).toMatchObject({ ETag: `"${md5}"`, existed: false, ContentLength: 8 });
    expect(again).toMatchObject({ ETag: first.ETag, existed: true });
    await expect(other).rejects.toMatchObject({ name: 'PreconditionFailed' });
    const stored = await s3.getObject({ Bucket: 'bkt', Key: 'raw/x.csv' });
    expect(await stored.Body?.transformToString()).toBe('a,b\n1,2\n');
    expect(stored.ETag).toBe(first.ETag);
  });
});
