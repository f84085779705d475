// `lakepipe watch` with real writers: a slow writer is not picked up half written, temporary names are never
// picked up, a bad file is reported once without holding back the others, and a file changed after it was
// landed is reported once and never loaded twice.
import { spawn } from 'node:child_process';
import { appendFile, copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../../local/twin/config';
import { LandingWatcher } from '../../../local/twin/watch';
import { generated, newTwin, outcome, sql, tempDir } from './support';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `done`; a bounded wait, so a regression fails the test instead of hanging it. */
async function until(done: () => boolean, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(100);
  }
}

async function audit(twin: Awaited<ReturnType<typeof newTwin>>): Promise<string[][]> {
  const rows = await sql(twin, 'SELECT source_file, rows_in FROM ingest_audit ORDER BY source_file');
  return rows.map((r) => [path.basename(r.source_file ?? ''), r.rows_in ?? '']);
}

describe('watch with real writers', () => {
  it('waits out a writer pausing between pieces, and lands the good file of a batch holding a bad one', async () => {
    // Prepare
    const home = await tempDir();
    const landing = path.join(home, 'landing', 'customer_transactions');
    await mkdir(landing, { recursive: true });
    const data = await tempDir();
    const text = await readFile(await generated(data, 'WA.csv', { rows: 400, seed: 41, idPrefix: 'WA-' }), 'utf8');
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), 'watch', '--home', home, '--batch-window', '0.5'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
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
    try {
      await until(() => stderr.includes('watching'));

      // Act: WA.csv arrives in four pieces cut mid-row, 0.7 s apart; notes.txt lands in the same batch.
      const piece = Math.ceil(text.length / 4);
      for (let i = 0; i < 4; i++) {
        await appendFile(path.join(landing, 'WA.csv'), text.slice(i * piece, (i + 1) * piece));
        if (i === 0) await writeFile(path.join(landing, 'notes.txt'), 'not data');
        await sleep(700);
      }
      await until(() => stderr.includes('started customer_transactions-'));
    } finally {
      child.kill('SIGINT');
    }
    const code = await exited;

    // Assess
    expect(stderr.match(/not landed: notes\.txt: unsupported file type/g)).toHaveLength(1);
    expect(stdout.match(/^SUCCEEDED +customer_transactions-/gm)).toHaveLength(1);
    expect(code).toBe(0);
    expect(await audit(await newTwin({}, home))).toEqual([['WA.csv', '400']]);
  });

  it('lands files already waiting at start one by one, reports a bad or changed file once, loads nothing twice', async () => {
    // Prepare: a restart finds a good file next to a bad one.
    const data = await tempDir();
    const landing = await tempDir();
    await copyFile(
      await generated(data, 'c.csv', { rows: 120, seed: 42, idPrefix: 'WC-' }),
      path.join(landing, 'c.csv'),
    );
    const more = await readFile(await generated(data, 'more.csv', { rows: 30, seed: 43, idPrefix: 'WM-' }), 'utf8');
    await writeFile(path.join(landing, 'notes.txt'), 'not data');
    const twin = await newTwin();
    const rejected: [string, string][] = [];
    const watcher = new LandingWatcher(twin, {
      dir: landing,
      batchWindowMs: 200,
      stabilityMs: 200,
      onRejected: (file, reason) => rejected.push([path.basename(file), reason]),
    });

    // Act
    await watcher.start();
    await until(() => watcher.started.length === 1);
    // c.csv grows after it was landed, twice; notes.txt changes too.
    await appendFile(path.join(landing, 'c.csv'), more.slice(more.indexOf('\n') + 1));
    await until(() => rejected.length === 2);
    await appendFile(path.join(landing, 'c.csv'), more.slice(more.indexOf('\n') + 1));
    await appendFile(path.join(landing, 'notes.txt'), ' at all');
    await sleep(1500);
    await watcher.stop();
    const records = await Promise.all(watcher.started.map((n) => twin.sfn.waitFor(n)));

    // Assess
    expect(rejected).toEqual([
      ['notes.txt', expect.stringMatching(/^unsupported file type: .*notes\.txt/)],
      ['c.csv', 'changed after it was landed; land it under a new name'],
    ]);
    expect(records.map(outcome)).toEqual([{ status: 'SUCCEEDED' }]);
    expect(await audit(twin)).toEqual([['c.csv', '120']]);
  });

  it('never picks up temporary names; the file renamed from one is picked up', async () => {
    // Prepare
    const data = await tempDir();
    const landing = await tempDir();
    const file = await generated(data, 'd.csv', { rows: 80, seed: 44, idPrefix: 'WD-' });
    const twin = await newTwin();
    const refused: string[] = [];
    const landed: string[] = [];
    const watcher = new LandingWatcher(twin, {
      dir: landing,
      batchWindowMs: 200,
      stabilityMs: 200,
      onBatch: (r) => landed.push(...r.landed.map((l) => path.basename(l.key))),
      onRejected: (f) => refused.push(f),
      onError: (e) => refused.push(e.message),
    });
    await watcher.start();

    // Act
    for (const name of ['.d.csv', '_d.csv', 'd.csv.part', 'd.csv.crdownload', 'D.CSV.TMP', 'd.csv.tmp']) {
      await copyFile(file, path.join(landing, name));
    }
    await sleep(1500);
    const before = [...landed, ...refused];
    await rename(path.join(landing, 'd.csv.tmp'), path.join(landing, 'd.csv'));
    await until(() => watcher.started.length === 1);
    await watcher.stop();
    const records = await Promise.all(watcher.started.map((n) => twin.sfn.waitFor(n)));

    // Assess
    expect(before).toEqual([]);
    expect(refused).toEqual([]);
    expect(landed).toEqual(['d.csv']);
    expect(records.map(outcome)).toEqual([{ status: 'SUCCEEDED' }]);
    expect(await audit(twin)).toEqual([['d.csv', '80']]);
  });
});
