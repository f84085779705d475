// Valid but unusual CSV goes through the whole pipeline: a UTF-8 BOM, CRLF line ends, quoted commas and
// newlines, and an extra column, which the crawler merges into the raw table and the job passes through.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(120_000);

it('accepts BOM, CRLF, quoted commas and newlines and an extra column, merges the column and passes it through', async () => {
  const dir = await tempDir();
  const first = path.join(dir, 'plain.csv');
  await writeFile(
    first,
    [
      'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category',
      'U1,C1,10.50,2024-03-01,S001,store,grocery',
      'U2,C2,20.00,2024-03-02,,web,toys',
    ].join('\n'),
  );
  const unusual = path.join(dir, 'unusual.csv');
  await writeFile(
    unusual,
    `\uFEFF${[
      'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category,loyalty_tier',
      'U3,C1,30.25,2024-03-03,S001,store,"home, garden",gold',
      'U4,C3,40.00,2024-03-04,,web,"toys\r\nand games",silver',
      'U5,C2,50.75,2024-03-05,S002,store,grocery,',
    ].join('\r\n')}\r\n`,
  );
  const twin = await newTwin();

  const [plain] = await runFiles(twin, [first]);
  const [odd] = await runFiles(twin, [unusual]);

  expect([outcome(plain), outcome(odd)]).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  const table = await twin.catalog.getTable({ DatabaseName: twin.plan.database, Name: 'customer_transactions' });
  expect(table.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toContain('loyalty_tier');
  const rows = await sql(
    twin,
    `SELECT transaction_id, product_category, CAST(transaction_amount AS VARCHAR) AS amount
     FROM transactions_enriched ORDER BY transaction_id`,
  );
  expect(rows).toEqual([
    { transaction_id: 'U1', product_category: 'grocery', amount: '10.50' },
    { transaction_id: 'U2', product_category: 'toys', amount: '20.00' },
    { transaction_id: 'U3', product_category: 'home, garden', amount: '30.25' },
    { transaction_id: 'U4', product_category: 'toys\r\nand games', amount: '40.00' },
    { transaction_id: 'U5', product_category: 'grocery', amount: '50.75' },
  ]);
  const tiers = await sql(twin, "SELECT loyalty_tier FROM customer_transactions WHERE transaction_id = 'U3'");
  expect(tiers).toEqual([{ loyalty_tier: 'gold' }]);
  // The new column passes through to the enriched table (job.yml source.passThrough): the first file's rows,
  // loaded before it existed, read NULL; an empty cell stays empty text.
  const enriched = await twin.catalog.getTable({ DatabaseName: twin.plan.database, Name: 'transactions_enriched' });
  expect(enriched.Table?.StorageDescriptor?.Columns).toContainEqual({ Name: 'loyalty_tier', Type: 'string' });
  const passed = await sql(twin, 'SELECT transaction_id, loyalty_tier FROM transactions_enriched ORDER BY 1');
  expect(passed).toEqual([
    { transaction_id: 'U1', loyalty_tier: null },
    { transaction_id: 'U2', loyalty_tier: null },
    { transaction_id: 'U3', loyalty_tier: 'gold' },
    { transaction_id: 'U4', loyalty_tier: 'silver' },
    { transaction_id: 'U5', loyalty_tier: '' },
  ]);
});
