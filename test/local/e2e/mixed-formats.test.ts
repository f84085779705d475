// Files of different formats under one prefix: each is read by its own format into the dataset's columns, so a
// JSON-lines or Parquet file does not make the next CSV unreadable.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../../../functions/shared/sql-literal';
import { withDuckDb } from '../../../local/duckdb';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const CSV = [
  'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category',
  'C1,K1,30.25,2024-03-03,S001,store,"home, garden"',
].join('\n');
const JSON_ROW = {
  transaction_id: 'J1',
  customer_id: 'K1',
  transaction_amount: 10.5,
  transaction_date: '2024-03-01',
  store_id: 'S001',
  channel: 'web',
  product_category: 'toys',
};

async function loadedIds(files: string[]): Promise<{ outcomes: unknown[]; rows: unknown[] }> {
  const twin = await newTwin();
  const outcomes = [];
  for (const file of files) outcomes.push(outcome((await runFiles(twin, [file]))[0]));
  const rows = await sql(twin, 'SELECT transaction_id, product_category FROM transactions_enriched ORDER BY 1');
  return { outcomes, rows };
}

it('reads a CSV that lands after a JSON-lines file', async () => {
  // Prepare
  const dir = await tempDir();
  const json = path.join(dir, 'first.jsonl');
  await writeFile(json, `${JSON.stringify(JSON_ROW)}\n`);
  const csv = path.join(dir, 'second.csv');
  await writeFile(csv, `${CSV}\n`);

  // Act
  const { outcomes, rows } = await loadedIds([json, csv]);

  // Assess
  expect(outcomes).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  expect(rows).toEqual([
    { transaction_id: 'C1', product_category: 'home, garden' },
    { transaction_id: 'J1', product_category: 'toys' },
  ]);
});

it('reads a CSV that lands after a Parquet file', async () => {
  // Prepare
  const dir = await tempDir();
  const parquet = path.join(dir, 'first.parquet');
  await withDuckDb(async (db) => {
    const select = Object.entries(JSON_ROW)
      .map(([name, value]) => `${typeof value === 'number' ? value : sqlString(value)} AS ${name}`)
      .join(', ');
    await db.run(`COPY (SELECT ${select}) TO ${sqlString(parquet)} (FORMAT parquet)`);
  });
  const csv = path.join(dir, 'second.csv');
  await writeFile(csv, `${CSV}\n`);

  // Act
  const { outcomes, rows } = await loadedIds([parquet, csv]);

  // Assess
  expect(outcomes).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  expect(rows).toEqual([
    { transaction_id: 'C1', product_category: 'home, garden' },
    { transaction_id: 'J1', product_category: 'toys' },
  ]);
});
