// Executes one run of a job manifest on DuckDB: source view (bookmark-new files only), `job_args`, the SQL steps as
// views in order, each output staged right after its step, then commit (files, partitions, bookmark) at the end.

import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../functions/shared/sql-literal';
import { DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import { allPartitions, allTables } from '../../paging';
import { loadShims, SPARK_COMPAT_SQL } from '../../sql/load-shims';
import { tableRefs } from '../../sql/table-refs';
import type { Workspace } from '../../workspace';
import { buildTableScan, isQuotedNewlineError, listTableFiles } from '../table-scan';
import type { JobBookmarks, SourceFile } from './job-bookmarks';
import {
  duckdbTypeFor,
  IDENTIFIER,
  type JobManifest,
  type ManifestOutput,
  type ManifestParameter,
  type ManifestStep,
} from './job-manifest';
import {
  commitOutput,
  ensureOutputTable,
  type JobCatalog,
  outputTableSelect,
  type StagedOutput,
  stageOutput,
  tableLocation,
} from './job-output';
import { expandPassThrough, passThroughColumns } from './pass-through';
import { SourceRowCounter } from './source-rows';

export class JobRunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobRunError';
  }
}

export interface JobRunRequest {
  workspace: Workspace;
  catalog: JobCatalog;
  bookmarks: JobBookmarks;
  manifest: JobManifest;
  jobName: string;
  runId: string;
  /** DefaultArguments merged with the run's Arguments, keys with their `--`. */
  args: Record<string, string>;
  startedOn: Date;
  /** Aborting interrupts the running statement (job Timeout). */
  signal?: AbortSignal;
  threads?: number;
  memoryLimit?: string;
  /** Spark-compat macro file; a missing file is tolerated (see loadShims). */
  shimsFile?: string;
  /**
   * Whether the source is read once into a file that the steps read, rather than a view that every reference
   * re-reads. `auto` (default): a copy when the steps name `source` more than once (or cannot be parsed), a view
   * when one step reads it, as every step should that parses raw rows once. With a view, rowsRead comes from
   * DuckDB's profile of the one statement that read the source (source-rows.ts), or from a count(*) pass over it
   * (10M CSV rows: ~0.7 s) when the profile cannot prove every row was read; a copy costs ~3 s.
   */
  materializeSource?: 'auto' | boolean;
  /**
   * How steps are defined. `auto` (default): the manifest's `materialize` hint where a step has one; otherwise a
   * temp TABLE when the step reads an output table that this or a later step writes (it keeps the snapshot it
   * was computed on after the run writes that table) or is read more than once (measured on 10M rows read
   * twice: 51 s of CPU materialised against 59 s recomputed); a lazy VIEW otherwise (read once: same result, no
   * copy). `table` / `view` force one kind.
   */
  stepsAs?: 'auto' | 'table' | 'view';
}

export interface OutputStats {
  table: string;
  mode: 'append' | 'overwrite';
  rowsWritten: number;
  files: number;
  /** Partitions this run wrote into (0 for an unpartitioned table). */
  partitions: number;
}

export interface JobRunStats {
  database: string;
  sourceTable: string;
  /** Source files this run read (after the bookmark filter). */
  sourceFiles: number;
  rowsRead: number;
  /**
   * How rowsRead was found: `copy` (the source was copied once), `profile` (the one scan of the source, from
   * DuckDB's profile: see source-rows.ts) or `count` (a count(*) pass, when no profile could prove it).
   */
  rowsCountedBy: 'copy' | 'profile' | 'count';
  outputs: OutputStats[];
  stepMillis: Record<string, number>;
  /** False when the Spark-compat file was not there to load. */
  shimsLoaded: boolean;
  /**
   * False when a quoted CSV source had a quoted newline, so the run was done again with DuckDB's single-threaded
   * CSV scanner (see table-scan.ts).
   */
  sourceReadInParallel: boolean;
  /** Source columns that passed through to the steps (the manifest's source.passThrough), in source order. */
  passThrough: string[];
  /**
   * What the run stored once rather than recomputed per reader: `source` when it was copied, step names, and
   * `step (as table)` for a step whose output's files stand in for its copy.
   */
  materialized: string[];
}

const PARAM_TYPES: Record<ManifestParameter['type'], string> = {
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

function requireArg(args: Record<string, string>, name: string): string {
  const value = args[`--${name}`];
  if (value === undefined || value === '') throw new JobRunError(`missing job argument --${name}`);
  return value;
}

function identifierArg(args: Record<string, string>, name: string): string {
  const value = requireArg(args, name);
  if (!IDENTIFIER.test(value)) throw new JobRunError(`job argument --${name} is not a valid name: ${value}`);
  return value;
}

function parameterValue(name: string, p: ManifestParameter, args: Record<string, string>, startedOn: Date): string {
  const given = args[`--${p.argument}`];
  if (given !== undefined) return given;
  if (p.default === 'run_date') return startedOn.toISOString().slice(0, 10);
  if (p.default !== undefined) return String(p.default);
  throw new JobRunError(`parameter ${name} needs job argument --${p.argument}`);
}

/** A typed relation with no rows in the shape of a catalog table, for a table (or run) with no files to read. */
function emptyTableSelect(table: Glue.Table, withSourceFile: boolean): string {
  const columns = [...(table.StorageDescriptor?.Columns ?? []), ...(table.PartitionKeys ?? [])];
  const cols = columns
    .filter((c): c is Glue.Column & { Name: string } => typeof c.Name === 'string' && IDENTIFIER.test(c.Name))
    .map(
      (c) =>
        `CAST(NULL AS ${duckdbTypeFor((c.Type ?? 'string').toLowerCase()) ?? 'VARCHAR'}) AS ${sqlIdentifier(c.Name)}`,
    );
  if (withSourceFile) cols.push('CAST(NULL AS VARCHAR) AS source_file');
  return `SELECT ${cols.join(', ')} WHERE false`;
}

/** The error's own message; errors from the DuckDB addon may come from another realm, so no instanceof. */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/**
 * Runs the manifest; resolves with the run's counts after commit, rejects (with nothing committed) on failure.
 * The source is read with DuckDB's parallel CSV scanner; when that gives up on a quoted newline the run starts
 * over with the single-threaded one (nothing was committed by the first attempt).
 */
export async function executeJobRun(req: JobRunRequest): Promise<JobRunStats> {
  try {
    return await runOnce(req, true);
  } catch (error) {
    if (req.signal?.aborted || !isQuotedNewlineError(error)) throw error;
    return runOnce(req, false);
  }
}

async function runOnce(req: JobRunRequest, parallelSource: boolean): Promise<JobRunStats> {
  const { workspace, catalog, args, runId } = req;
  let manifest = req.manifest;
  const database = identifierArg(args, 'database');
  const sourceTable = identifierArg(args, 'source_table');
  const curated = manifest.outputs.length > 0 ? requireArg(args, 'curated_location') : '';
  const runDir = workspace.dir('jobs', req.jobName, 'staging', runId);
  const stats: JobRunStats = {
    database,
    sourceTable,
    sourceFiles: 0,
    rowsRead: 0,
    rowsCountedBy: 'count',
    outputs: [],
    stepMillis: {},
    shimsLoaded: false,
    sourceReadInParallel: parallelSource,
    passThrough: [],
    materialized: [],
  };

  // Output tables exist before any step runs, so a step may read one (e.g. drop already-loaded ids) on run one.
  const locations = new Map(manifest.outputs.map((o) => [o.table, tableLocation(curated, o)]));
  for (const output of manifest.outputs) {
    await ensureOutputTable(catalog, database, output, locations.get(output.table) ?? '');
  }

  const { Table: source } = await catalog.getTable({ DatabaseName: database, Name: sourceTable });
  if (!source) throw new JobRunError(`source table ${database}.${sourceTable} not found`);
  // The raw columns no step names, as the table has them now (a crawl may have merged new ones), in every step.
  const sourceColumns = [...(source.StorageDescriptor?.Columns ?? []), ...(source.PartitionKeys ?? [])];
  const passThrough = passThroughColumns(
    manifest,
    sourceColumns.map((c) => c.Name ?? ''),
  );
  stats.passThrough = passThrough;
  manifest = { ...manifest, steps: manifest.steps.map((s) => ({ ...s, sql: expandPassThrough(s.sql, passThrough) })) };
  const sourcePartitions = await allPartitions(catalog, database, sourceTable);
  const allFiles = await filesOf(workspace, source, sourcePartitions);
  const files = manifest.bookmark ? await req.bookmarks.unread(req.jobName, allFiles) : allFiles;
  stats.sourceFiles = files.length;

  const db = await DuckDb.open({ threads: req.threads ?? 2, memoryLimit: req.memoryLimit });
  const interrupt = (): void => db.connection.interrupt();
  req.signal?.addEventListener('abort', interrupt);
  const staged: StagedOutput[] = [];
  try {
    // Materialised steps may exceed memory_limit; let DuckDB spill into the run's folder, removed at the end.
    await mkdir(runDir, { recursive: true });
    await db.run(`SET temp_directory = ${sqlString(path.join(runDir, 'spill'))}`);
    // Spark promises no row order in written files either; dropping it lets DuckDB write in parallel with less
    // memory (measured: unpartitioned 1M-row COPY 7.0 s -> 4.7 s on the loaded 2-core box).
    await db.run('SET preserve_insertion_order = false');
    // Partitioned COPY buffers up to this many rows per partition before writing them out; the default (524288)
    // made the 18-partition transactions_enriched write take 7.2 s for 9.8M rows, 100000 takes 5.3 s.
    await db.run('SET partitioned_write_flush_threshold = 100000');
    stats.shimsLoaded = await loadShims(db.connection, req.shimsFile ?? SPARK_COMPAT_SQL);
    const named = await defineCatalogViews({ ...req, manifest }, db, database, source, sourcePartitions, locations);

    const scan =
      files.length === 0
        ? { sql: emptyTableSelect(source, true), files: [] }
        : await buildTableScan(db, workspace, {
            table: source,
            partitions: sourcePartitions,
            files: files.map((f) => f.uri),
            sourceFile: true,
            parallel: parallelSource,
          });
    // Pass-through columns reach the steps as text, whatever type the crawler gave them in this file or that one.
    const sourceSelect =
      passThrough.length === 0
        ? scan.sql
        : `(SELECT * REPLACE (${passThrough.map((c) => `CAST(${sqlIdentifier(c)} AS VARCHAR) AS ${sqlIdentifier(c)}`).join(', ')}) FROM ${scan.sql} AS scan)`;
    const plan = await planStepKinds(db, manifest, req.stepsAs ?? 'auto');
    const kinds = plan.kinds;
    // Read more than once, the source is read once into a file the steps read instead, and the copy counts the
    // rows read. See JobRunRequest.materializeSource for the numbers.
    const copySource = req.materializeSource ?? 'auto';
    const copied =
      copySource === false || (copySource === 'auto' && plan.sourceReads !== undefined && plan.sourceReads <= 1)
        ? undefined
        : await materializeStep(db, 'source', `SELECT * FROM (${sourceSelect}) AS t`, path.join(runDir, 'steps'));
    if (copied === undefined) await db.run(`CREATE TEMP VIEW source AS ${sourceSelect}`);
    else stats.materialized.push('source');
    await defineJobArgs(db, manifest, args, req.startedOn);
    // A source the steps read through a view is counted from the profiles of the statements that read it.
    const counter =
      copied === undefined && scan.files.length > 0
        ? new SourceRowCounter(
            db,
            path.join(runDir, 'profile.json'),
            scan.files.map((f) => f.path),
          )
        : undefined;
    await counter?.start();

    for (const step of manifest.steps) {
      const stepKind = kinds.get(step.name) ?? 'TABLE';
      throwIfAborted(req.signal);
      const started = Date.now();
      try {
        const standIn = plan.outputCandidates.has(step.name)
          ? await outputStandIn(db, step, manifest.outputs)
          : undefined;
        if (stepKind === 'VIEW' || standIn) await db.run(`CREATE TEMP VIEW ${sqlIdentifier(step.name)} AS ${step.sql}`);
        else {
          await materializeStep(db, step.name, step.sql, path.join(runDir, 'steps'), counter);
          stats.materialized.push(step.name);
        }
        // The stand-in output is written first; the step's other outputs and later steps then read its files.
        const outputs = manifest.outputs
          .filter((o) => o.step === step.name)
          .sort((a, b) => Number(b === standIn?.output) - Number(a === standIn?.output));
        for (const output of outputs) {
          const location = locations.get(output.table) ?? '';
          const stagingDir = path.join(runDir, 'out', output.table);
          const out = await stageOutput(db, output, step.name, location, stagingDir, runId, passThrough);
          await counter?.collect();
          staged.push(out);
          if (standIn?.output === output) {
            await db.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdentifier(step.name)} AS ${standInSelect(standIn, out)}`);
            stats.materialized.push(`${step.name} (as ${output.table})`);
          }
          // A later step naming the table reads it including this run's rows.
          if (!named || named.has(output.table)) {
            const view = await outputTableSelect(workspace, output, location, out);
            await db.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(database)}.${sqlIdentifier(output.table)} AS ${view}`);
          }
        }
      } catch (error) {
        if (req.signal?.aborted) throw error;
        throw new JobRunError(`step ${step.name} (${step.file}) failed: ${messageOf(error)}`, { cause: error });
      }
      stats.stepMillis[step.name] = Date.now() - started;
    }
    await counter?.stop();
    const profiled = counter?.rowsRead();
    if (copied !== undefined) {
      stats.rowsRead = copied;
      stats.rowsCountedBy = 'copy';
    } else if (profiled !== undefined) {
      stats.rowsRead = profiled;
      stats.rowsCountedBy = 'profile';
    } else {
      const counted = await db.queryJson<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM source');
      stats.rowsRead = Number(counted[0]?.n ?? 0);
      stats.rowsCountedBy = 'count';
    }
    throwIfAborted(req.signal);

    await commitSerially(async () => {
      for (const out of staged) {
        await commitOutput(workspace, catalog, database, out, path.join(runDir, 'replaced', out.output.table));
      }
      if (manifest.bookmark) await req.bookmarks.advance(req.jobName, runId, files, new Date());
    });
    for (const out of staged) {
      stats.outputs.push({
        table: out.output.table,
        mode: out.output.mode,
        rowsWritten: out.rowsWritten,
        files: out.files.length,
        partitions:
          out.output.partitionKeys.length === 0
            ? 0
            : new Set(out.files.map((f) => f.split('/').slice(0, -1).join('/'))).size,
      });
    }
    return stats;
  } finally {
    req.signal?.removeEventListener('abort', interrupt);
    db.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

// Column types a Parquet file gives back exactly as DuckDB wrote them.
const PARQUET_SAFE_TYPE =
  /^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|FLOAT|DOUBLE|DATE|TIMESTAMP|DECIMAL\(\d+,\d+\))$/;

/**
 * COPY options of a step file (see materializeStep). DICTIONARY_SIZE_LIMIT: a column stops being dictionary-encoded
 * once a row group holds more than 4,096 distinct values of it. With DuckDB's default the `parsed` step file of
 * 10M rows came out the same (dictionaries for stores, channels, dates; unique ids and raw amounts plain, the same
 * size) but took 3.2 to 3.7 s to write instead of 2.1 to 3.1 s, so the default spends that time on dictionaries
 * that are then dropped. Reading it back takes the same time. With no dictionaries at all the write is no faster
 * and a grouping over three of its columns takes 0.40 s instead of 0.11 s. Output tables keep DuckDB's default:
 * their encodings are the analysts', and a column of a few thousand values per row group is worth a dictionary.
 */
export const STEP_FILE_COPY_OPTIONS =
  'FORMAT parquet, COMPRESSION uncompressed, WRITE_BLOOM_FILTER false, DICTIONARY_SIZE_LIMIT 4096';

/**
 * A step that must be computed once becomes a Parquet file in the run's folder and a view over it, rather than a
 * temp table: an in-memory copy of a wide 10M-row step takes ~1.7 GB and spills past memory_limit, while the file
 * is written in parallel and read back column by column. Measured on 10M rows, `checked`: 19.2 s as a temp table,
 * 17.3 s as a file, and the steps that read it 2.5 s faster. The file is uncompressed: it lives for one run,
 * and snappy made a 10M-row, 8-column copy 2.5 s instead of 1.9 s (reading it back costs the same).
 * Steps with other column types (nested, intervals, time zones, ...) stay temp tables.
 */
async function materializeStep(
  db: DuckDb,
  name: string,
  sql: string,
  dir: string,
  counter?: SourceRowCounter,
): Promise<number> {
  const columns = await db.query<{ column_type: string }>(`DESCRIBE ${sql}`);
  if (!columns.every((c) => PARQUET_SAFE_TYPE.test(c.column_type))) {
    const reader = await db.connection.runAndReadAll(`CREATE TEMP TABLE ${sqlIdentifier(name)} AS ${sql}`);
    await counter?.collect();
    return Number(reader.getRowsJson()[0]?.[0] ?? 0);
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.parquet`);
  // A newline before the `)`: a step may end in a `--` comment.
  const reader = await db.connection.runAndReadAll(`COPY (${sql}\n) TO ${sqlString(file)} (${STEP_FILE_COPY_OPTIONS})`);
  // Before the next statement: each one may overwrite the profile.
  await counter?.collect();
  await db.run(`CREATE TEMP VIEW ${sqlIdentifier(name)} AS SELECT * FROM read_parquet(${sqlString(escapeGlob(file))})`);
  return Number(reader.getRowsJson()[0]?.[0] ?? 0);
}

// Commits are short (renames and catalog writes) but must not interleave: two runs overwriting or appending to
// the same table (MaxConcurrentRuns > 1, or two jobs sharing an output) would move each other's files.
let commitQueue: Promise<unknown> = Promise.resolve();
function commitSerially<T>(fn: () => Promise<T>): Promise<T> {
  const result = commitQueue.then(fn, fn);
  commitQueue = result.catch(() => undefined);
  return result;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobRunError('job run interrupted', { cause: signal.reason });
}

/** The files the table scan would read, with the size and mtime bookmarks compare. */
async function filesOf(workspace: Workspace, table: Glue.Table, partitions: Glue.Partition[]): Promise<SourceFile[]> {
  const files = await listTableFiles(workspace, table, partitions);
  return Promise.all(
    files.map(async (f) => {
      const info = await stat(f.path);
      return { uri: f.uri, size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
}

/**
 * Schema `<database>` holds a view per catalog table the steps name (all its files, not bookmark-limited) and is
 * the current schema, so steps may write `db.table` or `table` as in Spark with the job's database selected.
 * DuckDB's parser finds the names; when it cannot parse a step, every table of the database gets a view.
 * Returns the names the steps use, or undefined when a step is beyond the parser.
 */
async function defineCatalogViews(
  req: JobRunRequest,
  db: DuckDb,
  database: string,
  source: Glue.Table,
  sourcePartitions: Glue.Partition[],
  outputLocations: Map<string, string>,
): Promise<Set<string> | undefined> {
  const schema = sqlIdentifier(database);
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await db.run(`USE ${schema}`);
  const named = await namedTables(db, req.manifest, database);
  const tables = await allTables(req.catalog, database);
  for (const table of tables) {
    const name = table.Name ?? '';
    if (!IDENTIFIER.test(name) || outputLocations.has(name)) continue;
    if (named && !named.has(name)) continue;
    const partitions = name === source.Name ? sourcePartitions : await allPartitions(req.catalog, database, name);
    try {
      const { sql: select } = await buildTableScan(db, req.workspace, { table, partitions });
      await db.run(`CREATE OR REPLACE VIEW ${schema}.${sqlIdentifier(name)} AS ${select}`);
    } catch (error) {
      // Without a parse we define every table: one that no step names must not fail the run.
      if (named) throw new JobRunError(`catalog table ${database}.${name} cannot be read: ${messageOf(error)}`);
    }
  }
  // Only the output tables a step names: defining a view reads the committed files' footers, and another run's
  // overwrite commit may be moving those files away right now (two runs of one job, or two jobs on one table).
  for (const output of req.manifest.outputs) {
    if (named && !named.has(output.table)) continue;
    const view = await outputTableSelect(req.workspace, output, outputLocations.get(output.table) ?? '', undefined);
    await db.run(`CREATE OR REPLACE VIEW ${schema}.${sqlIdentifier(output.table)} AS ${view}`);
  }
  return named;
}

interface StepPlan {
  kinds: Map<string, 'TABLE' | 'VIEW'>;
  /**
   * TABLE steps stored only because more than one reader reads them, with an output: the output's staged files
   * may stand in for the copy (see outputStandIn), decided once the step's columns are known.
   */
  outputCandidates: Set<string>;
  /** How often the steps name `source`; undefined when a step is beyond DuckDB's parser. */
  sourceReads?: number;
}

/**
 * TABLE or VIEW per step (see JobRunRequest.stepsAs); every step a TABLE when DuckDB cannot parse one. A step the
 * manifest marks `materialize: false` that reads an output table this or a later step writes is refused: as a
 * view it would see rows the run writes after it.
 */
async function planStepKinds(db: DuckDb, manifest: JobManifest, mode: 'auto' | 'table' | 'view'): Promise<StepPlan> {
  const kinds = new Map<string, 'TABLE' | 'VIEW'>();
  const outputCandidates = new Set<string>();
  const refs = new Map<string, Map<string, number>>();
  let allParsed = true;
  for (const step of manifest.steps) {
    const found = await tableRefCounts(db, step.sql);
    if (!found) allParsed = false;
    else refs.set(step.name, found);
  }
  const sourceReads = allParsed
    ? manifest.steps.reduce((n, step) => n + (refs.get(step.name)?.get('source') ?? 0), 0)
    : undefined;
  if (mode !== 'auto') {
    for (const step of manifest.steps) kinds.set(step.name, mode === 'view' ? 'VIEW' : 'TABLE');
    return { kinds, outputCandidates, sourceReads };
  }
  if (!allParsed) {
    for (const s of manifest.steps) kinds.set(s.name, 'TABLE');
    return { kinds, outputCandidates, sourceReads };
  }
  // Each output table's view is redefined (to include this run's rows) right after its step's outputs are staged.
  const stepIndex = new Map(manifest.steps.map((s, i) => [s.name, i]));
  const lastWrite = new Map<string, number>();
  for (const o of manifest.outputs) {
    lastWrite.set(o.table, Math.max(lastWrite.get(o.table) ?? -1, stepIndex.get(o.step) ?? Infinity));
  }
  manifest.steps.forEach((step, i) => {
    // Every reference counts: a view named twice in one query is computed twice (segmented reads
    // customer_metrics twice: as a view, 10M rows aggregated twice, ~0.6 s more than a copy).
    const readers =
      manifest.steps.slice(i + 1).reduce((n, later) => n + (refs.get(later.name)?.get(step.name) ?? 0), 0) +
      manifest.outputs.filter((o) => o.step === step.name).length;
    // A view over an output table that this or a later step writes would see rows this run writes later; as a table
    // it keeps its snapshot (so views that read it are stable too). An output table written by an earlier step is
    // final for the run: a view over it is safe, and saves a copy (transaction_metrics: 10M rows, ~5 s).
    const readsChangingOutput = [...(refs.get(step.name)?.keys() ?? [])].some(
      (name) => (lastWrite.get(name) ?? -1) >= i,
    );
    if (step.materialize === false && readsChangingOutput) {
      throw new JobRunError(
        `step ${step.name} (${step.file}) is marked materialize: false but reads an output table that this run ` +
          'writes at or after it; as a view it would see those rows',
      );
    }
    kinds.set(step.name, (step.materialize ?? (readsChangingOutput || readers > 1)) ? 'TABLE' : 'VIEW');
    const hasOutput = manifest.outputs.some((o) => o.step === step.name);
    if (step.materialize === undefined && !readsChangingOutput && readers > 1 && hasOutput) {
      outputCandidates.add(step.name);
    }
  });
  return { kinds, outputCandidates, sourceReads };
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT']);
const DECIMAL_TYPE = /^DECIMAL\((\d+),(\d+)\)$/;

/**
 * Whether a value of the step's type survives the cast to the output's declared type and back unchanged: the
 * same type, two integer types or two decimals of one scale (a value that does not fit fails the write, as it
 * would anyway). Not: double to float, timestamp to date, anything through a string.
 */
function roundTrips(stepType: string, outputType: string): boolean {
  if (stepType === outputType) return PARQUET_SAFE_TYPE.test(stepType);
  if (INTEGER_TYPES.has(stepType) && INTEGER_TYPES.has(outputType)) return true;
  const a = DECIMAL_TYPE.exec(stepType);
  const b = DECIMAL_TYPE.exec(outputType);
  return a !== null && b !== null && a[2] === b[2];
}

interface StandIn {
  output: ManifestOutput;
  /** The step's own columns and types, in its order. */
  columns: Array<{ name: string; type: string }>;
}

/**
 * An output of the step that holds every row and every column of it losslessly, so its staged files can stand in
 * for a stored copy of the step: the step is computed once, by the output's write, and later steps read the
 * files cast back to the step's own types (10M rows: one wide write instead of two, ~3 s).
 */
async function outputStandIn(db: DuckDb, step: ManifestStep, outputs: ManifestOutput[]): Promise<StandIn | undefined> {
  const described = await db.query<{ column_name: string; column_type: string }>(`DESCRIBE ${step.sql}`);
  const columns = described.map((c) => ({ name: c.column_name, type: c.column_type.replaceAll(' ', '') }));
  const output = outputs.find((o) => {
    if (o.step !== step.name || o.columns.length !== columns.length) return false;
    const declared = new Map(o.columns.map((c) => [c.name, duckdbTypeFor(c.type) ?? '']));
    return columns.every((c) => declared.has(c.name) && roundTrips(c.type, declared.get(c.name) ?? ''));
  });
  return output ? { output, columns } : undefined;
}

/** The step's rows read back from its stand-in output's staged files, in the step's own column types. */
function standInSelect(standIn: StandIn, staged: StagedOutput): string {
  const cols = (from: (name: string) => string) =>
    standIn.columns.map((c) => `CAST(${from(c.name)} AS ${c.type}) AS ${sqlIdentifier(c.name)}`).join(', ');
  if (staged.files.length === 0) return `SELECT ${cols(() => 'NULL')} WHERE false`;
  const list = `[${staged.files.map((f) => sqlString(escapeGlob(path.join(staged.stagingDir, f)))).join(', ')}]`;
  return `SELECT ${cols(sqlIdentifier)} FROM read_parquet(${list}, hive_partitioning = true, hive_types_autocast = false)`;
}

/** How often a step's SQL names each table (lower case); undefined when DuckDB cannot parse it. */
async function tableRefCounts(db: DuckDb, sql: string): Promise<Map<string, number> | undefined> {
  let ast: { error?: boolean; statements?: unknown };
  try {
    const rows = await db.queryJson<{ ast: string }>('SELECT json_serialize_sql($1::VARCHAR) AS ast', [sql]);
    ast = JSON.parse(rows[0]?.ast ?? '{}') as typeof ast;
  } catch {
    return undefined;
  }
  if (ast.error !== false) return undefined;
  const counts = new Map<string, number>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') {
      const name = record.table_name.toLowerCase();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const value of Object.values(record)) walk(value);
  };
  walk(ast.statements);
  return counts;
}

/** Tables of `database` that some step names; undefined when a step is beyond DuckDB's parser. */
async function namedTables(db: DuckDb, manifest: JobManifest, database: string): Promise<Set<string> | undefined> {
  const names = new Set<string>();
  for (const step of manifest.steps) {
    const refs = await tableRefs(db, step.sql);
    if (!refs) return undefined;
    for (const ref of refs) if (ref.schema === '' || ref.schema === database) names.add(ref.table);
  }
  return names;
}

/** One-row `job_args` with every manifest parameter, values bound as parameters and cast in SQL. */
async function defineJobArgs(
  db: DuckDb,
  manifest: JobManifest,
  args: Record<string, string>,
  startedOn: Date,
): Promise<void> {
  const entries = Object.entries(manifest.parameters);
  if (entries.length === 0) return;
  const values = entries.map(([name, p]) => parameterValue(name, p, args, startedOn));
  const cols = entries.map(([name, p], i) => `CAST($${i + 1} AS ${PARAM_TYPES[p.type]}) AS ${sqlIdentifier(name)}`);
  try {
    await db.run(`CREATE TEMP TABLE job_args AS SELECT ${cols.join(', ')}`, values);
  } catch (error) {
    throw new JobRunError(`job arguments do not match the manifest's parameter types: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
