// A step computed once is stored as an uncompressed Parquet file in the run's folder with a view over it: unlike a
// temp table it is written in parallel, read back column by column, and spills nothing past memory_limit.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../../../functions/shared/sql-literal';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import type { SourceRowCounter } from './source-rows';

/** Column types a Parquet file gives back exactly as DuckDB wrote them. */
export const PARQUET_SAFE_TYPE =
  /^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|FLOAT|DOUBLE|DATE|TIMESTAMP|DECIMAL\(\d+,\d+\))$/;

/**
 * COPY options of a step file. The file lives for one run, so it is not compressed; a column stops being
 * dictionary-encoded past 4,096 distinct values per row group, because DuckDB's default limit builds dictionaries
 * for unique ids only to drop them. Output tables keep DuckDB's defaults: their encodings are the analysts'.
 */
export const STEP_FILE_COPY_OPTIONS =
  'FORMAT parquet, COMPRESSION uncompressed, WRITE_BLOOM_FILTER false, DICTIONARY_SIZE_LIMIT 4096';

/**
 * Stores the step as a file and defines its view; a step with other column types (nested, intervals, time zones)
 * becomes a temp table. Resolves with the rows stored.
 */
export async function materializeStep(
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
