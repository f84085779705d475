// A bad dataset.yml at `lakepipe` start: one line naming the file and the field, exit 2, no stack trace, whatever
// the command. Run as an operator runs it (bin/lakepipe.cjs) in a copy of the project whose registry is broken.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyProject, lakepipeIn as lakepipe } from '../../fixtures/project-copy';

jest.setTimeout(120_000);

describe('a bad dataset.yml at lakepipe start', () => {
  let root: string;

  beforeAll(async () => {
    root = await copyProject('lakepipe-cli-project-');
    const yml = path.join(root, 'datasets/customer_profiles/dataset.yml');
    await writeFile(yml, (await readFile(yml, 'utf8')).replace('type: timestamp', 'type: datetime'));
  });

  it.each(['executions', 'dataset list', 'run x.csv'])(
    'is refused by `lakepipe %s` with one line naming the file and the field, exit 2',
    async (command) => {
      // Act
      const home = path.join(root, '.lakepipe');
      const { code, stdout, stderr } = await lakepipe(root, ...command.split(' '), '--home', home);
      // Assess
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^lakepipe: datasets\/customer_profiles\/dataset\.yml: contract\.columns\[5\]\.type: must be one of string, .* or decimal\(p,s\)\n$/,
      );
    },
  );
});
