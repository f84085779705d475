// `lakepipe watch`: files dropped in the landing folder are picked up once completely written, batched,
// and run; Ctrl-C stops taking files and lets running executions finish.
import { spawn } from 'node:child_process';
import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { LandingWatcher } from '../../../local/twin/watch';
import { generated, newTwin, outcome, sql, tempDir } from './support';

jest.setTimeout(120_000);

describe('watch mode', () => {
  it('waits until a file is completely written, batches arrivals, and runs them once', async () => {
    const data = await tempDir();
    const landing = await tempDir();
    const a = await generated(data, 'a.csv', { rows: 200, seed: 31, idPrefix: 'WA-' });
    const b = await generated(data, 'b.csv', { rows: 150, seed: 32, idPrefix: 'WB-' });
    const twin = await newTwin();
    const watcher = new LandingWatcher(twin, { dir: landing, batchWindowMs: 600, stabilityMs: 300 });
    await watcher.start();

    // b.csv is written in two parts, 150 ms apart: it must not be picked up half written.
    const text = await readFile(b, 'utf8');
    const half = text.indexOf('\n', text.length / 2) + 1;
    await writeFile(path.join(landing, 'b.csv'), text.slice(0, half));
    await copyFile(a, path.join(landing, 'a.csv'));
    await new Promise((r) => setTimeout(r, 150));
    await appendFile(path.join(landing, 'b.csv'), text.slice(half));
    await writeFile(path.join(landing, '.b.csv.part'), 'partial download, never picked up');

    while (watcher.started.length === 0) await new Promise((r) => setTimeout(r, 100));
    await watcher.stop();
    const records = await Promise.all(watcher.started.map((n) => twin.sfn.waitFor(n)));

    expect(records.map(outcome)).toEqual([{ status: 'SUCCEEDED' }]);
    const audit = await sql(twin, 'SELECT source_file, rows_in FROM ingest_audit ORDER BY source_file');
    expect(audit.map((r) => [path.basename(r.source_file ?? ''), r.rows_in])).toEqual([
      ['a.csv', '200'],
      ['b.csv', '150'],
    ]);
  });

  it('Ctrl-C stops watching and lets the running execution finish', async () => {
    const home = await tempDir();
    const landing = path.join(home, 'landing', 'customer_transactions');
    const data = await tempDir();
    const file = await generated(data, 'c.csv', { rows: 300, seed: 33, idPrefix: 'WC-' });
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), 'watch', '--home', home, '--batch-window', '0.2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    while (!stderr.includes('watching')) await new Promise((r) => setTimeout(r, 100));
    await copyFile(file, path.join(landing, 'c.csv'));
    while (!stderr.includes('started customer_transactions-')) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await exited;

    expect(stderr).toContain('stopping: no new files are picked up; finishing running executions');
    expect(stdout).toMatch(/^SUCCEEDED +customer_transactions-/m);
    expect(code).toBe(0);
  });
});
