// The manifest reader: the repo's real manifest loads; every name that reaches SQL is checked.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifest } from '../../../../local/glue/jobs/job-manifest';

const GOOD_OUTPUT = `
outputs:
  - table: out_t
    step: s1
    path: out_t/
    format: parquet
    mode: append
    partitionKeys: [year]
    columns:
      - { name: id, type: bigint }
      - { name: year, type: int }
`;

async function manifestIn(yaml: string, steps: Record<string, string> = { 'steps/s1.sql': 'SELECT 1 AS id;\n' }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-manifest-'));
  for (const [file, sql] of Object.entries(steps)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), sql);
  }
  await writeFile(path.join(dir, 'job.yml'), yaml);
  return path.join(dir, 'job.yml');
}

describe('loadManifest', () => {
  it('loads the customer-analytics manifest with its steps in order and snappy outputs', async () => {
    // Act
    const m = await loadManifest(path.resolve(__dirname, '../../../../datasets/customer_transactions/job.yml'));

    // Assess
    expect(m.name).toBe('customer-analytics');
    expect(m.bookmark).toBe(true);
    expect(m.steps.length).toBeGreaterThan(1);
    expect(m.steps.every((s) => s.sql.length > 0 && !s.sql.trimEnd().endsWith(';'))).toBe(true);
    expect(m.outputs.every((o) => o.compression === 'snappy')).toBe(true);
    expect(m.parameters.as_of).toEqual({ argument: 'as_of', type: 'date', default: 'run_date' });
  });

  it('strips one trailing semicolon and defaults compression to snappy', async () => {
    // Prepare
    const file = await manifestIn(
      `name: t\nsource: { bookmark: false }\nsteps:\n  - { name: s1, sql: steps/s1.sql }\n${GOOD_OUTPUT}`,
    );

    // Act
    const m = await loadManifest(file);

    // Assess
    expect(m.steps).toEqual([{ name: 's1', file: 'steps/s1.sql', sql: 'SELECT 1 AS id' }]);
    expect(m.outputs[0]?.compression).toBe('snappy');
  });

  it("keeps a step's materialize hint", async () => {
    // Prepare
    const file = await manifestIn(
      `name: t\nsource: { bookmark: false }\nsteps:\n  - { name: s1, sql: steps/s1.sql, materialize: false }\n${GOOD_OUTPUT}`,
    );

    // Act
    const m = await loadManifest(file);

    // Assess
    expect(m.steps[0]?.materialize).toBe(false);
  });

  it.each([
    ['a step name that is not an identifier', 'steps:\n  - { name: "s1; DROP", sql: steps/s1.sql }', /steps\.0\.name/],
    ['a reserved step name', 'steps:\n  - { name: source, sql: steps/s1.sql }', /reserved/],
    ['the reserved step name source_files', 'steps:\n  - { name: source_files, sql: steps/s1.sql }', /reserved/],
    ['a step file outside the job folder', 'steps:\n  - { name: s1, sql: ../../etc/passwd }', /leaves the job folder/],
    ['a missing step file', 'steps:\n  - { name: s1, sql: steps/nope.sql }', /cannot read steps\/nope\.sql/],
    [
      'a materialize hint that is not a boolean',
      'steps:\n  - { name: s1, sql: steps/s1.sql, materialize: no }',
      /steps\.0\.materialize/,
    ],
  ])('rejects %s', async (_, steps, message) => {
    // Prepare
    const file = await manifestIn(`name: t\nsource: { bookmark: false }\n${steps}\n`);

    // Act / Assess
    await expect(loadManifest(file)).rejects.toMatchObject({
      name: 'ManifestError',
      message: expect.stringMatching(message),
    });
  });

  it.each([
    [
      'partition keys that are not the last columns',
      GOOD_OUTPUT.replace('[year]', '[id]'),
      /partitionKeys must be the last/,
    ],
    ['an unsupported column type', GOOD_OUTPUT.replace('type: bigint', 'type: geometry'), /unsupported Glue type/],
    ['an output of an unknown step', GOOD_OUTPUT.replace('step: s1', 'step: s9'), /unknown step "s9"/],
    ['a path that climbs out', GOOD_OUTPUT.replace('path: out_t/', 'path: ../x/'), /relative folder path/],
  ])('rejects %s', async (_, outputs, message) => {
    // Prepare
    const file = await manifestIn(
      `name: t\nsource: { bookmark: false }\nsteps:\n  - { name: s1, sql: steps/s1.sql }\n${outputs}`,
    );

    // Act / Assess
    await expect(loadManifest(file)).rejects.toMatchObject({
      name: 'ManifestError',
      message: expect.stringMatching(message),
    });
  });

  it('reads a secret parameter, which must be a string with no default', async () => {
    // Prepare
    const head = 'name: j\nsource: { bookmark: false }\nsteps:\n  - { name: s1, sql: steps/s1.sql }\n';
    const secret = await manifestIn(
      `${head}parameters:\n  salt: { argument: email_salt, type: string, secret: true }\n`,
    );
    const typed = await manifestIn(`${head}parameters:\n  salt: { argument: s, type: int, secret: true }\n`);
    const withDefault = await manifestIn(
      `${head}parameters:\n  salt: { argument: s, type: string, secret: true, default: x }\n`,
    );
    // Act / Assess
    expect((await loadManifest(secret)).parameters.salt).toEqual({
      argument: 'email_salt',
      type: 'string',
      secret: true,
    });
    for (const file of [typed, withDefault]) {
      await expect(loadManifest(file)).rejects.toThrow('parameter "salt": a secret is a string with no default');
    }
  });
});
