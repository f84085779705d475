// @ts-check
// The dataset registry: `datasets/<name>/dataset.yml`, one folder per dataset (docs/datasets.md). Read by the
// deployment (infra/datasets.cjs, infra/resources), the Lambdas' environment and the local twin, so a dataset is
// declared once. A bad file is refused with DatasetConfigError naming the file and the field.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { z } = require('zod');

const REPO_ROOT = path.resolve(__dirname, '..');
const DATASET_FILE = 'dataset.yml';
// Dataset names become catalog table names and parts of crawler, job and IAM names.
const DATASET_NAME = /^[a-z][a-z0-9_]{0,47}$/;
// What `lakepipe run` and `npm start` serve when no dataset is named: the reference dataset.
const DEFAULT_DATASET = 'customer_transactions';
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
const CHECK_NAME = /^[A-Za-z0-9_-]+$/;
const JOB_NAME = /^[a-z][a-z0-9-]{0,47}$/;
// The Glue (Hive) types a contract may declare; decimal(p,s) with 1 <= p <= 38, 0 <= s <= p.
const SIMPLE_TYPES = [
  'string',
  'bigint',
  'int',
  'smallint',
  'tinyint',
  'double',
  'float',
  'boolean',
  'date',
  'timestamp',
];
const DECIMAL = /^decimal\((\d{1,2}),(\d{1,2})\)$/;
const FORMATS = ['csv', 'jsonl', 'parquet'];
const SCHEMA_CHANGE = ['evolve', 'strict', 'warn'];

class DatasetConfigError extends Error {
  /**
   * @param {string} file path relative to the repository root
   * @param {string} field dotted path of the field, or '' for the whole file
   * @param {string} problem
   */
  constructor(file, field, problem) {
    super(field ? `${file}: ${field}: ${problem}` : `${file}: ${problem}`);
    this.name = 'DatasetConfigError';
    this.file = file;
    this.field = field;
  }
}

/** @param {string} type */
function isColumnType(type) {
  if (SIMPLE_TYPES.includes(type)) return true;
  const m = DECIMAL.exec(type);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 38 && Number(m[2]) <= Number(m[1]);
}

const columnSchema = z
  .object({
    name: z.string().regex(COLUMN_NAME, 'must match [a-z_][a-z0-9_]*'),
    type: z.string().refine(isColumnType, `must be one of ${SIMPLE_TYPES.join(', ')} or decimal(p,s)`),
    required: z.boolean().default(false),
    description: z.string().min(1, 'must say what the column holds'),
    pii: z.boolean().default(false),
  })
  .strict();

const datasetFileSchema = z
  .object({
    description: z.string().min(1),
    raw: z
      .object({
        // Default: raw/<name>/.
        prefix: z
          .string()
          .refine((p) => /^[A-Za-z0-9_\-/]+\/$/.test(p) && !p.startsWith('/') && !p.includes('//'), {
            message: 'must be a key prefix of letters, digits, "_", "-" and "/", ending with "/"',
          })
          .optional(),
        formats: z.array(z.enum(FORMATS)).min(1).default(['csv']),
        csv: z
          .object({
            header: z.literal(true, { message: 'must be true: a CSV file names its columns in its first line' }),
            delimiter: z.string().length(1).default(','),
            quote: z.string().length(1).default('"'),
          })
          .strict()
          .default({ header: true, delimiter: ',', quote: '"' }),
        // Hive-style folders (`key=value/`) under the prefix that become columns; others are not passed through.
        partitionKeys: z.array(z.string().regex(COLUMN_NAME, 'must match [a-z_][a-z0-9_]*')).default([]),
      })
      .strict(),
    contract: z
      .object({
        columns: z.array(columnSchema).min(1),
        // The columns that identify a record; the job de-duplicates on them.
        key: z.array(z.string()).default([]),
        schemaChange: z.enum(SCHEMA_CHANGE).default('evolve'),
      })
      .strict(),
    // The job manifest, relative to the dataset's folder.
    job: z.string().min(1).default('job.yml'),
    // Names of validations/<check>.sql in the dataset's folder, run after the job in this order.
    checks: z.array(z.string().regex(CHECK_NAME, 'must match [A-Za-z0-9_-]+')).default([]),
    crawler: z
      .object({
        exclusions: z.array(z.string().min(1)).default(['**/_*', '**/.*']),
      })
      .strict()
      .default({ exclusions: ['**/_*', '**/.*'] }),
    alerts: z.object({ email: z.email() }).strict().optional(),
  })
  .strict();

/**
 * @typedef {z.infer<typeof columnSchema>} ContractColumn
 * @typedef {{
 *   name: string,
 *   dir: string,
 *   file: string,
 *   description: string,
 *   raw: { prefix: string, formats: ('csv'|'jsonl'|'parquet')[], csv: { header: true, delimiter: string, quote: string }, partitionKeys: string[] },
 *   contract: { columns: ContractColumn[], key: string[], schemaChange: 'evolve'|'strict'|'warn' },
 *   job: { manifestFile: string, name: string },
 *   checks: string[],
 *   crawler: { exclusions: string[] },
 *   alerts?: { email: string },
 * }} DatasetDefinition
 */

/** @param {readonly PropertyKey[]} p */
function fieldPath(p) {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/**
 * @param {string} file absolute path of a dataset.yml
 * @param {string} root the repository root, for messages
 * @returns {DatasetDefinition}
 */
function readDataset(file, root) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const dir = path.dirname(file);
  const name = path.basename(dir);
  if (!DATASET_NAME.test(name)) {
    throw new DatasetConfigError(rel, '', `the folder name "${name}" must match [a-z][a-z0-9_]* (at most 48)`);
  }
  let doc;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DatasetConfigError(rel, '', `not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = datasetFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetConfigError(rel, fieldPath(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const d = parsed.data;
  const columns = new Set();
  d.contract.columns.forEach((c, i) => {
    if (columns.has(c.name)) throw new DatasetConfigError(rel, `contract.columns[${i}].name`, `duplicate ${c.name}`);
    columns.add(c.name);
  });
  d.contract.key.forEach((k, i) => {
    if (!columns.has(k)) throw new DatasetConfigError(rel, `contract.key[${i}]`, `${k} is not a contract column`);
  });
  if (!d.contract.columns.some((c) => c.required)) {
    throw new DatasetConfigError(rel, 'contract.columns', 'at least one column must be required');
  }
  d.checks.forEach((check, i) => {
    if (!fs.existsSync(path.join(dir, 'validations', `${check}.sql`))) {
      throw new DatasetConfigError(rel, `checks[${i}]`, `no file validations/${check}.sql in ${path.dirname(rel)}`);
    }
  });
  const manifestFile = path.resolve(dir, d.job);
  if (!manifestFile.startsWith(dir + path.sep) || !fs.existsSync(manifestFile)) {
    throw new DatasetConfigError(rel, 'job', `no job manifest ${d.job} in ${path.dirname(rel)}`);
  }
  return {
    name,
    dir,
    file,
    description: d.description,
    raw: { ...d.raw, prefix: d.raw.prefix ?? `raw/${name}/` },
    contract: d.contract,
    job: { manifestFile, name: jobNameOf(manifestFile, root) },
    checks: d.checks,
    crawler: d.crawler,
    ...(d.alerts ? { alerts: d.alerts } : {}),
  };
}

/**
 * The manifest's `name`, which names the Glue job (`<prefix>-<name>`) and its assets folder.
 * @param {string} manifestFile
 * @param {string} root
 */
function jobNameOf(manifestFile, root) {
  const rel = path.relative(root, manifestFile).split(path.sep).join('/');
  let doc;
  try {
    doc = YAML.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new DatasetConfigError(rel, '', `not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const name = doc?.name;
  if (typeof name !== 'string' || !JOB_NAME.test(name)) {
    throw new DatasetConfigError(rel, 'name', 'must match [a-z][a-z0-9-]* (at most 48): it names the Glue job');
  }
  return name;
}

/**
 * Every dataset under `<root>/datasets/`, sorted by name. Prefixes may not overlap (a key belongs to one dataset)
 * and job names are unique.
 * @param {string} [root] the repository root (tests pass a copy)
 * @returns {DatasetDefinition[]}
 */
function loadRegistry(root = REPO_ROOT) {
  const datasetsDir = path.join(root, 'datasets');
  if (!fs.existsSync(datasetsDir)) throw new DatasetConfigError('datasets/', '', 'no datasets folder');
  const datasets = fs
    .readdirSync(datasetsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const file = path.join(datasetsDir, name, DATASET_FILE);
      if (!fs.existsSync(file)) throw new DatasetConfigError(`datasets/${name}/`, '', `no ${DATASET_FILE}`);
      return readDataset(file, root);
    });
  if (datasets.length === 0) throw new DatasetConfigError('datasets/', '', 'declares no dataset');
  datasets.forEach((a, i) => {
    for (const b of datasets.slice(i + 1)) {
      if (a.raw.prefix.startsWith(b.raw.prefix) || b.raw.prefix.startsWith(a.raw.prefix)) {
        throw new DatasetConfigError(
          `datasets/${b.name}/${DATASET_FILE}`,
          'raw.prefix',
          `${b.raw.prefix} overlaps ${a.name}'s ${a.raw.prefix}: every key must belong to one dataset`,
        );
      }
      if (a.job.name === b.job.name) {
        throw new DatasetConfigError(
          path.relative(root, b.job.manifestFile),
          'name',
          `job name ${b.job.name} is ${a.name}'s already`,
        );
      }
    }
  });
  return datasets;
}

/** @type {Map<string, DatasetDefinition[]>} */
const cache = new Map();

/**
 * loadRegistry, read once per root and process.
 * @param {string} [root]
 */
function registry(root = REPO_ROOT) {
  let found = cache.get(root);
  if (!found) {
    found = loadRegistry(root);
    cache.set(root, found);
  }
  return found;
}

/**
 * The dataset a name refers to, or a DatasetConfigError listing those that exist.
 * @param {string} name
 * @param {string} [root]
 */
function datasetNamed(name, root = REPO_ROOT) {
  const all = registry(root);
  const found = all.find((d) => d.name === name);
  if (!found) {
    throw new DatasetConfigError('datasets/', '', `no dataset "${name}" (have: ${all.map((d) => d.name).join(', ')})`);
  }
  return found;
}

/** Columns a file must carry to be processed. @param {DatasetDefinition} dataset */
function requiredColumns(dataset) {
  return dataset.contract.columns.filter((c) => c.required).map((c) => c.name);
}

/** `customer_transactions` -> `customer-transactions`, for resource names that prefer hyphens. @param {string} name */
function kebab(name) {
  return name.replace(/_/g, '-');
}

module.exports = {
  REPO_ROOT,
  DATASET_NAME,
  DEFAULT_DATASET,
  DatasetConfigError,
  loadRegistry,
  registry,
  datasetNamed,
  requiredColumns,
  kebab,
  isColumnType,
};
