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

/** Writes the first file with `write`, then a CSV; runs each through the twin in turn. */
async function firstThenCsv(
  name: string,
  write: (file: string) => Promise<void>,
): Promise<{ outcomes: unknown[]; rows: unknown[] }> {
  const dir = await tempDir();
  const first = path.join(dir, name);
  await write(first);
  const csv = path.join(dir, 'second.csv');
  await writeFile(csv, `${CSV}\n`);
  return loadedIds([first, csv]);
}

const BOTH_LOADED = [
  { transaction_id: 'C1', product_category: 'home, garden' },
  { transaction_id: 'J1', product_category: 'toys' },
];

it('reads a CSV that lands after a JSON-lines file', async () => {
  // Prepare, Act
  const { outcomes, rows } = await firstThenCsv('first.jsonl', (file) =>
    writeFile(file, `${JSON.stringify(JSON_ROW)}\n`),
  );

  // Assess
  expect(outcomes).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  expect(rows).toEqual(BOTH_LOADED);
});

it('reads a CSV that lands after a Parquet file', async () => {
  // Prepare, Act
  const { outcomes, rows } = await firstThenCsv('first.parquet', (file) =>
    withDuckDb(async (db) => {
      const select = Object.entries(JSON_ROW)
        .map(([name, value]) => `${typeof value === 'number' ? value : sqlString(value)} AS ${name}`)
        .join(', ');
      await db.run(`COPY (SELECT ${select}) TO ${sqlString(file)} (FORMAT parquet)`);
    }),
  );

  // Assess
  expect(outcomes).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  expect(rows).toEqual(BOTH_LOADED);
});
