// The contract's formats and schema-change policy through the screen-files handler, on real files served by the
// real S3 client under aws-sdk-client-mock (ranged reads, as S3 answers them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CopyObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as buildNotificationHandler } from '../../../functions/build-notification/app';
import { createHandler, loadScreenFilesConfig, type ScreenResult } from '../../../functions/screen-files/app';
import type { DatasetContract } from '../../../functions/screen-files/contract';
import { s3Adapter } from '../../../functions/shared/aws-ports';
import { lambdaContext } from '../../fixtures/lambda-context';
import { contractsEnv, parquetOf, rangedBody, sizedInput } from './support';

const COLUMNS: DatasetContract['columns'] = [
  { name: 'customer_id', type: 'string', required: true },
  { name: 'age', type: 'int', required: false },
  { name: 'balance', type: 'decimal(10,2)', required: false },
  { name: 'active', type: 'boolean', required: false },
  { name: 'signup_date', type: 'date', required: false },
  { name: 'updated_at', type: 'timestamp', required: false },
  { name: 'score', type: 'double', required: false },
];

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name));

describe('screen-files under a contract', () => {
  const s3Mock = mockClient(S3Client);
  const s3 = s3Adapter(new S3Client({ region: 'eu-west-1' }));
  beforeEach(() => s3Mock.reset());
  afterAll(() => s3Mock.restore());

  /** Runs the handler on one file (named `name` under the dataset prefix) with the contract's overrides. */
  function screen(name: string, data: Uint8Array, overrides: Partial<DatasetContract>): Promise<ScreenResult> {
    s3Mock.on(GetObjectCommand).callsFake((req: { Range?: string }) => ({ Body: rangedBody(data, req.Range) }));
    const config = loadScreenFilesConfig(contractsEnv({ columns: COLUMNS, ...overrides }));
    const handler = createHandler({ config, s3 });
    return handler(sizedInput(data.length, `raw/customer_transactions/${name}`) as never, lambdaContext);
  }

  /** Screens each file in turn under strict (the S3 mock serves one file at a time); what each threw. */
  async function strictFailures(files: ReadonlyArray<readonly [string, Uint8Array]>): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const [name, data] of files) {
      failures.push(await screen(name, data, { schemaChange: 'strict' }).catch((error: unknown) => error));
    }
    return failures;
  }

  const refusal = (name: string, reason: string) => ({
    name: 'BadInputFile',
    files: [{ key: `raw/customer_transactions/${name}`, reason, location: expect.any(String) }],
  });

  describe('strict', () => {
    it.each(['fits.csv', 'fits.jsonl'])(
      'accepts %s: every value fits its type, an empty or absent one is NULL',
      async (name) => {
        // Act
        const out = await screen(name, fixture(name), { schemaChange: 'strict' });

        // Assess
        expect(out.accepted).toEqual([`raw/customer_transactions/${name}`]);
        expect(out.drift).toBeUndefined();
      },
    );

    it('quarantines a CSV file with a column the contract does not name, naming the column', async () => {
      // Act
      const act = screen('drift.csv', fixture('drift.csv'), { schemaChange: 'strict' });

      // Assess
      await expect(act).rejects.toMatchObject(
        refusal(
          'drift.csv',
          'column nickname (line 1) is not in the contract (schema change policy strict); the whole file is refused',
        ),
      );
      expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
        Key: 'quarantine/raw/customer_transactions/drift.csv',
      });
    });

    it('quarantines a CSV file with a value that does not fit, naming the column and the first offending line', async () => {
      // Act
      const act = screen('misfit.csv', fixture('misfit.csv'), { schemaChange: 'strict' });

      // Assess
      await expect(act).rejects.toMatchObject(
        refusal(
          'misfit.csv',
          'column age: the value "N/A" on line 3 does not fit its type int (schema change policy strict); ' +
            'the whole file is refused',
        ),
      );
    });

    it('quarantines a JSON-lines file with a key the contract does not name, or a value that does not fit', async () => {
      // Prepare
      const decimal = Buffer.from('{"customer_id":"C1","age":7}\n{"customer_id":"C2","balance":"12.345"}\n');
      const integer = Buffer.from('{"customer_id":"C1","age":7}\n\n{"customer_id":"C2","age":2.5}\n');

      // Act (one at a time: the S3 mock serves one file)
      const failures = await strictFailures([
        ['drift.jsonl', fixture('drift.jsonl')],
        ['decimal.jsonl', decimal],
        ['integer.jsonl', integer],
      ]);

      // Assess
      const tail = ' (schema change policy strict); the whole file is refused';
      expect(failures).toEqual([
        expect.objectContaining(refusal('drift.jsonl', `column tier (line 2) is not in the contract${tail}`)),
        expect.objectContaining(
          refusal(
            'decimal.jsonl',
            `column balance: the value "12.345" on line 2 does not fit its type decimal(10,2)${tail}`,
          ),
        ),
        expect.objectContaining(
          refusal('integer.jsonl', `column age: the value "2.5" on line 3 does not fit its type int${tail}`),
        ),
      ]);
    });

    it('accepts an empty value in a required column: a row without its key is the job’s to reject, with a reason', async () => {
      // Prepare
      const file = Buffer.from('customer_id,age\nC1,1\n,2\n');

      // Act
      const result = await screen('empty-key.csv', file, { schemaChange: 'strict' });

      // Assess: the file passes screening whole; a misfit on the same line would still refuse it.
      expect(JSON.stringify(result)).toContain('empty-key.csv');
      await expect(
        screen('empty-key-bad-age.csv', Buffer.from('customer_id,age\nC1,1\n,x\n'), { schemaChange: 'strict' }),
      ).rejects.toMatchObject(
        refusal(
          'empty-key-bad-age.csv',
          'column age: the value "x" on line 3 does not fit its type int (schema change policy strict); the whole file is refused',
        ),
      );
    });

    it('finds a misfit far past the head in the one whole-file pass, reading no more than evolve does', async () => {
      // Prepare: 200,000 good rows (several ranged chunks), then one bad value.
      const rows = Array.from({ length: 200_000 }, (_, i) => `C${i},${i % 100},${i % 1000}.25`);
      const file = Buffer.from(`customer_id,age,balance\n${rows.join('\n')}\nC-bad,1,1.999\n`);
      await screen('big.csv', file, { schemaChange: 'evolve' });
      const evolveReads = s3Mock.commandCalls(GetObjectCommand).length;
      s3Mock.reset();

      // Act
      const act = screen('big.csv', file, { schemaChange: 'strict' });

      // Assess
      await expect(act).rejects.toMatchObject(
        refusal(
          'big.csv',
          'column balance: the value "1.999" on line 200002 does not fit its type decimal(10,2) ' +
            '(schema change policy strict); the whole file is refused',
        ),
      );
      expect(s3Mock.commandCalls(GetObjectCommand).length).toBe(evolveReads);
    });
  });

  describe('warn', () => {
    it('accepts a CSV file that drifts and returns the drift by column: new columns, values that do not fit', async () => {
      // Act
      const out = await screen('drift.csv', fixture('drift.csv'), { schemaChange: 'warn' });

      // Assess
      expect(out.accepted).toEqual(['raw/customer_transactions/drift.csv']);
      expect(out.drift).toEqual([
        {
          key: 'raw/customer_transactions/drift.csv',
          newColumns: ['nickname'],
          misfits: [
            { column: 'age', type: 'int', values: 2, firstLine: 3, sample: 'N/A' },
            { column: 'balance', type: 'decimal(10,2)', values: 1, firstLine: 3, sample: '12.345' },
            { column: 'active', type: 'boolean', values: 1, firstLine: 3, sample: 'yes' },
            { column: 'signup_date', type: 'date', values: 1, firstLine: 3, sample: '2026-02-30' },
            { column: 'updated_at', type: 'timestamp', values: 1, firstLine: 3, sample: 'yesterday' },
            { column: 'score', type: 'double', values: 1, firstLine: 3, sample: 'high' },
          ],
        },
      ]);
      expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
    });

    it('accepts a JSON-lines file that drifts and returns its drift', async () => {
      // Act
      const out = await screen('drift.jsonl', fixture('drift.jsonl'), { schemaChange: 'warn' });

      // Assess
      expect(out.drift).toEqual([
        {
          key: 'raw/customer_transactions/drift.jsonl',
          newColumns: ['tier'],
          misfits: [
            { column: 'age', type: 'int', values: 2, firstLine: 2, sample: 'N/A' },
            { column: 'balance', type: 'decimal(10,2)', values: 1, firstLine: 2, sample: '1.005' },
            { column: 'active', type: 'boolean', values: 1, firstLine: 3, sample: 'maybe' },
            { column: 'signup_date', type: 'date', values: 1, firstLine: 3, sample: '(a nested object or array)' },
          ],
        },
      ]);
    });

    it("lists the drift in the execution's notification when screen-files' result travels in the state", async () => {
      // Prepare
      const screening = await screen('drift.csv', fixture('drift.csv'), { schemaChange: 'warn' });
      const state = { ...sizedInput(231, 'raw/customer_transactions/drift.csv'), screening, validationResults: [] };

      // Act
      const notification = await buildNotificationHandler()(
        { kind: 'completed', execution: { name: 'customer_transactions-20261124T000000Z-0123456789' }, state },
        lambdaContext,
      );

      // Assess
      expect(notification.outcome).toBe('SUCCEEDED');
      expect(notification.subject).toBe(
        '[lakepipe] customer_transactions succeeded, schema changed: 1 file(s), no validations configured',
      );
      expect(notification.message).toContain(
        [
          'Schema drift (accepted: the schema change policy is warn):',
          '  raw/customer_transactions/drift.csv:',
          '    new columns, not in the contract: nickname',
          '    age: 2 value(s) do not fit int, first on line 3: "N/A"',
          '    balance: 1 value(s) do not fit decimal(10,2), first on line 3: "12.345"',
        ].join('\n'),
      );
      expect(notification.message).toContain('    score: 1 value(s) do not fit double, first on line 3: "high"');
    });

    it('lists at most 50 new columns per file, counting the rest, so the drift stays small in the state', async () => {
      // Prepare
      const extra = Array.from({ length: 70 }, (_, i) => `x${i}`);
      const file = Buffer.from(`customer_id,${extra.join(',')}\nC1${',1'.repeat(70)}\n`);

      // Act
      const out = await screen('wide.csv', file, { schemaChange: 'warn' });

      // Assess
      expect(out.drift?.[0]?.newColumns).toEqual(extra.slice(0, 50));
      expect(out.drift?.[0]?.moreNewColumns).toBe(20);
    });

    it('returns no drift for a file that fits', async () => {
      // Act
      const out = await screen('fits.csv', fixture('fits.csv'), { schemaChange: 'warn' });

      // Assess
      expect(out.drift).toBeUndefined();
    });
  });

  describe('Parquet, by the types its footer gives', () => {
    const fitting = `SELECT 'C' || range AS customer_id, 7::TINYINT AS age, 1.5::DECIMAL(4,1) AS balance, true AS active,
      DATE '2026-01-01' AS signup_date, TIMESTAMP '2026-01-01 10:00:00' AS updated_at, 1.5::FLOAT AS score
      FROM range(5)`;

    it('accepts under strict a file whose columns all read as their declared types (narrower ones widen)', async () => {
      // Act
      const out = await screen('fits.parquet', await parquetOf(fitting), { schemaChange: 'strict' });

      // Assess
      expect(out.accepted).toEqual(['raw/customer_transactions/fits.parquet']);
      expect(out.drift).toBeUndefined();
    });

    it('quarantines under strict a column of another type, or one the contract does not name', async () => {
      // Prepare
      const wrongType = await parquetOf("SELECT 'C1' AS customer_id, 'N/A' AS age");
      const extra = await parquetOf("SELECT 'C1' AS customer_id, 'gold' AS tier");

      // Act
      const failures = await strictFailures([
        ['type.parquet', wrongType],
        ['extra.parquet', extra],
      ]);

      // Assess
      expect(failures).toEqual([
        expect.objectContaining(
          refusal(
            'type.parquet',
            "column age: the file's type string does not fit its type int (schema change policy strict)",
          ),
        ),
        expect.objectContaining(
          refusal('extra.parquet', 'column tier is not in the contract (schema change policy strict)'),
        ),
      ]);
    });

    it('quarantines a file without a required column, under warn too', async () => {
      // Act
      const act = screen('no-key.parquet', await parquetOf('SELECT 1 AS age'), { schemaChange: 'warn' });

      // Assess
      await expect(act).rejects.toMatchObject(refusal('no-key.parquet', 'missing columns: customer_id'));
    });

    it('accepts under warn and returns the drift: new columns, columns of another type with the row count', async () => {
      // Act
      const out = await screen(
        'drift.parquet',
        await parquetOf("SELECT 'C' || range AS customer_id, range::BIGINT AS age, 'gold' AS tier FROM range(4)"),
        { schemaChange: 'warn' },
      );

      // Assess
      expect(out.drift).toEqual([
        {
          key: 'raw/customer_transactions/drift.parquet',
          newColumns: ['tier'],
          misfits: [{ column: 'age', type: 'int', values: 4, fileType: 'bigint' }],
        },
      ]);
    });

    it('reads only the tail and the footer of the file', async () => {
      // Prepare
      const file = await parquetOf(`${fitting.replace('range(5)', 'range(100000)')}`);

      // Act
      await screen('big.parquet', file, { schemaChange: 'strict' });

      // Assess: the head, the last 8 bytes, the footer; never the data.
      const ranges = s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Range);
      const footer = file.readUInt32LE(file.length - 8);
      expect(ranges).toEqual([
        'bytes=0-65535',
        `bytes=${file.length - 8}-${file.length - 1}`,
        `bytes=${file.length - 8 - footer}-${file.length - 9}`,
      ]);
    });
  });

  describe('evolve', () => {
    it('accepts new columns and values of any shape, as before, and reports nothing', async () => {
      // Act
      const out = await screen('drift.csv', fixture('drift.csv'), { schemaChange: 'evolve' });

      // Assess
      expect(out.accepted).toEqual(['raw/customer_transactions/drift.csv']);
      expect(out.drift).toBeUndefined();
    });
  });

  describe('formats and dialect', () => {
    it('quarantines a file of a format the dataset does not accept, saying which it accepts', async () => {
      // Act
      const act = screen('fits.jsonl', fixture('fits.jsonl'), { formats: ['csv', 'parquet'] });

      // Assess
      await expect(act).rejects.toMatchObject(
        refusal('fits.jsonl', 'format jsonl is not accepted by this dataset (it accepts csv, parquet)'),
      );
    });

    it("reads the header with the contract's delimiter and quote, and says when the file uses another", async () => {
      // Prepare
      const semicolons = Buffer.from("'customer_id';'age'\n'C;1';4\n");

      // Act
      const out = await screen('semi.csv', semicolons, {
        csv: { delimiter: ';', quote: "'" },
        schemaChange: 'strict',
      });
      const act = screen('fits.csv', fixture('fits.csv'), { csv: { delimiter: ';', quote: '"' } });

      // Assess
      expect(out.accepted).toEqual(['raw/customer_transactions/semi.csv']);
      await expect(act).rejects.toMatchObject(
        refusal('fits.csv', 'missing columns: customer_id (the header is delimited by ","; the contract says ";")'),
      );
    });
  });
});
