// A file with a header and no rows is read, audited with 0 rows, and the run's note says it held no rows.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newTwin, outcome, runFiles, sql, tempDir } from './support';

jest.setTimeout(120_000);

it('audits a header-only file with 0 rows read, and says it held no rows', async () => {
  // Prepare
  const dir = await tempDir();
  const file = path.join(dir, 'header-only.csv');
  await writeFile(
    file,
    'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category\n',
  );
  const twin = await newTwin();

  // Act
  const [run] = await runFiles(twin, [file]);

  // Assess
  expect(outcome(run)).toEqual({ status: 'SUCCEEDED' });
  const audit = await sql(twin, 'SELECT run_id, source_file, rows_in, valid_rows FROM ingest_audit');
  expect(audit).toEqual([
    { run_id: run?.name, source_file: expect.stringMatching(/header-only\.csv$/), rows_in: '0', valid_rows: '0' },
  ]);
  const record = JSON.stringify(run);
  expect(record).toContain('"note":"no rows: the files this run read hold no data rows"');
  expect(record).not.toContain('"note":"no new rows: an earlier run read these files (job bookmark)"');
});
