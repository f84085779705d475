// The job reads every CSV as text with RFC 4180 quoting, whatever the crawler's sample held: quoted values past
// the sample, quoted empty strings and raw amounts reach the tables exactly as the file has them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const HEADER = 'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category';

it('reads quoted values that come after the crawler sample (the first MiB) as quoted', async () => {
  // Prepare: 2.5 MB of plain rows, then the file's only quoted values
  const dir = await tempDir();
  const plain = Array.from({ length: 50_000 }, (_, i) => `P${i},C${i % 500},12.34,2024-03-01,S001,store,grocery`);
  const file = path.join(dir, 'late-quotes.csv');
  await writeFile(
    file,
    `${[HEADER, ...plain, 'Q1,C1,20.00,2024-03-02,S001,store,"Toys, Games"', 'Q2,C2,30.00,2024-03-03,S001,web,"Tools\nand more"'].join('\n')}\n`,
  );
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const quoted = await sql(
    twin,
    "SELECT transaction_id, product_category FROM transactions_enriched WHERE transaction_id LIKE 'Q%' ORDER BY 1",
  );
  expect(quoted).toEqual([
    { transaction_id: 'Q1', product_category: 'Toys, Games' },
    { transaction_id: 'Q2', product_category: 'Tools\nand more' },
  ]);
  const [rejected] = await sql(twin, 'SELECT count(*) AS n FROM rejected_transactions');
  expect(Number(rejected?.n)).toBe(0);
});

it('keeps a quoted empty string as an empty string, as Spark does (emptyValue defaults to "")', async () => {
  // Prepare: a quoted empty amount in a column the crawler types as double, and in a pass-through column
  const dir = await tempDir();
  const file = path.join(dir, 'empty-quoted.csv');
  const valid = Array.from({ length: 24 }, (_, i) => `V${i},C${i},20.00,2024-03-02,S001,web,toys,gold`);
  await writeFile(
    file,
    `${[`${HEADER},loyalty_tier`, 'E1,C1,10.00,2024-03-01,S001,store,grocery,""', 'E2,C2,"",2024-03-01,S001,store,grocery,gold', ...valid].join('\n')}\n`,
  );
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const kept = await sql(twin, "SELECT loyalty_tier FROM transactions_enriched WHERE transaction_id = 'E1'");
  expect(kept).toEqual([{ loyalty_tier: '' }]);
  const rejected = await sql(
    twin,
    'SELECT transaction_id, transaction_amount_raw, reject_reason FROM rejected_transactions',
  );
  expect(rejected).toEqual([{ transaction_id: 'E2', transaction_amount_raw: '', reject_reason: 'non_numeric_amount' }]);
});

it('keeps the raw amount text of a rejected row as the file has it', async () => {
  // Prepare: every amount is a number, so the crawler types the column as double
  const dir = await tempDir();
  const file = path.join(dir, 'raw-amounts.csv');
  const valid = Array.from({ length: 24 }, (_, i) => `V${i},C${i},20.00,2024-03-02,S001,web,toys`);
  await writeFile(file, `${[HEADER, 'R1,,10.50,2024-03-01,S001,store,grocery', ...valid].join('\n')}\n`);
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const rows = await sql(twin, 'SELECT transaction_id, transaction_amount_raw FROM rejected_transactions');
  expect(rows).toEqual([{ transaction_id: 'R1', transaction_amount_raw: '10.50' }]);
});
