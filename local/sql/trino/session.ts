// A DuckDB connection set up to run translated Trino SQL: the Trino-compat macros, and integer division for `/`.
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadShims, TRINO_COMPAT_SQL } from '../load-shims';

export async function prepareTrinoSession(
  connection: DuckDBConnection,
  shimsFile = TRINO_COMPAT_SQL,
): Promise<boolean> {
  await connection.run('SET integer_division = true');
  return loadShims(connection, shimsFile);
}
