// A bad dataset.yml at `lakepipe` start: one line naming the file and the field, exit 2, no stack trace, whatever
// the command. Run as an operator runs it (bin/lakepipe.cjs) in a copy of the project whose registry is broken.
import { execFile } from 'node:child_process';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../infra/registry.cjs';
import { tempDir } from '../e2e/support';

jest.setTimeout(120_000);

// What the CLI reads from the project: its code, the registry, the deployment files the twin derives names from.
const PROJECT = ['bin', 'local', 'functions', 'infra', 'datasets', 'state-machines', 'glue-jobs', 'events'];
const FILES = ['package.json', 'tsconfig.json', 'serverless.yml'];

async function lakepipe(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin/lakepipe.cjs'), ...args],
      {
        cwd: root,
        env: { ...process.env, LAKEPIPE_DEBUG: '' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('a bad dataset.yml at lakepipe start', () => {
  let root: string;

  beforeAll(async () => {
    root = await tempDir('lakepipe-cli-project-');
    for (const entry of [...PROJECT, ...FILES]) {
      await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
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
