// Athena reads the raw table's CSV the way the job does (RFC 4180 quoting, whatever SerDe the crawler's sample
// chose), so a query over the raw table counts the rows the run read.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const HEADER = 'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category';

it('counts the rows the job read when the first quote comes after the crawler sample (1 MiB)', async () => {
  // Prepare: over 1 MiB of plain rows, then a quoted comma and a quoted newline
  const dir = await tempDir();
  const plain = Array.from(
    { length: 18_600 },
    (_, i) => `P${i},C${i % 500},12.34,2024-03-01,S001,store,grocery-and-household-supplies`,
  );
  const file = path.join(dir, 'late_quote.csv');
  await writeFile(
    file,
    `${[HEADER, ...plain, 'Q1,C1,20.00,2024-03-02,S001,web,"Toys, Games"', 'Q2,C2,30.00,2024-03-03,S001,web,"Tools\nand more"'].join('\n')}\n`,
  );
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const [count] = await sql(twin, 'SELECT count(*) AS n FROM customer_transactions');
  expect(Number(count?.n)).toBe(18_602);
  const quoted = await sql(
    twin,
    "SELECT transaction_id, product_category FROM customer_transactions WHERE transaction_id LIKE 'Q%' ORDER BY 1",
  );
  expect(quoted).toEqual([
    { transaction_id: 'Q1', product_category: 'Toys, Games' },
    { transaction_id: 'Q2', product_category: 'Tools\nand more' },
  ]);
});
