// The CLI as a process: --verbose shows the Lambdas' logs, and a reader that stops early (`| head -1`) ends the
// output quietly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { tempDir } from '../e2e/support';

jest.setTimeout(120_000);

/** Runs bin/lakepipe.cjs to its end; what it wrote on stdout and stderr. */
async function lakepipe(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The level as an operator's shell has it: unset, so the CLI's own default applies.
  const { POWERTOOLS_LOG_LEVEL: _level, ...env } = process.env;
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('lakepipe --verbose', () => {
  it("shows the Lambdas' INFO logs on stderr, which are hidden without it, and leaves stdout as it was", async () => {
    const home = await tempDir('lakepipe-cli-verbose-');
    const event = path.join(REPO_ROOT, 'events/s3-sqs/test-event.json');

    const quiet = await lakepipe('invoke', 'start-pipeline', '--event', event, '--home', home);
    const verbose = await lakepipe('invoke', 'start-pipeline', '--event', event, '--home', home, '--verbose');

    expect([quiet.code, verbose.code]).toEqual([0, 0]);
    expect(quiet.stdout + quiet.stderr).not.toMatch(/"level": ?"INFO"/);
    expect(verbose.stderr).toMatch(/"level": ?"INFO"/);
    expect(verbose.stderr).toMatch(/"message": ?"s3:TestEvent ignored"/);
    expect(verbose.stdout).toBe(quiet.stdout);
  });

  it('keeps stdout machine-readable with --json', async () => {
    const home = await tempDir('lakepipe-cli-verbose-json-');
    const event = path.join(REPO_ROOT, 'events/s3-sqs/test-event.json');

    const { code, stdout, stderr } = await lakepipe(
      'invoke',
      'start-pipeline',
      '--event',
      event,
      '--home',
      home,
      '--verbose',
      '--json',
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ started: [] }));
    expect(stderr).toMatch(/"level": ?"INFO"/);
  });
});

describe('lakepipe in a pipeline', () => {
  it('exits 0 without a word when stdout is closed after the first line', async () => {
    const home = await tempDir('lakepipe-cli-pipe-');
    // Far more output than a pipe buffers, so the CLI is still writing when the reader goes away.
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'),
        'query',
        'SELECT x FROM UNNEST(sequence(1, 50000)) AS t(x)',
        '--max-rows',
        '50000',
      ],
      { env: { ...process.env, LAKEPIPE_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    let firstLine = '';
    child.stdout.on('data', (chunk) => {
      if (firstLine) return;
      firstLine = String(chunk).split('\n')[0] ?? '';
      child.stdout.destroy();
    });

    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );

    expect(firstLine.trim()).toBe('x');
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
