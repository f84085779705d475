// Opens a small in-memory DuckDB with one shim file loaded, for the shim and SQL tests.
import { DuckDb } from '../../../local/duckdb';
import { loadShims } from '../../../local/sql/load-shims';

export async function openWithShim(file: string): Promise<DuckDb> {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  const loaded = await loadShims(db.connection, file);
  if (!loaded) throw new Error(`shim file missing: ${file}`);
  return db;
}

/** First row's single value as JSON-safe text (dates as yyyy-mm-dd, BIGINT/DECIMAL as strings). */
export async function scalar(db: DuckDb, sql: string): Promise<unknown> {
  const rows = await db.queryJson(sql);
  const row = rows[0];
  if (row === undefined) throw new Error(`no row from: ${sql}`);
  return Object.values(row)[0];
}
