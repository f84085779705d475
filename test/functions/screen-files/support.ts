// Shared setup for the screen-files tests: a dataset contract as infra/datasets.cjs puts it in DATASET_CONTRACTS,
// the execution input, S3 bodies answering ranged reads, and real Parquet files written by DuckDB.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { DatasetContract } from '../../../functions/screen-files/contract';
import type { ExecutionInput } from '../../../functions/shared/pipeline-input';
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

/** A body for a ranged GetObject of `data`, as S3 answers `Range: bytes=a-b`. */
export function rangedBody(data: Uint8Array, range: string | undefined): GetObjectCommandOutput['Body'] {
  const [, start = '0', end = String(data.length - 1)] = /^bytes=(\d+)-(\d*)$/.exec(range ?? '') ?? [];
  const slice = data.subarray(Number(start), Number(end || data.length - 1) + 1);
  return {
    transformToByteArray: async () => slice,
    transformToString: async () => Buffer.from(slice).toString('utf8'),
  } as unknown as GetObjectCommandOutput['Body'];
}

/** The execution input of customer_transactions for objects of `size` bytes at `keys`. */
export function input(...keys: string[]): ExecutionInput {
  return sizedInput(100, ...keys);
}

export function sizedInput(size: number, ...keys: string[]): ExecutionInput {
  return {
    dataset: 'customer_transactions',
    bucket: 'raw-bucket',
    objects: keys.map((key) => ({ key, size, eTag: 'e', sequencer: '01', eventTime: '2026-11-24T00:00:00Z' })),
    receivedAt: '2026-11-24T00:00:01Z',
    trigger: 's3',
    plan: {
      dataset: 'customer_transactions',
      prefix: 'raw/customer_transactions/',
      database: 'lakepipe',
      crawler: 'c',
      job: 'j',
      workgroup: 'w',
      validations: [],
      topicArn: 'arn:aws:sns:eu-west-1:1:t',
    },
  };
}
