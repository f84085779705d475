// One Spark SQL statement over the catalog, as the job runner would run it in a step: the same translation
// (translateSpark), the same Spark session, the same views of the catalog tables. For `lakepipe query --dialect spark`.
import type { DuckDBType } from '@duckdb/node-api';
import { athenaValue } from '../../athena/result-format';
import { DuckDb } from '../../duckdb';
import { defineCatalogViews } from '../../glue/jobs/catalog-views';
import type { JobCatalog } from '../../glue/jobs/job-output';
import type { Workspace } from '../../workspace';
import { prepareSparkSession, translateSpark } from './translate';

export interface SparkQueryRequest {
  workspace: Workspace;
  catalog: JobCatalog;
  /** The Glue database whose tables the statement names (the job's `--database`). */
  database: string;
  sql: string;
  maxRows: number;
}

export interface SparkQueryResult {
  columns: string[];
  /** Values as text, printed as the twin's Athena prints them. */
  rows: Record<string, string | null>[];
}

/** Translates and runs the statement; throws UnsupportedSqlError, SqlSyntaxError or DuckDB's error. */
export async function runSparkQuery(req: SparkQueryRequest): Promise<SparkQueryResult> {
  const translated = translateSpark(req.sql);
  const db = await DuckDb.open({ threads: 2, memoryLimit: '1GB' });
  try {
    await prepareSparkSession(db.connection);
    await defineCatalogViews(db, {
      workspace: req.workspace,
      catalog: req.catalog,
      database: req.database,
      manifest: {
        file: '',
        name: 'query',
        bookmark: false,
        parameters: {},
        steps: [{ name: 'query', file: '', sql: translated }],
        outputs: [],
      },
      source: { Name: '' },
      sourcePartitions: [],
      outputLocations: new Map(),
    });
    const reader = await db.connection.runAndReadUntil(translated, req.maxRows);
    const columns = reader.columnNames();
    const types = reader.columnTypes() as DuckDBType[];
    const rows = reader
      .getRows()
      .slice(0, req.maxRows)
      .map((row) => Object.fromEntries(columns.map((name, i) => [name, athenaValue(row[i], types[i] as DuckDBType)])));
    return { columns, rows };
  } finally {
    db.close();
  }
}
