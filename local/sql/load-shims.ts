// Loads a SQL shim file (plain DuckDB `CREATE OR REPLACE MACRO` statements) into one connection.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

/** The repo's shim files, resolved from this file so the twin works from any cwd. */
export const SPARK_COMPAT_SQL = path.resolve(__dirname, 'spark-compat.sql');
export const TRINO_COMPAT_SQL = path.resolve(__dirname, 'trino-compat.sql');

export class ShimLoadError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ShimLoadError';
  }
}

/**
 * Runs every statement of `file` on `connection`. Returns false when the file does not exist (the shim files
 * are owned by another part of the repo and may not exist yet); a file that exists but fails is an error.
 */
export async function loadShims(connection: DuckDBConnection, file: string): Promise<boolean> {
  let sql: string;
  try {
    sql = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (sql.trim() === '') return true;
  try {
    await connection.run(sql);
  } catch (error) {
    throw new ShimLoadError(`could not load SQL shims from ${file}: ${(error as Error).message}`, file, {
      cause: error,
    });
  }
  return true;
}
