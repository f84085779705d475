// JSON lines reach the job as text whatever types other lines give a key: a string without its quotes, a number
// or an object as JSON text, so the same id in two files is the same id.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const row = (values: Record<string, unknown>): string =>
  JSON.stringify({
    customer_id: 'C1',
    transaction_amount: '20.00',
    transaction_date: '2024-03-01',
    store_id: 'S1',
    channel: 'web',
    product_category: 'toys',
    ...values,
  });

it('reads string values without quotes when other lines hold numbers, and loads a repeated id once', async () => {
  // Prepare: one line with a numeric id and store, then string values; a second file repeats J1
  const dir = await tempDir();
  const typed = path.join(dir, 'typed.jsonl');
  const again = path.join(dir, 'j1again.jsonl');
  await writeFile(
    typed,
    `${[
      row({ transaction_id: 4, store_id: 1 }),
      row({ transaction_id: 'J1', product_category: { k: 1 } }),
      row({ transaction_id: 'J2', transaction_amount: '1e2x' }),
    ].join('\n')}\n`,
  );
  await writeFile(again, `${[row({ transaction_id: 'J1' }), row({ transaction_id: 'J3' })].join('\n')}\n`);
  const twin = await newTwin({ rejectedShareMax: 1 });

  // Act
  const [first] = await runFiles(twin, [typed]);
  const [second] = await runFiles(twin, [again]);

  // Assess
  expect([outcome(first), outcome(second)]).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }]);
  const enriched = await sql(
    twin,
    'SELECT transaction_id, store_id, channel, product_category FROM transactions_enriched ORDER BY 1',
  );
  expect(enriched).toEqual([
    { transaction_id: '4', store_id: '1', channel: 'web', product_category: 'toys' },
    { transaction_id: 'J1', store_id: 'S1', channel: 'web', product_category: '{"k":1}' },
    { transaction_id: 'J3', store_id: 'S1', channel: 'web', product_category: 'toys' },
  ]);
  const rejected = await sql(
    twin,
    'SELECT transaction_id, transaction_amount_raw, reject_reason FROM rejected_transactions ORDER BY 1',
  );
  expect(rejected).toEqual([
    { transaction_id: 'J1', transaction_amount_raw: '20.00', reject_reason: 'duplicate_transaction_id' },
    { transaction_id: 'J2', transaction_amount_raw: '1e2x', reject_reason: 'non_numeric_amount' },
  ]);
});
