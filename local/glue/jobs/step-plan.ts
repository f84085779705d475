// Which steps are stored once (TABLE) and which each reader computes (VIEW), and which outputs can stand in for a
// stored step. Decided from DuckDB's parse of the steps' SQL.
import path from 'node:path';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import { duckdbTypeFor, type JobManifest, type ManifestOutput, type ManifestStep } from './job-manifest';
import type { StagedOutput } from './job-output';
import { JobRunError } from './job-run-error';
import { PARQUET_SAFE_TYPE } from './step-files';

export type StepKind = 'TABLE' | 'VIEW';

export interface StepPlan {
  kinds: Map<string, StepKind>;
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
export async function planStepKinds(
  db: DuckDb,
  manifest: JobManifest,
  mode: 'auto' | 'table' | 'view',
): Promise<StepPlan> {
  const kinds = new Map<string, StepKind>();
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
    // Every reference counts: a view named twice in one query is computed twice.
    const readers =
      manifest.steps.slice(i + 1).reduce((n, later) => n + (refs.get(later.name)?.get(step.name) ?? 0), 0) +
      manifest.outputs.filter((o) => o.step === step.name).length;
    // A view over an output table that this or a later step writes would see rows this run writes later; as a table
    // it keeps its snapshot (so views that read it are stable too). An output table written by an earlier step is
    // final for the run: a view over it is safe, and saves a copy.
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

export interface StandIn {
  output: ManifestOutput;
  /** The step's own columns and types, in its order. */
  columns: Array<{ name: string; type: string }>;
}

/**
 * An output of the step that holds every row and every column of it losslessly, so its staged files can stand in
 * for a stored copy of the step: the step is computed once, by the output's write, and later steps read the
 * files cast back to the step's own types (one wide write instead of two).
 */
export async function outputStandIn(
  db: DuckDb,
  step: ManifestStep,
  outputs: ManifestOutput[],
): Promise<StandIn | undefined> {
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
export function standInSelect(standIn: StandIn, staged: StagedOutput): string {
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
