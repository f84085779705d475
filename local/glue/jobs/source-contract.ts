// The dataset's contract as the job sees it, from the `--source_contract` job argument (JSON, built from the
// registry: local/twin/dataset-resources.ts when deployed as the twin). An optional column that the raw table
// lacks reads as NULL of its declared type, so the steps may name it; a partition key of the raw table (Hive
// folders, or the crawler's partition_0..) passes through only when the dataset declares it. Without the
// argument the source is the raw table as crawled. The PySpark runner reads the same argument (lakepipe_manifest.py).
import type * as Glue from '@aws-sdk/client-glue';
import { z } from 'zod';
import { errorMessage } from '../../../functions/shared/errors';
import { sqlIdentifier } from '../../duckdb';
import { SOURCE_CONTRACT_ARGUMENT, type SourceContract } from './contract-argument';
import { duckdbTypeFor, IDENTIFIER, type JobManifest } from './job-manifest';
import type { JobCatalog } from './job-output';
import { JobRunError } from './job-run-error';

const identifier = z.string().regex(IDENTIFIER, 'must match ^[a-z_][a-z0-9_]*$');

const contractSchema = z.strictObject({
  optional: z
    .array(
      z.strictObject({
        name: identifier,
        type: z.string().refine((t) => duckdbTypeFor(t.trim().toLowerCase()) !== undefined, 'unsupported Glue type'),
      }),
    )
    .default([]),
  partitionKeys: z.array(identifier).default([]),
  csv: z.strictObject({ quote: z.string().length(1, 'must be one character') }).optional(),
}) satisfies z.ZodType<SourceContract, unknown>;

export { SOURCE_CONTRACT_ARGUMENT, type SourceContract };

/** The run's contract, or undefined when the job has no `--source_contract`; a malformed one fails the run. */
export function sourceContractOf(args: Record<string, string>): SourceContract | undefined {
  const text = args[SOURCE_CONTRACT_ARGUMENT];
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new JobRunError(`job argument ${SOURCE_CONTRACT_ARGUMENT} is not JSON: ${errorMessage(error)}`);
  }
  const result = contractSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new JobRunError(`job argument ${SOURCE_CONTRACT_ARGUMENT}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

function tableColumnNames(table: Glue.Table): Set<string> {
  const columns = [...(table.StorageDescriptor?.Columns ?? []), ...(table.PartitionKeys ?? [])];
  return new Set(columns.map((c) => (c.Name ?? '').toLowerCase()));
}

/** The contract's optional columns the raw table does not have, with their DuckDB types. */
export function missingOptionalColumns(
  table: Glue.Table,
  contract: SourceContract | undefined,
): { name: string; duckType: string }[] {
  const present = tableColumnNames(table);
  return (contract?.optional ?? [])
    .filter((c) => !present.has(c.name))
    .map((c) => ({ name: c.name, duckType: duckdbTypeFor(c.type.trim().toLowerCase()) ?? 'VARCHAR' }));
}

/** The source relation with each missing optional column as a typed NULL, after the raw columns. */
export function withOptionalColumns(
  sourceSql: string,
  table: Glue.Table,
  contract: SourceContract | undefined,
): string {
  const missing = missingOptionalColumns(table, contract);
  if (missing.length === 0) return sourceSql;
  const nulls = missing.map((c) => `CAST(NULL AS ${c.duckType}) AS ${sqlIdentifier(c.name)}`);
  return `(SELECT contract_source.*, ${nulls.join(', ')} FROM ${sourceSql} AS contract_source)`;
}

/** Partition keys of the raw table the contract does not declare: they never pass through to curated tables. */
export function undeclaredPartitionKeys(table: Glue.Table, contract: SourceContract | undefined): string[] {
  if (!contract) return [];
  const declared = new Set(contract.partitionKeys);
  return (table.PartitionKeys ?? []).map((k) => k.Name ?? '').filter((name) => !declared.has(name));
}

/**
 * The manifest with the raw table's undeclared partition keys added to `source.passThrough.except`, so they do
 * not pass through; unchanged without a contract, without pass-through, or when the table cannot be read (the run
 * reports that itself).
 */
export async function exceptUndeclaredPartitionKeys(
  manifest: JobManifest,
  catalog: Pick<JobCatalog, 'getTable'>,
  args: Record<string, string>,
): Promise<JobManifest> {
  const contract = sourceContractOf(args);
  const database = args['--database'];
  const table = args['--source_table'];
  if (!contract || !manifest.passThroughExcept || !database || !table) return manifest;
  const found = await catalog.getTable({ DatabaseName: database, Name: table }).catch(() => undefined);
  const undeclared = found?.Table ? undeclaredPartitionKeys(found.Table, contract) : [];
  if (undeclared.length === 0) return manifest;
  return { ...manifest, passThroughExcept: [...manifest.passThroughExcept, ...undeclared] };
}
