// The twin's settings come from the environment; a value that is not what it should be is refused before anything
// runs, as bad input (exit 2) with one line naming the variable.
import { readdir } from 'node:fs/promises';
import { tempDir } from '../e2e/support';
import { cli } from './support';

jest.setTimeout(60_000);

describe('settings from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    ['LAKEPIPE_REJECTED_SHARE_MAX', 'abc', /LAKEPIPE_REJECTED_SHARE_MAX="abc" is not a share in \[0, 1\]/],
    ['LAKEPIPE_AS_OF', '2025-13-45', /LAKEPIPE_AS_OF="2025-13-45" is not a date/],
    ['LAKEPIPE_TIME_SCALE', 'foo', /LAKEPIPE_TIME_SCALE="foo" is not a number in \(0, 1\]/],
  ])('%s=%s is refused before anything is landed', async (name, value, message) => {
    const home = await tempDir('lakepipe-settings-');
    process.env[name] = value;

    const { code, stderr } = await cli('run', '--rows', '100', '--home', home);

    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(await readdir(home)).toEqual([]);
  });
});
