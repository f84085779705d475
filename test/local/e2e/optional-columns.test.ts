// The case: a CSV with exactly the contract's four required columns runs through the reference job, the
// optional columns (store_id, channel, product_category) reading as NULL of their declared type. A file that
// lacks a required column is still quarantined by ScreenFiles.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(120_000);

describe('optional columns a file does not have', () => {
  it('read as NULL: the four required columns alone load', async () => {
    // Prepare
    const dir = await tempDir();
    const file = path.join(dir, 'four-columns.csv');
    await writeFile(
      file,
      'transaction_id,customer_id,transaction_amount,transaction_date\n' +
        'T1,C1,10.50,2025-06-01\nT2,C1,4.25,2025-06-03\nT3,C2,99.99,2025-06-02\n',
    );
    const twin = await newTwin();
    // Act
    const [record] = await runFiles(twin, [file]);
    // Assess
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
    const rows = await sql(
      twin,
      'SELECT transaction_id, transaction_amount, store_id, channel, product_category FROM transactions_enriched ORDER BY transaction_id',
    );
    expect(rows).toEqual([
      { transaction_id: 'T1', transaction_amount: '10.50', store_id: null, channel: null, product_category: null },
      { transaction_id: 'T2', transaction_amount: '4.25', store_id: null, channel: null, product_category: null },
      { transaction_id: 'T3', transaction_amount: '99.99', store_id: null, channel: null, product_category: null },
    ]);
  });

  it('a missing required column still quarantines the file', async () => {
    // Prepare
    const dir = await tempDir();
    const file = path.join(dir, 'no-date.csv');
    await writeFile(file, 'transaction_id,customer_id,transaction_amount\nT1,C1,10.50\n');
    const twin = await newTwin();
    // Act
    const [record] = await runFiles(twin, [file]);
    // Assess
    expect(record?.status).toBe('FAILED');
    expect(record?.cause).toContain('transaction_date');
  });
});
