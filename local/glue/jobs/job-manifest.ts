// The job manifest (`glue-jobs/<job>/job.yml`), read and validated once per run. Both runners read the same file;
// this is the DuckDB runner's strict reading of it: every name that ends up in SQL is checked here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A step's `${pass_through}` or `${pass_through:alias}` (expanded by pass-through.ts); group 1 is the alias. */
export const PASS_THROUGH_PLACEHOLDER = /\$\{pass_through(?::([a-z_][a-z0-9_]*))?\}/;

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

const identifier = z.string().regex(IDENTIFIER, 'must match ^[a-z_][a-z0-9_]*$');

/** Glue/Hive column types the runner can cast to, with their DuckDB spelling. */
const SIMPLE_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  varchar: 'VARCHAR',
  char: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  smallint: 'SMALLINT',
  tinyint: 'TINYINT',
  double: 'DOUBLE',
  float: 'FLOAT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};
const DECIMAL = /^decimal\((\d{1,2}),\s*(\d{1,2})\)$/;

/** DuckDB type for a Glue/Hive type name; undefined when the runner does not support it. */
export function duckdbTypeFor(glueType: string): string | undefined {
  const simple = SIMPLE_TYPES[glueType];
  if (simple) return simple;
  const decimal = DECIMAL.exec(glueType);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision >= 1 && precision <= 38 && scale <= precision) return `DECIMAL(${precision},${scale})`;
  }
  return undefined;
}

const glueType = z
  .string()
  .transform((t) => t.trim().toLowerCase())
  .refine((t) => duckdbTypeFor(t) !== undefined, 'unsupported Glue type');

const PARAMETER_TYPES = ['string', 'date', 'timestamp', 'bigint', 'int', 'double', 'boolean'] as const;

const parameterSchema = z.strictObject({
  argument: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/),
  type: z.enum(PARAMETER_TYPES),
  /** A literal, or `run_date` (the run's start date, UTC). */
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** The value is a secret: the runner resolves it (SSM on AWS, the twin's secret store) and never shows it. */
  secret: z.boolean().optional(),
});

const outputSchema = z.strictObject({
  table: identifier,
  step: identifier,
  path: z
    .string()
    .regex(/^[A-Za-z0-9_=-]+(\/[A-Za-z0-9_=-]+)*\/$/, 'must be a relative folder path ending in /, no dots'),
  format: z.literal('parquet'),
  compression: z.enum(['snappy', 'zstd', 'gzip', 'uncompressed']).default('snappy'),
  mode: z.enum(['append', 'overwrite']),
  partitionKeys: z.array(identifier).default([]),
  columns: z.array(z.strictObject({ name: identifier, type: glueType })).min(1),
  /** Also write the source's pass-through columns (as strings), after the declared data columns. */
  passThrough: z.boolean().default(false),
});

const manifestSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  description: z.string().optional(),
  source: z.strictObject({
    bookmark: z.boolean().default(false),
    /** Raw columns the steps do not name pass through as strings; `except` lists those they name (or use inside). */
    passThrough: z.strictObject({ except: z.array(identifier) }).optional(),
  }),
  parameters: z.record(identifier, parameterSchema).default({}),
  steps: z
    .array(
      z.strictObject({
        name: identifier,
        sql: z.string().min(1),
        /** Store the step's rows once (true), or let every reader recompute it (false); absent: the runner decides. */
        materialize: z.boolean().optional(),
      }),
    )
    .min(1),
  outputs: z.array(outputSchema).default([]),
});

export type ManifestParameter = z.infer<typeof parameterSchema>;
export type ManifestOutput = z.infer<typeof outputSchema>;

export interface ManifestStep {
  name: string;
  /** Path as written in the manifest, relative to its folder. */
  file: string;
  sql: string;
  /** The manifest's `materialize` hint; undefined lets the runner decide. */
  materialize?: boolean;
}

export interface JobManifest {
  file: string;
  name: string;
  bookmark: boolean;
  /** `source.passThrough.except`; undefined when no column passes through (see pass-through.ts). */
  passThroughExcept?: string[];
  parameters: Record<string, ManifestParameter>;
  steps: ManifestStep[];
  outputs: ManifestOutput[];
}

/** Names that the runner defines itself and a step must not reuse. */
const RESERVED_VIEWS = new Set(['source', 'source_files', 'job_args']);

function checkConsistency(m: z.infer<typeof manifestSchema>): string[] {
  const problems: string[] = [];
  for (const [name, p] of Object.entries(m.parameters)) {
    if (p.secret && (p.type !== 'string' || p.default !== undefined)) {
      problems.push(`parameter "${name}": a secret is a string with no default`);
    }
  }
  const stepNames = new Set<string>();
  for (const step of m.steps) {
    if (RESERVED_VIEWS.has(step.name)) problems.push(`step name "${step.name}" is reserved`);
    if (stepNames.has(step.name)) problems.push(`step "${step.name}" is declared twice`);
    stepNames.add(step.name);
  }
  const tables = new Set<string>();
  for (const out of m.outputs) {
    if (!stepNames.has(out.step)) problems.push(`output "${out.table}" names unknown step "${out.step}"`);
    if (tables.has(out.table)) problems.push(`output table "${out.table}" is declared twice`);
    if (stepNames.has(out.table) || RESERVED_VIEWS.has(out.table)) {
      problems.push(`output table "${out.table}" has the name of a step or a runner view`);
    }
    tables.add(out.table);
    const names = out.columns.map((c) => c.name);
    if (new Set(names).size !== names.length) problems.push(`output "${out.table}" declares a column twice`);
    if (out.passThrough && !m.source.passThrough) {
      problems.push(`output "${out.table}" asks for passThrough, but source.passThrough is not set`);
    }
    const tail = names.slice(names.length - out.partitionKeys.length);
    if (out.partitionKeys.join(',') !== tail.join(',') || out.partitionKeys.length === names.length) {
      problems.push(`output "${out.table}": partitionKeys must be the last columns, in order, after data columns`);
    }
  }
  return problems;
}

/** Reads, validates and resolves a manifest and its step SQL files. */
export async function loadManifest(file: string): Promise<JobManifest> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`cannot read job manifest ${file}: ${(error as Error).message}`, file, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ManifestError(`invalid job manifest ${file}: ${detail}`, file);
  }
  const problems = checkConsistency(parsed.data);
  if (problems.length > 0) throw new ManifestError(`invalid job manifest ${file}: ${problems.join('; ')}`, file);

  const dir = path.dirname(path.resolve(file));
  const steps: ManifestStep[] = [];
  for (const step of parsed.data.steps) {
    const sqlPath = path.resolve(dir, step.sql);
    if (!sqlPath.startsWith(`${dir}${path.sep}`)) {
      throw new ManifestError(`step "${step.name}": sql path ${step.sql} leaves the job folder`, file);
    }
    let sql: string;
    try {
      sql = await readFile(sqlPath, 'utf8');
    } catch (error) {
      throw new ManifestError(`step "${step.name}": cannot read ${step.sql}`, file, { cause: error });
    }
    // One SELECT per file; a trailing semicolon is tolerated because editors and Spark accept it.
    if (!parsed.data.source.passThrough && PASS_THROUGH_PLACEHOLDER.test(sql)) {
      throw new ManifestError(`step "${step.name}" uses \${pass_through}, but source.passThrough is not set`, file);
    }
    steps.push({
      name: step.name,
      file: step.sql,
      sql: sql.trim().replace(/;\s*$/, ''),
      ...(step.materialize === undefined ? {} : { materialize: step.materialize }),
    });
  }
  return {
    file,
    name: parsed.data.name,
    bookmark: parsed.data.source.bookmark,
    ...(parsed.data.source.passThrough ? { passThroughExcept: parsed.data.source.passThrough.except } : {}),
    parameters: parsed.data.parameters,
    steps,
    outputs: parsed.data.outputs,
  };
}
