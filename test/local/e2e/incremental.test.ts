// Job bookmarks end to end: a second arrival processes only the new file; a burst of small files is
// batched into few executions and every file is processed exactly once.
import path from 'node:path';
import { expectedLoad, generated, newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

describe('incremental processing', () => {
  it('a second run with a new file reads only that file', async () => {
    const dir = await tempDir();
    const day1 = await generated(dir, 'day1.csv', { rows: 1500, seed: 1, idPrefix: 'D1-' });
    const day2 = await generated(dir, 'day2.csv', { rows: 700, seed: 2, idPrefix: 'D2-' });
    const twin = await newTwin();

    const [first] = await runFiles(twin, [day1]);
    const [second] = await runFiles(twin, [day2]);

    expect([outcome(first), outcome(second)]).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
    const audit = await sql(twin, 'SELECT run_id, source_file, rows_in FROM ingest_audit ORDER BY run_id, source_file');
    expect(audit.map((r) => [r.run_id, path.basename(r.source_file ?? ''), Number(r.rows_in)])).toEqual(
      [
        [first?.name, 'day1.csv', 1500],
        [second?.name, 'day2.csv', 700],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const [total] = await sql(twin, 'SELECT count(*) AS n FROM transactions_enriched');
    expect(Number(total?.n)).toBe(expectedLoad([day1, day2]).enriched);
  });

  it('the same file arriving again starts nothing new and loads nothing twice', async () => {
    const dir = await tempDir();
    const file = await generated(dir, 'again.csv', { rows: 400, seed: 3, idPrefix: 'G-' });
    const twin = await newTwin();

    await runFiles(twin, [file]);
    const again = await runFiles(twin, [file]);

    expect(again).toEqual([]);
    const [row] = await sql(twin, 'SELECT count(*) AS n FROM transactions_enriched');
    expect(Number(row?.n)).toBe(expectedLoad([file]).enriched);
  });

  it('a burst of 100 small files is batched into few executions, every file processed exactly once', async () => {
    const dir = await tempDir();
    const files: string[] = [];
    for (let i = 0; i < 100; i++) {
      const name = `burst-${String(i).padStart(3, '0')}.csv`;
      files.push(await generated(dir, name, { rows: 20, seed: 100 + i, dirtyRate: 0, idPrefix: `B${i}-` }));
    }
    // Four executions queue for one job (MaxConcurrentRuns 1) through the ASL's retry; a slower time scale gives
    // that retry the same budget relative to a job run on a loaded machine as it has on AWS.
    const twin = await newTwin({ timeScale: 1 / 50 });

    const records = await runFiles(twin, files, 25);

    expect(records.length).toBe(4);
    expect(records.map(outcome)).toEqual(Array(4).fill({ status: 'SUCCEEDED' }));
    const perFile = await sql(
      twin,
      'SELECT source_file, count(*) AS runs, sum(rows_in) AS rows_in FROM ingest_audit GROUP BY source_file',
    );
    expect(perFile).toHaveLength(100);
    expect(perFile.every((r) => r.runs === '1' && r.rows_in === '20')).toBe(true);
    const [row] = await sql(
      twin,
      'SELECT count(*) AS n, count(DISTINCT transaction_id) AS d FROM transactions_enriched',
    );
    expect([Number(row?.n), Number(row?.d)]).toEqual([2000, 2000]);
  });
});
