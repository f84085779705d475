// Executes one run of a job manifest on DuckDB: source view (bookmark-new files only), `job_args`, the SQL steps as
// views in order, each output staged right after its step, then commit (files, partitions, bookmark) at the end.
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { errorMessage } from '../../../functions/shared/errors';
import { sqlString } from '../../../functions/shared/sql-literal';
import { DuckDb, sqlIdentifier } from '../../duckdb';
import { allPartitions } from '../../paging';
import { loadShims, SPARK_COMPAT_SQL } from '../../sql/load-shims';
import { translateSparkCached } from '../../sql/translation-cache';
import type { Workspace } from '../../workspace';
import { isQuotedNewlineError, listTableFiles } from '../catalog/table-scan';
import { defineCatalogViews } from './catalog-views';
import { defineJobArgs, identifierArg, requireArg } from './job-args';
import type { JobBookmarks, SourceFile } from './job-bookmarks';
import type { JobManifest, ManifestStep } from './job-manifest';
import {
  commitOutput,
  ensureOutputTable,
  type JobCatalog,
  outputTableSelect,
  type StagedOutput,
  stageOutput,
  tableLocation,
} from './job-output';
import { JobRunError, throwIfAborted } from './job-run-error';
import { expandPassThrough, passThroughColumns } from './pass-through';
import { exceptUndeclaredPartitionKeys, sourceContractOf, withOptionalColumns } from './source-contract';
import { SourceRowCounter } from './source-rows';
import { buildSourceScan, sourceFilesSelect } from './source-scan';
import { materializeStep } from './step-files';
import { outputStandIn, planStepKinds, type StepPlan, standInSelect } from './step-plan';

export { JobRunError } from './job-run-error';

export interface JobRunRequest {
  workspace: Workspace;
  catalog: JobCatalog;
  bookmarks: JobBookmarks;
  manifest: JobManifest;
  jobName: string;
  runId: string;
  /** DefaultArguments merged with the run's Arguments, keys with their `--`. */
  args: Record<string, string>;
  /** The values of the manifest's secret parameters, by parameter name (never in `args`, so never recorded). */
  secrets?: Record<string, string>;
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
   * when one step reads it. With a view, rowsRead comes from DuckDB's profile of the one statement that read the
   * source (source-rows.ts), or from a count(*) pass over it when the profile cannot prove every row was read.
   */
  materializeSource?: 'auto' | boolean;
  /**
   * How steps are defined. `auto` (default): the manifest's `materialize` hint where a step has one; otherwise a
   * stored TABLE when the step reads an output table that this or a later step writes (it keeps the snapshot it
   * was computed on after the run writes that table) or is read more than once; a lazy VIEW otherwise (read
   * once: same result, no copy). `table` / `view` force one kind.
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
   * False when a CSV source had a quoted newline, so the run was done again with DuckDB's single-threaded CSV
   * scanner (see source-scan.ts).
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

/** What one attempt of a run knows once its arguments, source table and files are resolved. */
interface RunContext {
  req: JobRunRequest;
  database: string;
  /** The manifest with the pass-through columns expanded in every step. */
  manifest: JobManifest;
  source: Glue.Table;
  sourcePartitions: Glue.Partition[];
  /** The source files this run reads (after the bookmark filter). */
  files: SourceFile[];
  /** Each output table's location. */
  locations: Map<string, string>;
  runDir: string;
  stats: JobRunStats;
  /** The views naming each catalog table the steps name; undefined when a step is beyond DuckDB's parser. */
  named?: Set<string>;
  staged: StagedOutput[];
}

/** How the source was defined: rows of its copy, or the counter of the statements that read it. */
interface SourceDefinition {
  copiedRows?: number;
  counter?: SourceRowCounter;
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
  const manifest = await exceptUndeclaredPartitionKeys(req.manifest, req.catalog, req.args);
  const run = await resolveRun({ ...req, manifest }, parallelSource);
  const db = await DuckDb.open({ threads: req.threads ?? 2, memoryLimit: req.memoryLimit });
  const interrupt = (): void => db.connection.interrupt();
  req.signal?.addEventListener('abort', interrupt);
  try {
    await configureSession(db, run.runDir);
    run.stats.shimsLoaded = await loadShims(db.connection, req.shimsFile ?? SPARK_COMPAT_SQL);
    run.named = await defineCatalogViews(db, { ...req, ...run, outputLocations: run.locations });
    const plan = await planStepKinds(db, run.manifest, req.stepsAs ?? 'auto');
    const source = await defineSource(db, run, plan, parallelSource);
    await defineJobArgs(db, run.manifest, req.args, req.startedOn, req.secrets);
    await source.counter?.start();
    for (const step of run.manifest.steps) await runStep(db, run, plan, step, source.counter);
    await source.counter?.stop();
    await countRowsRead(db, run.stats, source);
    throwIfAborted(req.signal);
    await commitRun(run);
    run.stats.outputs = run.staged.map(outputStats);
    return run.stats;
  } finally {
    req.signal?.removeEventListener('abort', interrupt);
    db.close();
    await rm(run.runDir, { recursive: true, force: true });
  }
}

/**
 * Resolves the arguments, makes sure every output table exists (so a step may read one on run one), and finds
 * the source table, its pass-through columns as the table has them now, and the files this run reads.
 */
async function resolveRun(req: JobRunRequest, parallelSource: boolean): Promise<RunContext> {
  const { workspace, catalog, args } = req;
  const database = identifierArg(args, 'database');
  const sourceTable = identifierArg(args, 'source_table');
  const curated = req.manifest.outputs.length > 0 ? requireArg(args, 'curated_location') : '';
  const locations = new Map(req.manifest.outputs.map((o) => [o.table, tableLocation(curated, o)]));
  for (const output of req.manifest.outputs) {
    await ensureOutputTable(catalog, database, output, locations.get(output.table) ?? '');
  }
  const { Table: source } = await catalog.getTable({ DatabaseName: database, Name: sourceTable });
  if (!source) throw new JobRunError(`source table ${database}.${sourceTable} not found`);
  const sourceColumns = [...(source.StorageDescriptor?.Columns ?? []), ...(source.PartitionKeys ?? [])];
  const passThrough = passThroughColumns(
    req.manifest,
    sourceColumns.map((c) => c.Name ?? ''),
  );
  const steps = req.manifest.steps.map((s) => ({
    ...s,
    sql: translateSparkCached(expandPassThrough(s.sql, passThrough)),
  }));
  const sourcePartitions = await allPartitions(catalog, database, sourceTable);
  const allFiles = await filesOf(workspace, source, sourcePartitions);
  const files = req.manifest.bookmark ? await req.bookmarks.unread(req.jobName, allFiles) : allFiles;
  const stats: JobRunStats = {
    database,
    sourceTable,
    sourceFiles: files.length,
    rowsRead: 0,
    rowsCountedBy: 'count',
    outputs: [],
    stepMillis: {},
    shimsLoaded: false,
    sourceReadInParallel: parallelSource,
    passThrough,
    materialized: [],
  };
  const runDir = workspace.dir('jobs', req.jobName, 'staging', req.runId);
  const manifest = { ...req.manifest, steps };
  return { req, database, manifest, source, sourcePartitions, files, locations, runDir, stats, staged: [] };
}

async function configureSession(db: DuckDb, runDir: string): Promise<void> {
  // Materialised steps may exceed memory_limit; let DuckDB spill into the run's folder, removed at the end.
  await mkdir(runDir, { recursive: true });
  await db.run(`SET temp_directory = ${sqlString(path.join(runDir, 'spill'))}`);
  // Spark promises no row order in written files either; dropping it lets DuckDB write in parallel with less memory.
  await db.run('SET preserve_insertion_order = false');
  // A partitioned COPY writes a partition's rows out sooner than by default, which is faster for many partitions.
  await db.run('SET partitioned_write_flush_threshold = 100000');
}

/**
 * Defines `source` (this run's files, every column as text: see source-scan.ts) and `source_files` (one row per
 * file, so a file without rows is audited too). A source the steps name more than once is copied once into a
 * file they read instead, and the copy counts the rows read; one read through a view is counted from the
 * profiles of the statements that read it.
 */
async function defineSource(db: DuckDb, run: RunContext, plan: StepPlan, parallel: boolean): Promise<SourceDefinition> {
  const contract = sourceContractOf(run.req.args);
  const scan = await buildSourceScan(db, run.req.workspace, {
    table: run.source,
    partitions: run.sourcePartitions,
    files: run.files.map((f) => f.uri),
    parallel,
    quote: contract?.csv?.quote,
  });
  const sourceSql = withOptionalColumns(scan.sql, run.source, contract);
  await db.run(`CREATE TEMP VIEW source_files AS ${sourceFilesSelect(scan.files)}`);
  const copySource = run.req.materializeSource ?? 'auto';
  if (copySource === false || (copySource === 'auto' && plan.sourceReads !== undefined && plan.sourceReads <= 1)) {
    await db.run(`CREATE TEMP VIEW source AS ${sourceSql}`);
    if (scan.files.length === 0 || !scan.scansEveryRow) return {};
    const profile = path.join(run.runDir, 'profile.json');
    return {
      counter: new SourceRowCounter(
        db,
        profile,
        scan.files.map((f) => f.path),
      ),
    };
  }
  const steps = path.join(run.runDir, 'steps');
  const copiedRows = await materializeStep(db, 'source', `SELECT * FROM ${sourceSql} AS t`, steps);
  run.stats.materialized.push('source');
  return { copiedRows };
}

/** Defines the step as a view or a stored copy, then stages its outputs; a failure names the step. */
async function runStep(
  db: DuckDb,
  run: RunContext,
  plan: StepPlan,
  step: ManifestStep,
  counter: SourceRowCounter | undefined,
): Promise<void> {
  throwIfAborted(run.req.signal);
  const started = Date.now();
  try {
    const standIn = plan.outputCandidates.has(step.name)
      ? await outputStandIn(db, step, run.manifest.outputs)
      : undefined;
    if ((plan.kinds.get(step.name) ?? 'TABLE') === 'VIEW' || standIn) {
      await db.run(`CREATE TEMP VIEW ${sqlIdentifier(step.name)} AS ${step.sql}`);
    } else {
      await materializeStep(db, step.name, step.sql, path.join(run.runDir, 'steps'), counter);
      run.stats.materialized.push(step.name);
    }
    // The stand-in output is written first; the step's other outputs and later steps then read its files.
    const outputs = run.manifest.outputs
      .filter((o) => o.step === step.name)
      .sort((a, b) => Number(b === standIn?.output) - Number(a === standIn?.output));
    for (const output of outputs) {
      const out = await stageOutput(
        db,
        output,
        step.name,
        run.locations.get(output.table) ?? '',
        path.join(run.runDir, 'out', output.table),
        run.req.runId,
        run.stats.passThrough,
      );
      await counter?.collect();
      run.staged.push(out);
      if (standIn?.output === output) {
        await db.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdentifier(step.name)} AS ${standInSelect(standIn, out)}`);
        run.stats.materialized.push(`${step.name} (as ${output.table})`);
      }
      await showStagedRows(db, run, out);
    }
  } catch (error) {
    if (run.req.signal?.aborted) throw error;
    throw new JobRunError(`step ${step.name} (${step.file}) failed: ${errorMessage(error)}`, { cause: error });
  }
  run.stats.stepMillis[step.name] = Date.now() - started;
}

/** A later step naming the output table reads it including this run's staged rows. */
async function showStagedRows(db: DuckDb, run: RunContext, out: StagedOutput): Promise<void> {
  const table = out.output.table;
  if (run.named && !run.named.has(table)) return;
  const view = await outputTableSelect(run.req.workspace, out.output, run.locations.get(table) ?? '', out);
  await db.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(run.database)}.${sqlIdentifier(table)} AS ${view}`);
}

async function countRowsRead(db: DuckDb, stats: JobRunStats, source: SourceDefinition): Promise<void> {
  const profiled = source.counter?.rowsRead();
  if (source.copiedRows !== undefined) {
    stats.rowsRead = source.copiedRows;
    stats.rowsCountedBy = 'copy';
  } else if (profiled !== undefined) {
    stats.rowsRead = profiled;
    stats.rowsCountedBy = 'profile';
  } else {
    const counted = await db.queryJson<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM source');
    stats.rowsRead = Number(counted[0]?.n ?? 0);
    stats.rowsCountedBy = 'count';
  }
}

async function commitRun(run: RunContext): Promise<void> {
  const { req } = run;
  await commitSerially(async () => {
    for (const out of run.staged) {
      const replaced = path.join(run.runDir, 'replaced', out.output.table);
      await commitOutput(req.workspace, req.catalog, run.database, out, replaced);
    }
    if (run.manifest.bookmark) await req.bookmarks.advance(req.jobName, req.runId, run.files, new Date());
  });
}

function outputStats(out: StagedOutput): OutputStats {
  return {
    table: out.output.table,
    mode: out.output.mode,
    rowsWritten: out.rowsWritten,
    files: out.files.length,
    partitions:
      out.output.partitionKeys.length === 0
        ? 0
        : new Set(out.files.map((f) => f.split('/').slice(0, -1).join('/'))).size,
  };
}

// Commits are short (renames and catalog writes) but must not interleave: two runs overwriting or appending to
// the same table (MaxConcurrentRuns > 1, or two jobs sharing an output) would move each other's files.
let commitQueue: Promise<unknown> = Promise.resolve();
function commitSerially<T>(fn: () => Promise<T>): Promise<T> {
  const result = commitQueue.then(fn, fn);
  commitQueue = result.catch(() => undefined);
  return result;
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
