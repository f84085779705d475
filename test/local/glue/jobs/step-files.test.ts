// Step files are the runner's own: uncompressed, no bloom filters, and a dictionary only for a column with few
// values per row group (STEP_FILE_COPY_OPTIONS says why). Pinned on a file DuckDB writes with those options.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sqlString } from '../../../../functions/shared/sql-literal';
import { withDuckDb } from '../../../../local/duckdb';
import { STEP_FILE_COPY_OPTIONS } from '../../../../local/glue/jobs/step-files';

type ColumnChunk = {
  column: string;
  encodings: string;
  codec: string;
  bloom: boolean;
};

async function writeStepFile(select: string): Promise<ColumnChunk[]> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'lakepipe-step-file-')), 'step.parquet');
  return withDuckDb(async (db) => {
    await db.run(`COPY (${select}) TO ${sqlString(file)} (${STEP_FILE_COPY_OPTIONS})`);
    return db.queryJson<ColumnChunk>(
      `SELECT DISTINCT path_in_schema AS column, encodings, compression AS codec,
         bloom_filter_offset IS NOT NULL AS bloom
       FROM parquet_metadata(${sqlString(file)}) ORDER BY 1`,
    );
  });
}

describe('step files', () => {
  it('keep a dictionary for a column with up to 4,096 values in a row group, and write one with more plain', async () => {
    // Prepare: 50,000 rows, one column with 5,000 values and one with 4,000; DuckDB's default writer keeps a
    // dictionary for both.
    const select = `SELECT 'customer-' || (i % 5000) AS customer, 'store-' || (i % 4000) AS store
      FROM range(50000) AS t(i)`;

    // Act
    const chunks = await writeStepFile(select);

    // Assess
    expect(chunks).toEqual([
      { column: 'customer', encodings: 'PLAIN', codec: 'UNCOMPRESSED', bloom: false },
      { column: 'store', encodings: 'PLAIN_DICTIONARY', codec: 'UNCOMPRESSED', bloom: false },
    ]);
  });
});
