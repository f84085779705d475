// A dataset contract for the screen-files tests, as infra/datasets.cjs puts it in DATASET_CONTRACTS.
import type { DatasetContract } from '../../../functions/screen-files/contract';

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
