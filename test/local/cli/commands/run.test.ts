// `lakepipe run` when nothing new starts: each file is said to be empty (ignored by the arrival handler) or
// delivered before, naming only an execution that exists.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
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
