// The catalog tables the steps name, as views in schema `<database>` (the current schema), so a step may write
// `db.table` or `table` as in Spark with the job's database selected.
import type * as Glue from '@aws-sdk/client-glue';
import { errorMessage } from '../../../functions/shared/errors';
import { type DuckDb, sqlIdentifier } from '../../duckdb';
import { allPartitions, allTables } from '../../paging';
import { tableRefs } from '../../sql/table-refs';
import type { Workspace } from '../../workspace';
import { buildTableScan } from '../catalog/table-scan';
import { IDENTIFIER, type JobManifest } from './job-manifest';
import { type JobCatalog, outputTableSelect } from './job-output';
import { JobRunError } from './job-run-error';

export interface CatalogViewsRequest {
  workspace: Workspace;
  catalog: JobCatalog;
  manifest: JobManifest;
  database: string;
  source: Glue.Table;
  sourcePartitions: Glue.Partition[];
  /** Each output table's location. */
  outputLocations: Map<string, string>;
}

/**
 * Defines a view per catalog table the steps name (all its files, not bookmark-limited). DuckDB's parser finds
 * the names; when it cannot parse a step, every table of the database gets a view. Returns the names the steps
 * use, or undefined when a step is beyond the parser.
 */
export async function defineCatalogViews(db: DuckDb, req: CatalogViewsRequest): Promise<Set<string> | undefined> {
  const { database, outputLocations } = req;
  const schema = sqlIdentifier(database);
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await db.run(`USE ${schema}`);
  const named = await namedTables(db, req.manifest, database);
  for (const table of await allTables(req.catalog, database)) {
    const name = table.Name ?? '';
    if (!IDENTIFIER.test(name) || outputLocations.has(name)) continue;
    if (named && !named.has(name)) continue;
    const partitions =
      name === req.source.Name ? req.sourcePartitions : await allPartitions(req.catalog, database, name);
    try {
      const { sql: select } = await buildTableScan(db, req.workspace, { table, partitions });
      await db.run(`CREATE OR REPLACE VIEW ${schema}.${sqlIdentifier(name)} AS ${select}`);
    } catch (error) {
      // Without a parse we define every table: one that no step names must not fail the run.
      if (named) throw new JobRunError(`catalog table ${database}.${name} cannot be read: ${errorMessage(error)}`);
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
