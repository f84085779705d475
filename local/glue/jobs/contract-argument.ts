// The `--source_contract` job argument's name and shape, apart from the runner (source-contract.ts), so the twin's
// configuration can build it without loading DuckDB.

export const SOURCE_CONTRACT_ARGUMENT = '--source_contract';

/**
 * The dataset's optional columns with their Glue types, the raw partition keys that may pass through, and the CSV
 * quote it declares (the crawler's classifier has it too; Glue reads by the table's SerDe, the twin by this).
 */
export interface SourceContract {
  optional: { name: string; type: string }[];
  partitionKeys: string[];
  csv?: { quote: string };
}
