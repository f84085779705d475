// The CLI as a process in a pipeline: a reader that stops early (`| head -1`) ends the output quietly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { tempDir } from '../e2e/support';

jest.setTimeout(120_000);

describe('lakepipe in a pipeline', () => {
  it('exits 0 without a word when stdout is closed after the first line', async () => {
    const home = await tempDir('lakepipe-cli-pipe-');
    // Far more output than a pipe buffers, so the CLI is still writing when the reader goes away.
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), 'query', 'SELECT * FROM range(50000) t(x)', '--max-rows', '50000'],
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
