// Job arguments: the ones the runner needs (`--database`, ...) and the manifest's parameters as view `job_args`.
import { errorMessage } from '../../../functions/shared/errors';
import { type DuckDb, sqlIdentifier } from '../../duckdb';
import { IDENTIFIER, type JobManifest, type ManifestParameter } from './job-manifest';
import { JobRunError } from './job-run-error';

const PARAM_TYPES: Record<ManifestParameter['type'], string> = {
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

export function requireArg(args: Record<string, string>, name: string): string {
  const value = args[`--${name}`];
  if (value === undefined || value === '') throw new JobRunError(`missing job argument --${name}`);
  return value;
}

export function identifierArg(args: Record<string, string>, name: string): string {
  const value = requireArg(args, name);
  if (!IDENTIFIER.test(value)) throw new JobRunError(`job argument --${name} is not a valid name: ${value}`);
  return value;
}

function parameterValue(
  name: string,
  p: ManifestParameter,
  args: Record<string, string>,
  startedOn: Date,
  secrets: Record<string, string>,
): string {
  if (p.secret) {
    const secret = secrets[name];
    if (secret === undefined) throw new JobRunError(`secret parameter ${name} has no value: no secret store`);
    return secret;
  }
  const given = args[`--${p.argument}`];
  if (given !== undefined) return given;
  if (p.default === 'run_date') return startedOn.toISOString().slice(0, 10);
  if (p.default !== undefined) return String(p.default);
  throw new JobRunError(`parameter ${name} needs job argument --${p.argument}`);
}

/**
 * One-row `job_args` with every manifest parameter, values bound as parameters and cast in SQL. A secret
 * parameter's value comes from `secrets` (by parameter name), never from the run's arguments.
 */
export async function defineJobArgs(
  db: DuckDb,
  manifest: JobManifest,
  args: Record<string, string>,
  startedOn: Date,
  secrets: Record<string, string> = {},
): Promise<void> {
  const entries = Object.entries(manifest.parameters);
  if (entries.length === 0) return;
  const values = entries.map(([name, p]) => parameterValue(name, p, args, startedOn, secrets));
  const cols = entries.map(([name, p], i) => `CAST($${i + 1} AS ${PARAM_TYPES[p.type]}) AS ${sqlIdentifier(name)}`);
  try {
    await db.run(`CREATE TEMP TABLE job_args AS SELECT ${cols.join(', ')}`, values);
  } catch (error) {
    throw new JobRunError(`job arguments do not match the manifest's parameter types: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
