// The twin's secret store for secret job parameters (`secret: true` in a manifest): the environment variable
// LAKEPIPE_SECRET_<ARGUMENT> when set, else a random value made once per workspace and kept in
// `<home>/secrets/<argument>` (mode 0600), so `npm start` needs no setup. On AWS the runner reads an SSM
// SecureString instead; the job's argument, which the run record keeps, only ever names it.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, hasErrorCode } from '../../functions/shared/errors';

const ARGUMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `email_salt` -> `LAKEPIPE_SECRET_EMAIL_SALT`. */
export function secretVariable(argument: string): string {
  return `LAKEPIPE_SECRET_${argument.toUpperCase().replace(/-/g, '_')}`;
}

/** The workspace's value for `argument`, made on first use; a second process racing to make it reads the first's. */
async function workspaceSecret(home: string, argument: string): Promise<string> {
  const dir = path.join(home, 'secrets');
  const file = path.join(dir, argument);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(randomBytes(32).toString('hex'));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!hasErrorCode(error, 'EEXIST')) throw error;
  }
  const value = (await readFile(file, 'utf8')).trim();
  if (value === '') throw new ConfigError(`${file} is empty: delete it to make a new value`, argument);
  return value;
}

/** The LocalGlueJobs `secrets` option for a workspace. */
export function twinSecrets(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
): (argument: string, given: string | undefined) => Promise<string> {
  return async (argument) => {
    if (!ARGUMENT.test(argument))
      throw new ConfigError(`secret argument ${JSON.stringify(argument)} is not a name`, argument);
    const fromEnv = env[secretVariable(argument)];
    return fromEnv ? fromEnv : workspaceSecret(home, argument);
  };
}
