// A dataset contract for the screen-files tests, as infra/datasets.cjs puts it in DATASET_CONTRACTS, and real
// Parquet files written by DuckDB.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatasetContract } from '../../../functions/screen-files/contract';
import { sqlString } from '../../../functions/shared/sql-literal';
import { withDuckDb } from '../../../local/duckdb';

export function contract(overrides: Partial<DatasetContract> = {}): DatasetContract {
  return {
    formats: ['csv', 'jsonl', 'parquet'],
    csv: { delimiter: ',', quote: '"' },
    schemaChange: 'evolve',
    columns: [
      { name: 'transaction_id', type: 'string', required: true },
      { name: 'customer_id', type: 'string', required: true },
    ],
    ...overrides,
  };
}

/** DATASET_CONTRACTS with one contract for customer_transactions. */
export function contractsEnv(overrides: Partial<DatasetContract> = {}): { DATASET_CONTRACTS: string } {
  return { DATASET_CONTRACTS: JSON.stringify({ customer_transactions: contract(overrides) }) };
}

/** Writes the rows of `select` (test SQL, no outside input) as a Parquet file and returns its bytes. */
export async function parquetOf(select: string): Promise<Buffer> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'lakepipe-parquet-')), 'f.parquet');
  await withDuckDb((db) => db.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet)`));
  return readFileSync(file);
}
