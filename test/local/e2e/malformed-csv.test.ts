// A CSV row that is not what its header says (more fields, a stray quote) is never loaded with part of it
// dropped: the job refuses the file whole and the execution fails naming the line
// (local/glue/jobs/source-scan.ts says why this and not Spark's PERMISSIVE handling).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

const HEADER = 'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category';
const VALID = Array.from({ length: 24 }, (_, i) => `V${i},C${i},20.00,2024-03-02,S001,web,toys`);

async function runWith(row: string): Promise<{ status?: string; cause?: string; loaded: number }> {
  const dir = await tempDir();
  const file = path.join(dir, 'malformed.csv');
  await writeFile(file, `${[HEADER, 'Q1,C1,10.00,2024-03-01,S001,web,"quoted, fine"', row, ...VALID].join('\n')}\n`);
  const twin = await newTwin();
  const [run] = await runFiles(twin, [file]);
  const [enriched] = await sql(twin, 'SELECT count(*) AS n FROM transactions_enriched');
  return { status: run?.status, cause: run?.cause, loaded: Number(enriched?.n) };
}

it('refuses a file whose row has more fields than the header, naming the line', async () => {
  // Prepare, Act
  const result = await runWith('V99,C1,20.00,2024-03-02,S001,web,toys,EXTRA,MORE');

  // Assess
  expect(result.status).toBe('FAILED');
  expect(result.cause).toContain(
    'raw/customer_transactions/malformed.csv: line 3 is malformed (more fields than the header)',
  );
  expect(result.loaded).toBe(0);
});

it('refuses a file whose row has a stray quote, naming the line', async () => {
  // Prepare, Act
  const result = await runWith('V99,C1,20.00,2024-03-02,S001,web,"a"b');

  // Assess
  expect(result.status).toBe('FAILED');
  expect(result.cause).toContain('raw/customer_transactions/malformed.csv: line 3 is malformed (a stray quote)');
  expect(result.loaded).toBe(0);
});
