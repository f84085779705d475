// prepare-validations: validation files from a temp DATASETS_DIR (<dataset>/validations/<name>.sql), the three placeholders substituted with
// validated values, everything else refused.
import '../../fixtures/quiet-logs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createHandler,
  loadPrepareValidationsConfig,
  type PrepareValidationsInput,
} from '../../../functions/prepare-validations/app';
import { ConfigError } from '../../../functions/shared/errors';
import { sqlString } from '../../../functions/shared/sql-literal';
import { lambdaContext } from '../../fixtures/lambda-context';

/** rejected_share.sql, row_count.sql and typo.sql (which misspells two placeholders). */
const FIXTURES = path.join(__dirname, 'fixtures');
const RUN_ID = 'customer_transactions-20261124T100000Z-0a1b2c3d4e';
const DATASET = 'customer_transactions';
let dir: string;
let filesRead: string[];

function run(overrides: Partial<PrepareValidationsInput> = {}, env: Record<string, string> = {}) {
  const config = loadPrepareValidationsConfig({ DATASETS_DIR: dir, ...env });
  const readText = (file: string) => {
    filesRead.push(file);
    return readFile(file, 'utf8');
  };
  const handler = createHandler({ config, readText });
  return handler(
    { dataset: DATASET, database: 'lakepipe', runId: RUN_ID, validations: ['rejected_share'], ...overrides },
    lambdaContext,
  );
}

describe('prepare-validations', () => {
  beforeEach(async () => {
    filesRead = [];
    dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-validations-'));
    const validations = path.join(dir, DATASET, 'validations');
    await mkdir(validations, { recursive: true });
    for (const file of await readdir(FIXTURES)) await copyFile(path.join(FIXTURES, file), path.join(validations, file));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('substitutes database bare, run_id as a quoted literal and rejected_share_max as a number, in order', async () => {
    // Act
    const queries = await run({ validations: ['rejected_share', 'row_count'] }, { REJECTED_SHARE_MAX: '0.02' });

    // Assess
    expect(queries).toEqual([
      {
        name: 'rejected_share',
        queryString:
          'SELECT rejected / total <= 0.02 AS passed, rejected, total\n' +
          "FROM lakepipe.run_summary WHERE run_id = 'customer_transactions-20261124T100000Z-0a1b2c3d4e'",
      },
      { name: 'row_count', queryString: 'SELECT count(*) > 0 AS passed FROM lakepipe.t' },
    ]);
  });

  it('defaults REJECTED_SHARE_MAX to 0.05 and DATASETS_DIR to ./datasets', async () => {
    // Act
    const config = loadPrepareValidationsConfig({});
    const queries = await run();

    // Assess
    expect(config).toEqual({ datasetsDir: path.resolve('datasets'), rejectedShareMax: 0.05 });
    expect(queries[0]?.queryString).toContain('<= 0.05 AS passed');
  });

  it.each(['abc', '-1', '1.5'])('refuses REJECTED_SHARE_MAX=%s with a ConfigError naming it', (value) => {
    // Act
    const act = () => loadPrepareValidationsConfig({ REJECTED_SHARE_MAX: value });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(expect.objectContaining({ variable: 'REJECTED_SHARE_MAX' }));
  });

  it('refuses a file with any other placeholder, naming the file and the placeholders', async () => {
    // Act
    const act = run({ validations: ['typo'] });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'ValidationQueryError',
      validation: 'typo',
      message: `validations/typo.sql uses unknown placeholder(s) $\{databse}, $\{runid}`,
    });
  });

  it.each([
    ['database', { database: 'lakepipe; DROP TABLE x' }],
    ['database', { database: 'Lakepipe' }],
    ['run_id', { runId: "x' OR '1'='1" }],
    ['run_id', { runId: 'a'.repeat(81) }],
    ['run_id', { runId: '' }],
  ])('refuses a bad %s value before reading any file', async (placeholder, overrides) => {
    // Act
    const act = run(overrides);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidPlaceholderValueError', placeholder });
    expect(filesRead).toEqual([]);
  });

  it.each(['../rejected_share', 'sub/row_count', 'row_count.sql', ''])(
    'refuses the validation name %j (it would leave the folder or name no file)',
    async (name) => {
      // Act
      const act = run({ validations: [name] });

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ValidationQueryError' });
      expect(filesRead).toEqual([]);
    },
  );

  it.each(['../customer_transactions', 'Customer', ''])(
    'refuses the dataset name %j before reading any file (it names a folder)',
    async (dataset) => {
      // Act
      const act = run({ dataset });

      // Assess
      await expect(act).rejects.toMatchObject({
        name: 'ValidationQueryError',
        message: expect.stringContaining('prepare-validations input: dataset:'),
      });
      expect(filesRead).toEqual([]);
    },
  );

  it.each([
    ['validations[1]', { validations: ['row_count', 7] }],
    ['runId', { runId: undefined }],
  ])('names the bad field %s of a malformed input', async (field, overrides) => {
    // Act
    const act = run(overrides as unknown as Partial<PrepareValidationsInput>);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'ValidationQueryError',
      message: expect.stringContaining(`prepare-validations input: ${field}:`),
    });
    expect(filesRead).toEqual([]);
  });

  it('fails with the file name when a validation file is missing', async () => {
    // Act
    const act = run({ validations: ['no_such_check'] });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'ValidationQueryError', validation: 'no_such_check' });
    await expect(act).rejects.toThrow(path.join(dir, DATASET, 'validations', 'no_such_check.sql'));
  });

  it('returns an empty list for a dataset with no validations', async () => {
    // Act
    const queries = await run({ validations: [] });

    // Assess
    expect(queries).toEqual([]);
  });

  it('quotes string literals by doubling single quotes', () => {
    // Act
    const literal = sqlString("it's a 'test'");

    // Assess
    expect(literal).toBe("'it''s a ''test'''");
  });

  it('renders every real validations/*.sql: they use only the three contract placeholders', async () => {
    // Prepare
    const datasetsDir = path.join(__dirname, '../../../datasets');
    const realDir = path.join(datasetsDir, DATASET, 'validations');
    const names = (await readdir(realDir)).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4));
    const handler = createHandler({ config: loadPrepareValidationsConfig({ DATASETS_DIR: datasetsDir }) });

    // Act
    const queries = await handler(
      { dataset: DATASET, database: 'lakepipe', runId: RUN_ID, validations: names },
      lambdaContext,
    );

    // Assess
    expect(queries.map((q) => q.name)).toEqual(names);
    for (const q of queries) expect(q.queryString).not.toMatch(/\$\{/);
  });
});
