import { gzipSync } from 'node:zlib';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, loadScreenFilesConfig, screenFiles } from '../../../functions/screen-files/app';
import { copySource } from '../../../functions/screen-files/objects';
import { s3Adapter } from '../../../functions/shared/aws-ports';
import type { ExecutionInput } from '../../../functions/shared/pipeline-input';
import { lambdaContext } from '../../fixtures/lambda-context';
import { contractsEnv, input, rangedBody } from './support';

const config = loadScreenFilesConfig(contractsEnv());

function body(text: string): GetObjectCommandOutput['Body'] {
  const data = new TextEncoder().encode(text);
  // The two stream-mixin helpers lakepipe reads (ObjectBody in functions/shared/ports.ts).
  return {
    transformToByteArray: async () => data,
    transformToString: async () => text,
  } as unknown as GetObjectCommandOutput['Body'];
}

describe('screen-files', () => {
  const s3Mock = mockClient(S3Client);
  const s3 = s3Adapter(new S3Client({ region: 'eu-west-1' }));
  beforeEach(() => s3Mock.reset());

  it('passes good files through, reading the head of each first', async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body('transaction_id,customer_id\nT1,C1\n') });

    const out = await screenFiles(input('raw/customer_transactions/a.csv'), { config, s3 });

    expect(out.accepted).toEqual(['raw/customer_transactions/a.csv']);
    expect(out.quarantined).toEqual([]);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Range: 'bytes=0-65535' });
    expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('moves a bad file to quarantine (copy, then delete) and fails naming the file, reason and new place', async () => {
    const bad = 'raw/customer_transactions/day 1 (copy).csv';
    s3Mock
      .on(GetObjectCommand, { Key: bad })
      .resolves({ Body: body('foo,bar\n1,2\n') })
      .on(GetObjectCommand, { Key: 'raw/customer_transactions/ok.csv' })
      .resolves({ Body: body('transaction_id,customer_id\n') });

    const act = screenFiles(input(bad, 'raw/customer_transactions/ok.csv'), { config, s3 });

    await expect(act).rejects.toMatchObject({
      name: 'BadInputFile',
      message: expect.stringContaining(
        `${bad}: missing columns: transaction_id, customer_id (now at s3://raw-bucket/quarantine/${bad})`,
      ),
    });
    await expect(act).rejects.toThrow(/other 1 file\(s\) stay in place/);
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: 'raw-bucket',
      Key: `quarantine/${bad}`,
      CopySource: 'raw-bucket/raw/customer_transactions/day%201%20(copy).csv',
    });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'raw-bucket', Key: bad });
  });

  it('does not delete the original when the quarantine copy fails', async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body('') });
    s3Mock.on(CopyObjectCommand).rejects(new Error('AccessDenied'));

    await expect(screenFiles(input('raw/customer_transactions/a.csv'), { config, s3 })).rejects.toThrow('AccessDenied');
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('skips files an earlier attempt quarantined, and fails when nothing is left to process', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    s3Mock.on(HeadObjectCommand).resolves({});

    const act = screenFiles(input('raw/customer_transactions/a.csv'), { config, s3 });

    await expect(act).rejects.toMatchObject({ name: 'NothingToProcess' });
    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, { Key: 'quarantine/raw/customer_transactions/a.csv' });
  });

  it('treats a file that vanished without being quarantined as bad', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'not found', $metadata: {} }));

    await expect(screenFiles(input('raw/customer_transactions/a.csv'), { config, s3 })).rejects.toMatchObject({
      name: 'BadInputFile',
      files: [
        {
          key: 'raw/customer_transactions/a.csv',
          reason: 'the file is not at its key (deleted, or never landed in this bucket)',
        },
      ],
    });
  });

  it('refuses a gzip file cut short whole, although its head reads fine: quarantined, nothing accepted', async () => {
    // Prepare
    const key = 'raw/customer_transactions/cut.csv.gz';
    const rows = Array.from({ length: 2000 }, (_, i) => `T${i},C${i % 50},${(i % 90) + 1}.25,2026-01-01`).join('\n');
    const whole = gzipSync(`transaction_id,customer_id,transaction_amount,transaction_date\n${rows}\n`);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    s3Mock.on(GetObjectCommand).callsFake((req: { Range?: string }) => ({ Body: rangedBody(cut, req.Range) }));
    const event = input(key);
    event.objects[0] = { ...(event.objects[0] as ExecutionInput['objects'][number]), size: cut.length };

    // Act
    const act = screenFiles(event, { config, s3 });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'BadInputFile',
      files: [
        {
          key,
          reason: 'damaged gzip data (unexpected end of file); the whole file is refused',
          location: `s3://raw-bucket/quarantine/${key}`,
        },
      ],
    });
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, { Key: `quarantine/${key}` });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: key });
  });

  const header = 'transaction_id,customer_id,transaction_amount,transaction_date';
  const rows = Array.from({ length: 4000 }, (_, i) => `T${i},C${i % 50},10.00,2025-06-01`);
  const records = rows.map((r) => {
    const [transaction_id, customer_id] = r.split(',');
    return JSON.stringify({ transaction_id, customer_id });
  });
  const parquetFile = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(200_000, 1), Buffer.from('PAR1')]);
  it.each([
    [
      'a JSON-lines file with an object cut short',
      'broken.jsonl',
      Buffer.from(`${records.join('\n')}\n{"transaction_id":"T9","cust\n${records[0]}\n`),
      'line 4001 is not valid JSON (cut short or malformed); the whole file is refused',
    ],
    [
      'a CSV with a quoted field left open',
      'open.csv',
      Buffer.from(`${header}\n${rows.join('\n')}\nT9,"C1,10.00,2025-06-01\n${rows[0]}\n`),
      'a quoted field opened on line 4002 is never closed; the whole file is refused',
    ],
    [
      'a Parquet file cut in half',
      'half.parquet',
      parquetFile.subarray(0, 100_000),
      'damaged Parquet file (no PAR1 magic at the end: cut short or not whole); the whole file is refused',
    ],
  ])('refuses %s past the head whole: quarantined, nothing accepted', async (_what, name, data, reason) => {
    // Prepare
    const key = `raw/customer_transactions/${name}`;
    s3Mock.on(GetObjectCommand).callsFake((req: { Range?: string }) => ({ Body: rangedBody(data, req.Range) }));
    const event = input(key);
    event.objects[0] = { ...(event.objects[0] as ExecutionInput['objects'][number]), size: data.length };

    // Act
    const act = screenFiles(event, { config, s3 });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'BadInputFile',
      message: expect.stringContaining(`${key}: ${reason} (now at s3://raw-bucket/quarantine/${key})`),
      files: [{ key, reason, location: `s3://raw-bucket/quarantine/${key}` }],
    });
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, { Key: `quarantine/${key}` });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: key });
  });

  it('accepts a whole gzip file after inflating all of it', async () => {
    // Prepare
    const key = 'raw/customer_transactions/whole.csv.gz';
    const gz = gzipSync('transaction_id,customer_id\nT1,C1\n');
    s3Mock.on(GetObjectCommand).callsFake((req: { Range?: string }) => ({ Body: rangedBody(gz, req.Range) }));
    const event = input(key);
    event.objects[0] = { ...(event.objects[0] as ExecutionInput['objects'][number]), size: gz.length };

    // Act
    const out = await screenFiles(event, { config, s3 });

    // Assess
    expect(out.accepted).toEqual([key]);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Range: `bytes=0-${gz.length - 1}` });
  });

  it('says a vanished file was not quarantined, instead of a location that is nowhere', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'not found', $metadata: {} }));

    // Act
    const act = screenFiles(input('raw/customer_transactions/a.csv'), { config, s3 });

    // Assess
    await expect(act).rejects.toThrow(
      'raw/customer_transactions/a.csv: the file is not at its key (deleted, or never landed in this bucket) ' +
        '(not quarantined: it is neither at its key nor in quarantine, removed by someone else)',
    );
    await expect(act).rejects.not.toThrow(/nowhere/);
  });

  it.each([
    ['no bucket', (e: Record<string, unknown>) => ({ ...e, bucket: undefined }), 'bucket'],
    [
      'a size that is text',
      (e: Record<string, unknown>) => ({ ...e, objects: [{ key: 'k', size: '1' }] }),
      'objects[0].size',
    ],
    ['no objects', (e: Record<string, unknown>) => ({ ...e, objects: [] }), 'objects'],
  ])('refuses an input with %s with InvalidEventError naming the field', async (_case, change, field) => {
    // Prepare
    const handler = createHandler({ config, s3 });

    // Act
    const act = handler(change(input('raw/customer_transactions/a.csv') as never) as never, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining(`screen-files input: ${field}:`),
    });
    expect(s3Mock).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('refuses configuration without contracts or with a bad one, naming the variable and the field', () => {
    expect(() => loadScreenFilesConfig({})).toThrow(/DATASET_CONTRACTS is missing/);
    const good = JSON.parse(contractsEnv().DATASET_CONTRACTS).customer_transactions;
    expect(() => loadScreenFilesConfig({ DATASET_CONTRACTS: JSON.stringify({ 'Bad-Name': good }) })).toThrow(
      /DATASET_CONTRACTS/,
    );
    const badType = { ...good, columns: [{ name: 'a', type: 'varchar', required: true }] };
    expect(() => loadScreenFilesConfig({ DATASET_CONTRACTS: JSON.stringify({ d: badType }) })).toThrow(
      /DATASET_CONTRACTS\.d\.columns\.0\.type: must be one of/,
    );
    const badPolicy = { ...good, schemaChange: 'loose' };
    expect(() => loadScreenFilesConfig({ DATASET_CONTRACTS: JSON.stringify({ d: badPolicy }) })).toThrow(
      /DATASET_CONTRACTS\.d\.schemaChange/,
    );
  });

  it('builds CopySource with the key URL-encoded and slashes kept', () => {
    expect(copySource('b', 'raw/x y/ü=1+2.csv')).toBe('b/raw/x%20y/%C3%BC%3D1%2B2.csv');
  });
});
