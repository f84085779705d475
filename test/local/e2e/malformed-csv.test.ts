// A CSV row that is not what its header says (more fields, a stray quote) is never loaded with part of it
// dropped: it is rejected as malformed_row and the file's other rows load, as Spark's PERMISSIVE mode keeps
// going past a corrupt record (local/glue/jobs/source-scan.ts says how).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const HEADER = 'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category';
const VALID = Array.from({ length: 24 }, (_, i) => `V${i},C${i},20.00,2024-03-02,S001,web,toys`);

async function runWith(row: string): Promise<{ outcome: unknown; rejected: unknown[]; loaded: unknown[] }> {
  const dir = await tempDir();
  const file = path.join(dir, 'malformed.csv');
  await writeFile(file, `${[HEADER, 'Q1,C1,10.00,2024-03-01,S001,web,"quoted, fine"', row, ...VALID].join('\n')}\n`);
  const twin = await newTwin({ rejectedShareMax: 1 });
  const [run] = await runFiles(twin, [file]);
  return {
    outcome: outcome(run),
    rejected: await sql(twin, 'SELECT transaction_id, product_category, reject_reason FROM rejected_transactions'),
    loaded: await sql(
      twin,
      "SELECT count(*) AS n, max(CASE WHEN transaction_id = 'Q1' THEN product_category END) AS q1 FROM transactions_enriched",
    ),
  };
}

it('rejects a row with more fields than the header as malformed and loads the others', async () => {
  // Prepare, Act
  const result = await runWith('X1,C1,20.00,2024-03-02,S001,web,toys,EXTRA,MORE');

  // Assess
  expect(result.outcome).toEqual({ status: 'SUCCEEDED' });
  expect(result.rejected).toEqual([{ transaction_id: 'X1', product_category: 'toys', reject_reason: 'malformed_row' }]);
  expect(result.loaded).toEqual([{ n: '25', q1: 'quoted, fine' }]);
});

it('rejects a row with a stray quote as malformed and loads the others', async () => {
  // Prepare, Act
  const result = await runWith('X1,C1,20.00,2024-03-02,S001,web,"a"b');

  // Assess
  expect(result.outcome).toEqual({ status: 'SUCCEEDED' });
  expect(result.rejected).toEqual([{ transaction_id: 'X1', product_category: 'ab', reject_reason: 'malformed_row' }]);
  expect(result.loaded).toEqual([{ n: '25', q1: 'quoted, fine' }]);
});
