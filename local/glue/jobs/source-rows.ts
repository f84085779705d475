// Rows read from the source, taken from DuckDB's query profiles of the statements that ran the steps, so a run
// whose steps read the source once need not read it a second time just to count it. A profile is trusted only
// where it proves the scan read every row; otherwise the runner falls back to a count(*) pass.
//
// What can make a scan stop early or skip rows, and how each is caught:
// - a LIMIT anywhere above it: only operators known to consume all their input may sit above the scan;
// - a hash join (or cross product) whose other side is empty: DuckDB then stops the probe side after a chunk
//   or two, so a join is trusted only when its other side produced rows;
// - filters pushed into the scan (Parquet, and the dynamic join filters of DuckDB 1.3+): such a scan is not
//   trusted;
// - the source read twice (a view step read by two statements) or not at all: exactly one scan must be seen.
// DuckDB's `Total Files Read` counts the files a scan finished, so a scan that stopped early usually does not
// even match the source's file count; the guards above cover one that finished its files and was still cut.
import { readFile, rm } from 'node:fs/promises';
import { sqlString } from '../../../functions/shared/sql-literal';
import type { DuckDb } from '../../duckdb';

/** One node of DuckDB's JSON profile (`PRAGMA enable_profiling = 'json'`), with the fields this module reads. */
export interface ProfileNode {
  operator_name?: string;
  operator_cardinality?: number;
  extra_info?: Record<string, unknown>;
  children?: ProfileNode[];
}

/** Operators that read all of their input whatever it holds (statement roots, projections, aggregates, sorts). */
const CONSUMES_ALL = new Set([
  'PROJECTION',
  'FILTER',
  'COPY_TO_FILE',
  'CREATE_TABLE_AS',
  'BATCH_CREATE_TABLE_AS',
  'INSERT',
  'HASH_GROUP_BY',
  'PERFECT_HASH_GROUP_BY',
  'UNGROUPED_AGGREGATE',
  'WINDOW',
  'STREAMING_WINDOW',
  'ORDER_BY',
  'TOP_N',
  'UNION',
]);

/** Joins that may stop reading one side when the other side is empty. */
const JOINS = new Set(['HASH_JOIN', 'CROSS_PRODUCT', 'NESTED_LOOP_JOIN', 'PIECEWISE_MERGE_JOIN', 'BLOCKWISE_NL_JOIN']);

export interface SourceScans {
  /** Scans of the source files found in the profile. */
  scans: number;
  /** Rows those scans produced. */
  rows: number;
  /** False when any of them may have stopped early or had rows filtered inside the scan. */
  complete: boolean;
}

/** True when a scan node's file list is the source's: the same count, and every name it shows is a source file. */
function scansSource(node: ProfileNode, sourcePaths: Set<string>): boolean {
  const info = node.extra_info ?? {};
  if (Number(info['Total Files Read']) !== sourcePaths.size) return false;
  const shown = String(info['Filename(s)'] ?? '')
    .split(', ')
    .filter((name) => name !== '...');
  return shown.length > 0 && shown.every((name) => sourcePaths.has(name));
}

/** The source scans of one statement's profile. */
export function sourceScansOf(profile: ProfileNode, sourcePaths: Set<string>): SourceScans {
  const found: SourceScans = { scans: 0, rows: 0, complete: true };
  function walk(node: ProfileNode, trusted: boolean): void {
    const name = node.operator_name ?? '';
    const info = node.extra_info ?? {};
    if ('Total Files Read' in info && scansSource(node, sourcePaths)) {
      found.scans += 1;
      found.rows += node.operator_cardinality ?? 0;
      if (!trusted || Object.keys(info).some((key) => /filter/i.test(key))) found.complete = false;
    }
    const children = node.children ?? [];
    children.forEach((child, i) => {
      // The profile's root has no operator name. Below a join, whichever side the child is, the other side must
      // have produced rows for this one to be read in full.
      const passes = JOINS.has(name)
        ? children.every((other, j) => j === i || (other.operator_cardinality ?? 0) > 0)
        : name === '' || CONSUMES_ALL.has(name);
      walk(child, trusted && passes);
    });
  }
  walk(profile, true);
  return found;
}

/**
 * Collects the source scans of the statements a run executes. Profiling goes to one file that each statement
 * overwrites, so `collect()` must be called after every statement that may scan the source.
 */
export class SourceRowCounter {
  private readonly sourcePaths: Set<string>;
  private total: SourceScans = { scans: 0, rows: 0, complete: true };

  constructor(
    private readonly db: DuckDb,
    private readonly profileFile: string,
    sourcePaths: string[],
  ) {
    this.sourcePaths = new Set(sourcePaths);
  }

  async start(): Promise<void> {
    // In this order: DuckDB checks the file's extension against the profiling format already set.
    await this.db.run(`PRAGMA enable_profiling = 'json'`);
    await this.db.run(`SET profiling_output = ${sqlString(this.profileFile)}`);
  }

  /** Folds in the profile of the statement that ran last, if it wrote one. */
  async collect(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.profileFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(this.profileFile, { force: true });
    const scans = sourceScansOf(JSON.parse(text) as ProfileNode, this.sourcePaths);
    this.total = {
      scans: this.total.scans + scans.scans,
      rows: this.total.rows + scans.rows,
      complete: this.total.complete && scans.complete,
    };
  }

  async stop(): Promise<void> {
    await this.db.run('PRAGMA disable_profiling');
  }

  /** Rows read, when exactly one scan read the source and read all of it; undefined when a count must decide. */
  rowsRead(): number | undefined {
    return this.total.scans === 1 && this.total.complete ? this.total.rows : undefined;
  }
}
