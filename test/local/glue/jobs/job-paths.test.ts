// listDataFiles while another run's commit moves files: a file gone between readdir and stat is not listed.
import fs, { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listDataFiles } from '../../../../local/glue/jobs/job-paths';
import { Workspace } from '../../../../local/workspace';

afterEach(() => jest.restoreAllMocks());

describe('listDataFiles', () => {
  it('leaves out a file that vanishes between readdir and stat, and still fails on other errors', async () => {
    // Prepare: two data files; stat of one reports ENOENT as if a commit had just moved it to its trash folder.
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-paths-')));
    const dir = workspace.dir('buckets', 'lake-curated', 'totals');
    await fs.mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'part-a.parquet'), 'a');
    await writeFile(path.join(dir, 'part-b.parquet'), 'bb');
    const realStat = fs.stat;
    const failWith = (code: string) =>
      jest.spyOn(fs, 'stat').mockImplementation(((file: string, ...rest: []) => {
        if (String(file).endsWith('part-a.parquet')) {
          return Promise.reject(Object.assign(new Error(`${code}: stat ${file}`), { code }));
        }
        return realStat(file, ...rest);
      }) as typeof fs.stat);

    // Act
    failWith('ENOENT');
    const listed = await listDataFiles(workspace, dir);
    failWith('EACCES');
    const denied = listDataFiles(workspace, dir);

    // Assess
    expect(listed.map((f) => [path.basename(f.uri), f.size])).toEqual([['part-b.parquet', 2]]);
    await expect(denied).rejects.toMatchObject({ code: 'EACCES' });
  });
});
