// Files damaged past their head on the twin: a JSON-lines file with one object cut short, a Parquet file cut in
// half, a CSV with a quoted field left open. Each is refused whole by ScreenFiles and quarantined; nothing of it
// is loaded, and the dataset's next run is not poisoned by it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../../../functions/shared/sql-literal';
import { withDuckDb } from '../../../local/duckdb';
import { BUCKETS } from '../../../local/twin/config';
import { generated, newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(300_000);

const record = (id: string) =>
  JSON.stringify({
    transaction_id: id,
    customer_id: 'K1',
    transaction_amount: '10.50',
    transaction_date: '2024-03-01',
    store_id: 'S001',
    channel: 'web',
    product_category: 'toys',
  });

it('refuses a damaged JSON-lines, Parquet and CSV file whole, quarantines each, and the next file still loads', async () => {
  // Prepare
  const dir = await tempDir();
  const first = await generated(dir, 'gen.csv', { rows: 300, seed: 5, idPrefix: 'GEN-' });
  const broken = path.join(dir, 'broken.jsonl');
  await writeFile(
    broken,
    `${['B1', 'B2', 'B3'].map(record).join('\n')}\n{"transaction_id":"B4","customer_id":"K1","transac\n${['B5', 'B6']
      .map(record)
      .join('\n')}\n`,
  );
  const whole = path.join(dir, 'whole.parquet');
  const half = path.join(dir, 'half.parquet');
  await withDuckDb((db) =>
    db.run(
      `COPY (SELECT 'P' || i AS transaction_id, 'K1' AS customer_id, '10.50' AS transaction_amount,
         '2024-03-01' AS transaction_date FROM range(5000) t(i)) TO ${sqlString(whole)} (FORMAT parquet)`,
    ),
  );
  const parquet = await readFile(whole);
  await writeFile(half, parquet.subarray(0, Math.floor(parquet.length / 2)));
  const open = path.join(dir, 'open.csv');
  const rows = Array.from({ length: 3000 }, (_, i) => `Q${i},K1,10.50,2024-03-01`);
  await writeFile(
    open,
    `transaction_id,customer_id,transaction_amount,transaction_date\n${rows.join('\n')}\nQX,"K1,10.50,2024-03-01\n`,
  );
  const good = path.join(dir, 'good.jsonl');
  await writeFile(good, `${['G1', 'G2'].map(record).join('\n')}\n`);
  const twin = await newTwin();

  // Act
  const runs = [];
  for (const file of [first, broken, half, open, good]) runs.push((await runFiles(twin, [file]))[0]);

  // Assess
  const [gen, jsonl, pq, csv, after] = runs;
  expect([outcome(gen), outcome(after)]).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  const refused = [
    [jsonl, 'broken.jsonl', 'line 4 is not valid JSON (cut short or malformed)'],
    [pq, 'half.parquet', 'damaged Parquet file (no PAR1 magic at the end: cut short or not whole)'],
    [csv, 'open.csv', 'a quoted field opened on line 3002 is never closed'],
  ] as const;
  for (const [run, name, reason] of refused) {
    const key = `raw/customer_transactions/${name}`;
    expect(outcome(run)).toMatchObject({
      status: 'FAILED',
      error: 'BadInputFile',
      cause: expect.stringContaining(`${key}: ${reason}; the whole file is refused (now at s3://`),
    });
    const history = await twin.store.history(run?.name ?? '');
    expect(history.filter((e) => e.type === 'StateEntered').map((e) => e.state)).not.toContain('RunJob');
    await expect(twin.s3.headObject({ Bucket: BUCKETS.raw, Key: `quarantine/${key}` })).resolves.toBeDefined();
    await expect(twin.s3.headObject({ Bucket: BUCKETS.raw, Key: key })).rejects.toMatchObject({ name: 'NotFound' });
  }
  const loaded = await sql(
    twin,
    `SELECT substr(transaction_id, 1, 1) AS kind, count(*) AS n FROM transactions_enriched
     WHERE transaction_id NOT LIKE 'GEN-%' GROUP BY 1 ORDER BY 1`,
  );
  expect(loaded).toEqual([{ kind: 'G', n: '2' }]);
});
