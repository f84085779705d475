// A rejected row keeps every raw column as the file has it (the job's README), the ones the steps parse included.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const HEADER = 'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category';

it('keeps store_id, channel and product_category of a rejected row as raw text', async () => {
  // Prepare: a row rejected for its amount, with padded store, channel and category
  const dir = await tempDir();
  const file = path.join(dir, 'rejected.csv');
  const valid = Array.from({ length: 24 }, (_, i) => `V${i},C${i},20.00,2024-03-02,S001,web,toys`);
  await writeFile(file, `${[HEADER, 'R1,C1,abc,2024-03-01," S007 ",Web , Toys ', ...valid].join('\n')}\n`);
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const rows = await sql(
    twin,
    'SELECT transaction_id, store_id, channel, product_category, reject_reason FROM rejected_transactions',
  );
  expect(rows).toEqual([
    {
      transaction_id: 'R1',
      store_id: ' S007 ',
      channel: 'Web ',
      product_category: ' Toys ',
      reject_reason: 'non_numeric_amount',
    },
  ]);
});
