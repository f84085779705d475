// Two `lakepipe run` processes on one --home: the second waits for the first's executions, says so, and
// every transaction is counted once.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { generated, newTwin, sql, tempDir } from './support';

jest.setTimeout(180_000);

interface Finished {
  code: number | null;
  stderr: string;
  stdout: string;
}

function lakepipe(args: string[]): Promise<Finished> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Crawler polls 6 s apart: an execution outlasts the other process's start-up, even on a busy machine.
    env: { ...process.env, LAKEPIPE_TIME_SCALE: '0.2' },
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  return new Promise<Finished>((resolve) => {
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('two lakepipe processes on one workspace', () => {
  it('started together: one waits for the other and says so, each id is counted once, both exit 0', async () => {
    // Prepare
    const home = await tempDir();
    const data = await tempDir();
    const a = await generated(data, 'a.csv', { rows: 20_000, seed: 41, idPrefix: 'PA-' });
    const b = await generated(data, 'b.csv', { rows: 20_000, seed: 42, idPrefix: 'PB-' });

    // Act: both started together, each landing its own file.
    const results = await Promise.all([lakepipe(['run', a, '--home', home]), lakepipe(['run', b, '--home', home])]);

    // Assess
    // A failed process's last output is part of the assertion, so a failure says why.
    expect(
      results.map((r) => (r.code === 0 ? 0 : `exit ${r.code}: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`)),
    ).toEqual([0, 0]);
    const twin = await newTwin({}, home);
    const [enriched] = await sql(
      twin,
      'SELECT count(*) AS n, count(DISTINCT transaction_id) AS ids FROM transactions_enriched',
    );
    const [rejected] = await sql(twin, 'SELECT count(*) AS n FROM rejected_transactions');
    expect(enriched?.n).toBe(enriched?.ids);
    expect(Number(enriched?.n) + Number(rejected?.n)).toBe(40_000);
    const waited = results.filter((r) => /waiting for lakepipe process \d+ to finish its executions/.test(r.stderr));
    expect(waited).toHaveLength(1);
  });
});
