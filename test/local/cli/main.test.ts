// The CLI as an operator uses it: exit codes (0 ok, 1 pipeline failed, 2 bad usage/input), --json on stdout,
// one-line reasons on stderr.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { generated, tempDir } from '../e2e/support';
import { cli } from './support';

jest.setTimeout(120_000);

describe('lakepipe CLI', () => {
  let home: string;
  let dir: string;

  beforeAll(async () => {
    home = await tempDir('lakepipe-cli-');
    dir = await tempDir('lakepipe-cli-data-');
  });

  it('exits 2 with a one-line reason for bad usage and bad input', async () => {
    const unknown = await cli('frobnicate', '--home', home);
    const missing = await cli('run', path.join(dir, 'nope.csv'), '--home', home);
    const unsupported = path.join(dir, 'notes.txt');
    await writeFile(unsupported, 'hello');
    const wrongType = await cli('run', unsupported, '--home', home);
    const badFlag = await cli('generate', '--rows', 'many', '--out', path.join(dir, 'x.csv'));
    const noExecution = await cli('describe', 'no-such-execution', '--home', home);

    expect([unknown.code, missing.code, wrongType.code, badFlag.code, noExecution.code]).toEqual([2, 2, 2, 2, 2]);
    expect(unknown.stderr).toBe('lakepipe: unknown command "frobnicate" (see: lakepipe --help)\n');
    expect(missing.stderr).toMatch(/^lakepipe: no such file: .*nope\.csv\n$/);
    expect(wrongType.stderr).toMatch(/unsupported file type: .*notes\.txt/);
    expect(badFlag.stderr).toBe('lakepipe: --rows must be a number >= 0, got "many"\n');
    expect(noExecution.stderr).toMatch(/no execution named no-such-execution/);
  });

  it('runs the pipeline on a file and prints the summary as JSON', async () => {
    const file = await generated(dir, 'cli-day.csv', { rows: 500, seed: 21, idPrefix: 'CLI-' });

    const { code, stdout } = await cli('run', file, '--home', home, '--json');

    expect(code).toBe(0);
    const [summary] = JSON.parse(stdout);
    expect(summary).toMatchObject({
      status: 'SUCCEEDED',
      files: ['raw/customer_transactions/cli-day.csv'],
      rowsRead: 500,
    });
    expect(summary.validations.every((v: { passed: boolean }) => v.passed)).toBe(true);
  });

  it('answers Athena SQL over the catalog as JSON rows, and exits 1 with the reason for a bad query', async () => {
    const ok = await cli('query', 'SELECT count(*) AS n FROM customer_transactions', '--home', home, '--json');
    const bad = await cli('query', 'SELECT nope FROM customer_transactions', '--home', home);

    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([{ n: '500' }]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^query failed: .*nope/m);
  });

  it('lists catalog tables and describes one', async () => {
    const all = await cli('catalog', '--home', home, '--json');
    const one = await cli('catalog', 'transactions_enriched', '--home', home);

    expect(JSON.parse(all.stdout).map((t: { Name: string }) => t.Name)).toContain('transactions_enriched');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/year +int +\(partition key\)/);
  });

  it('lists and describes executions', async () => {
    const list = await cli('executions', '--home', home, '--json');
    const [first] = JSON.parse(list.stdout);
    const described = await cli('describe', first.name, '--home', home, '--json');

    expect(first.status).toBe('SUCCEEDED');
    const states = JSON.parse(described.stdout).states.map((s: { state: string }) => s.state);
    expect(states).toEqual(expect.arrayContaining(['ScreenFiles', 'CheckCatalog', 'RunJob', 'RunValidations']));
  });

  it('invokes start-pipeline with s3:TestEvent (nothing starts) and with an event captured on AWS', async () => {
    const test = await cli(
      'invoke',
      'start-pipeline',
      '--event',
      path.join(REPO_ROOT, 'events/s3-sqs/test-event.json'),
      '--home',
      home,
    );
    // A real captured event names an object that is not in the local bucket: the execution fails naming it.
    const captured = await cli(
      'invoke',
      'start-pipeline',
      '--event',
      path.join(REPO_ROOT, 'events/s3-sqs/object-created-put.json'),
      '--home',
      home,
    );

    expect(test.code).toBe(0);
    expect(test.stdout).toContain('started no execution');
    expect(captured.code).toBe(1);
    expect(captured.stdout).toMatch(/BadInputFile: .*transactions-2026-11-23\.csv: the file is not at its key/);
  });
});
