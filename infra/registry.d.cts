// Types of infra/registry.cjs, the dataset registry (docs/datasets.md).
export type ColumnType = string;
export type RawFormat = 'csv' | 'jsonl' | 'parquet';
export type SchemaChangePolicy = 'evolve' | 'strict' | 'warn';

export interface ContractColumn {
  name: string;
  /** A Glue type: string, bigint, int, smallint, tinyint, double, float, boolean, date, timestamp, decimal(p,s). */
  type: ColumnType;
  required: boolean;
  description: string;
  pii: boolean;
}

export interface DatasetDefinition {
  /** The folder name: also the catalog table of its raw data. */
  name: string;
  /** Absolute path of datasets/<name>/. */
  dir: string;
  /** Absolute path of its dataset.yml. */
  file: string;
  description: string;
  raw: {
    prefix: string;
    formats: RawFormat[];
    csv: { header: true; delimiter: string; quote: string };
    partitionKeys: string[];
  };
  contract: { columns: ContractColumn[]; key: string[]; schemaChange: SchemaChangePolicy };
  /** The job manifest (absolute path) and its `name`, which names the Glue job. */
  job: { manifestFile: string; name: string };
  /** validations/<check>.sql in the dataset's folder. */
  checks: string[];
  crawler: { exclusions: string[] };
  alerts?: { email: string };
}

export class DatasetConfigError extends Error {
  /** Path of the file at fault, relative to the repository root. */
  readonly file: string;
  /** Dotted path of the field at fault, or '' for the whole file. */
  readonly field: string;
  constructor(file: string, field: string, problem: string);
}

export const REPO_ROOT: string;
/** What a dataset's folder name must match. */
export const DATASET_NAME: RegExp;
/** The dataset `lakepipe run` and `npm start` serve when none is named. */
export const DEFAULT_DATASET: string;
export function loadRegistry(root?: string): DatasetDefinition[];
export function registry(root?: string): DatasetDefinition[];
export function datasetNamed(name: string, root?: string): DatasetDefinition;
export function requiredColumns(dataset: DatasetDefinition): string[];
export function kebab(name: string): string;
export function isColumnType(type: string): boolean;
