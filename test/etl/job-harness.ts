// A small stand-in for the DuckDB manifest runner, so the job's SQL can be tested on its own: loads the
// Spark-compat shim, exposes `source` and `job_args`, makes sure every output table exists, runs each step as
// a materialised table in manifest order and writes outputs right after their step (append or overwrite),
// with the manifest's column casts. Output tables live in schema `database`, as in the catalog.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { sqlString } from '../../functions/shared/sql-literal';
import { type DuckDb, sqlIdentifier } from '../../local/duckdb';
import { loadManifest } from '../../local/glue/jobs/job-manifest';
import { expandPassThrough, passThroughColumns } from '../../local/glue/jobs/pass-through';
import { loadShims, SPARK_COMPAT_SQL, TRINO_COMPAT_SQL } from '../../local/sql/load-shims';

export const JOB_DIR = path.resolve(__dirname, '../../datasets/customer_transactions');
export const VALIDATIONS_DIR = path.resolve(__dirname, '../../datasets/customer_transactions/validations');
export const DATABASE = 'lake';

export interface OutputSpec {
  table: string;
  step: string;
  mode: 'append' | 'overwrite';
  partitionKeys: string[];
  columns: Array<{ name: string; type: string }>;
}

export interface Manifest {
  steps: Array<{ name: string; sql: string }>;
  outputs: OutputSpec[];
}

export async function readManifest(): Promise<Manifest> {
  return parse(await readFile(path.join(JOB_DIR, 'job.yml'), 'utf8')) as Manifest;
}

export async function readStepSql(file: string): Promise<string> {
  return (await readFile(path.join(JOB_DIR, file), 'utf8')).trim().replace(/;\s*$/, '');
}

/** Glue/Hive type -> DuckDB type, for the types this job declares. */
export function duckType(glueType: string): string {
  const simple: Record<string, string> = {
    string: 'VARCHAR',
    bigint: 'BIGINT',
    int: 'INTEGER',
    double: 'DOUBLE',
    date: 'DATE',
  };
  const known = simple[glueType];
  if (known) return known;
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(glueType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  throw new Error(`type not handled by the test harness: ${glueType}`);
}

export async function prepareDatabase(db: DuckDb): Promise<void> {
  await loadShims(db.connection, SPARK_COMPAT_SQL);
  await loadShims(db.connection, TRINO_COMPAT_SQL);
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${DATABASE}`);
  const manifest = await readManifest();
  for (const out of manifest.outputs) {
    const cols = out.columns.map((c) => `${sqlIdentifier(c.name)} ${duckType(c.type)}`).join(', ');
    await db.run(`CREATE TABLE IF NOT EXISTS ${DATABASE}.${sqlIdentifier(out.table)} (${cols})`);
  }
}

export interface RawFile {
  /** Local CSV file. */
  file: string;
  /** The s3:// URI the runner reports as source_file. */
  uri: string;
}

/** `source` as an all-string crawled CSV table (the crawler's view of dirty data), with source_file; `source_files`. */
export async function sourceFromCsv(db: DuckDb, files: RawFile[]): Promise<void> {
  const parts = files.map(
    (f) =>
      `SELECT *, CAST(NULL AS VARCHAR) AS _corrupt_record, ${sqlString(f.uri)} AS source_file FROM read_csv(${sqlString(f.file)}, header = true, all_varchar = true)`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE source AS ${parts.join(' UNION ALL BY NAME ')}`);
  const uris = files.map((f) => `(${sqlString(f.uri)})`).join(', ');
  await db.run(`CREATE OR REPLACE TEMP TABLE source_files AS SELECT * FROM (VALUES ${uris}) AS f(source_file)`);
}

export interface JobArgs {
  runId: string;
  asOf: string;
}

/**
 * Runs every step in order; outputs are written right after their step. Pass-through placeholders expand to the
 * source's extra columns as the runner's do (the outputs here keep their declared columns only).
 */
export async function runJob(db: DuckDb, args: JobArgs): Promise<void> {
  const manifest = await readManifest();
  const sourceColumns = (await db.query<{ column_name: string }>('DESCRIBE source')).map((c) => c.column_name);
  const passThrough = passThroughColumns(await loadManifest(path.join(JOB_DIR, 'job.yml')), sourceColumns);
  await db.run(`SET search_path = '${DATABASE}'`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE job_args AS SELECT ${sqlString(args.runId)} AS run_id, CAST(${sqlString(args.asOf)} AS DATE) AS as_of`,
  );
  for (const step of manifest.steps) {
    const sql = expandPassThrough(await readStepSql(step.sql), passThrough);
    await db.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(step.name)} AS ${sql}`);
    for (const out of manifest.outputs.filter((o) => o.step === step.name)) {
      const target = `${DATABASE}.${sqlIdentifier(out.table)}`;
      if (out.mode === 'overwrite') await db.run(`DELETE FROM ${target}`);
      const cols = out.columns.map((c) => `CAST(${sqlIdentifier(c.name)} AS ${duckType(c.type)})`).join(', ');
      await db.run(`INSERT INTO ${target} SELECT ${cols} FROM ${sqlIdentifier(step.name)}`);
    }
  }
  await db.run(`SET search_path = 'main'`);
}

export const SAMPLE_RUN_ID = 'customer-analytics-20240401T000000Z-0123456789';

/** Substitutes the validation placeholders the way prepare-validations does (validated values only). */
export function renderValidation(sql: string, values: { database: string; runId: string; share: number }): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(values.database)) throw new Error('bad database');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(values.runId)) throw new Error('bad run id');
  if (!Number.isFinite(values.share)) throw new Error('bad share');
  const bound: Record<string, string> = {
    database: values.database,
    run_id: sqlString(values.runId),
    rejected_share_max: String(values.share),
  };
  return sql.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    const value = bound[name];
    if (value === undefined) throw new Error(`unknown placeholder ${name}`);
    return value;
  });
}

export async function runValidation(
  db: DuckDb,
  name: string,
  runId: string,
  share = 0.05,
): Promise<Record<string, unknown>> {
  const sql = await readFile(path.join(VALIDATIONS_DIR, `${name}.sql`), 'utf8');
  const rows = await db.queryJson(renderValidation(sql, { database: DATABASE, runId, share }));
  if (rows.length !== 1) throw new Error(`validation ${name} returned ${rows.length} rows`);
  return rows[0] as Record<string, unknown>;
}
