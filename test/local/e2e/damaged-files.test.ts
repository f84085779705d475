// Damaged compressed files on the twin: a gzip file cut short is refused whole by ScreenFiles, quarantined,
// and the execution fails naming it; none of its rows reach the job.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUCKETS } from '../../../local/twin/config';
import { generated, newTwin, runFiles, tempDir } from './support';

jest.setTimeout(180_000);

describe('damaged files', () => {
  it('a .csv.gz cut at 60% fails its execution naming the file, is quarantined whole, and loads nothing', async () => {
    // Prepare: a gzip file whose head inflates fine but whose stream ends early (gzip -t fails on it).
    const dir = await tempDir();
    const csv = await generated(dir, 'tx.csv', { rows: 2000, seed: 11, idPrefix: 'GZ-' });
    const whole = gzipSync(await readFile(csv));
    const cut = path.join(dir, 'cut.csv.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const twin = await newTwin();

    // Act
    const [failed] = await runFiles(twin, [cut]);

    // Assess
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toBe('BadInputFile');
    expect(failed?.cause).toContain('raw/customer_transactions/cut.csv.gz: damaged gzip data (unexpected end of file)');
    const history = await twin.store.history(failed?.name ?? '');
    expect(history.filter((e) => e.type === 'StateEntered').map((e) => e.state)).not.toContain('RunJob');
    const quarantined = await twin.s3.headObject({
      Bucket: BUCKETS.raw,
      Key: 'quarantine/raw/customer_transactions/cut.csv.gz',
    });
    expect(quarantined.ContentLength).toBe(Math.floor(whole.length * 0.6));
    await expect(
      twin.s3.headObject({ Bucket: BUCKETS.raw, Key: 'raw/customer_transactions/cut.csv.gz' }),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });
});
