// `lakepipe run` when nothing new starts: each file is said to be empty (ignored by the arrival handler) or
// delivered before, naming only an execution that exists.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateProfilesFile } from '../../../../local/generate/profiles';
import { BUCKETS } from '../../../../local/twin/config';
import { generated, tempDir } from '../../e2e/support';
import { cli } from '../support';

jest.setTimeout(120_000);

const IGNORED = /^ignored (\S+): the file is empty \(the arrival handler skips zero-byte objects\)$/m;

describe('lakepipe run with empty files and files delivered before', () => {
  let home: string;
  let dir: string;

  beforeAll(async () => {
    home = await tempDir('lakepipe-cli-run-');
    dir = await tempDir('lakepipe-cli-run-data-');
  });

  it('says an empty file was ignored because it is empty, and names no execution', async () => {
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');

    const { code, stdout } = await cli('run', empty, '--home', home);

    expect(code).toBe(0);
    expect(stdout.match(IGNORED)?.[1]).toBe('raw/customer_transactions/empty.csv');
    expect(stdout).not.toMatch(/describe|delivered before/);
    expect((await cli('executions', '--home', home, '--json')).stdout).toBe('[]\n');
  });

  it('says which files were empty and which were delivered before, naming the execution that exists', async () => {
    const day = await generated(dir, 'day.csv', { rows: 200, seed: 5, idPrefix: 'RUN-' });
    const first = await cli('run', day, '--home', home, '--json');
    const [summary] = JSON.parse(first.stdout) as { name: string; status: string }[];
    const blank = path.join(dir, 'blank.csv');
    await writeFile(blank, '');

    const again = await cli('run', day, blank, '--home', home);

    expect(summary?.status).toBe('SUCCEEDED');
    expect(again.code).toBe(0);
    expect(again.stdout.match(IGNORED)?.[1]).toBe('raw/customer_transactions/blank.csv');
    expect(again.stdout).toContain(
      `the other files were delivered before; no new execution (see: lakepipe describe ${summary?.name})`,
    );
    expect((await cli('describe', summary?.name ?? '', '--home', home)).code).toBe(0);
  });

  it('runs the files with data and says on stderr which empty ones were ignored', async () => {
    const fresh = await generated(dir, 'fresh.csv', { rows: 100, seed: 6, idPrefix: 'FRESH-' });
    const hollow = path.join(dir, 'hollow.csv');
    await writeFile(hollow, '');

    const { code, stdout, stderr } = await cli('run', fresh, hollow, '--home', home, '--json');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0]).toMatchObject({
      status: 'SUCCEEDED',
      files: ['raw/customer_transactions/fresh.csv'],
    });
    expect(stderr.match(IGNORED)?.[1]).toBe('raw/customer_transactions/hollow.csv');
  });

  it('says a hidden file (a name starting with "_" or ".") was ignored and why, and names no execution', async () => {
    const hidden = await generated(dir, '_staging.csv', { rows: 10, seed: 7, idPrefix: 'HID-' });

    const { code, stdout } = await cli('run', hidden, '--home', await tempDir('lakepipe-cli-run-hidden-'));

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ignored raw\/customer_transactions\/_staging\.csv: its name starts with "_" or "\." \(hidden files are skipped/m,
    );
    expect(stdout).not.toMatch(/describe|delivered before/);
  });
});

describe('lakepipe run --dataset', () => {
  it('lands the files under that dataset’s prefix', async () => {
    // Prepare
    const home = await tempDir('lakepipe-cli-run-dataset-');
    const dir = await tempDir('lakepipe-cli-run-dataset-data-');
    const file = path.join(dir, 'crm-export.jsonl');
    await generateProfilesFile(file, { rows: 20, seed: 3 });
    // Act
    const { code, stdout, stderr } = await cli('run', '--dataset', 'customer_profiles', file, '--home', home);
    // Assess
    expect(code).toBe(0);
    expect(stderr).toMatch(/^landed 1 file\(s\) in s3:\/\/\S+\/raw\/customer_profiles\/$/m);
    const landed = path.join(home, 'buckets', BUCKETS.raw, 'raw/customer_profiles/crm-export.jsonl');
    expect(await readFile(landed, 'utf8')).toBe(await readFile(file, 'utf8'));
    // The twin serves every dataset of the registry: the profiles' own crawler, job and validations ran.
    expect(stdout).toMatch(/^✓ customer_profiles-\S+: SUCCEEDED in /m);
    expect(stdout).toMatch(/^ {2}written: .*customer_profiles_current \d+/m);
  });

  it('generates a sample of the dataset when no file is given', async () => {
    // Prepare
    const home = await tempDir('lakepipe-cli-run-dataset-sample-');
    // Act
    const { stderr } = await cli('run', '--dataset', 'customer_profiles', '--rows', '30', '--home', home);
    // Assess
    const sample = /generating 30 sample profiles -> (\S+\.jsonl)$/m.exec(stderr)?.[1] ?? '';
    const lines = (await readFile(sample, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(30);
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toContain('email');
    expect(stderr).toMatch(/^landed 1 file\(s\) in s3:\/\/\S+\/raw\/customer_profiles\/$/m);
  });

  it('refuses a dataset the registry does not declare, naming those it does', async () => {
    // Act
    const { code, stderr } = await cli('run', '--dataset', 'orders', 'x.csv', '--home', await tempDir('lakepipe-cli-'));
    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe('lakepipe: datasets/: no dataset "orders" (have: customer_profiles, customer_transactions)\n');
  });
});
