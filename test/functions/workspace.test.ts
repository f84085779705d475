import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonIfExists, WORKSPACE_FOLDERS, Workspace, writeJsonAtomic } from '../../local/workspace';

describe('workspace', () => {
  it('creates every service folder', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'lakepipe-ws-'));
    await Workspace.open(home);
    expect((await readdir(home)).sort()).toEqual([...WORKSPACE_FOLDERS].sort());
  });

  it('writes JSON atomically and leaves no temp file behind', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'lakepipe-ws-'));
    const file = path.join(home, 'a', 'b.json');
    await writeJsonAtomic(file, { n: 1 });
    await writeJsonAtomic(file, { n: 2 });
    expect(await readJsonIfExists(file)).toEqual({ n: 2 });
    expect(await readdir(path.dirname(file))).toEqual(['b.json']);
    expect(await readFile(file, 'utf8')).toMatch(/\n$/);
  });

  it('reads a missing JSON file as undefined', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'lakepipe-ws-'));
    expect(await readJsonIfExists(path.join(home, 'nope.json'))).toBeUndefined();
  });
});
