// Hidden files on the twin: `_x.csv` and `.x.csv` are skipped by the crawler and by Hadoop readers, so the
// arrival handler starts no execution for them (one would read 0 rows and report SUCCEEDED); a visible file
// landed with them in the same batch still runs, with only itself as input.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { deliverArrivals, landFiles } from '../../../local/twin/pipeline-run';
import { generated, newTwin, outcome, runFiles, tempDir } from './support';

jest.setTimeout(180_000);

it('starts no execution for _x.csv or .x.csv, and runs a visible file of the same batch alone', async () => {
  // Prepare
  const dir = await tempDir();
  const visible = await generated(dir, 'x.csv', { rows: 200, seed: 3, idPrefix: 'H-' });
  const underscore = path.join(dir, '_x.csv');
  const dot = path.join(dir, '.x.csv');
  await copyFile(visible, underscore);
  await copyFile(visible, dot);
  const twin = await newTwin();

  // Act
  const hiddenOnly = await deliverArrivals(twin, await landFiles(twin, [underscore, dot]));
  const [mixed] = await runFiles(twin, [underscore, visible]);

  // Assess
  expect(hiddenOnly).toMatchObject({ started: [], failedMessages: [] });
  expect(outcome(mixed)).toEqual({ status: 'SUCCEEDED' });
  const input = mixed?.input as { objects?: Array<{ key: string }> } | undefined;
  expect(input?.objects?.map((o) => o.key)).toEqual(['raw/customer_transactions/x.csv']);
});
