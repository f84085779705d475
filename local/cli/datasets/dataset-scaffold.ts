// `lakepipe dataset new`: a dataset folder inferred from a sample file. The columns and their types come from the
// crawler's own analysis (local/glue/crawler/crawl-analyze.ts), so the contract says what the crawler will
// catalog; the key and the required columns from what the sample holds. The default job types every column,
// keeps rejected rows with a reason, de-duplicates by the key, and writes snappy Parquet with lineage.
import path from 'node:path';
import { sqlString } from '../../../functions/shared/sql-literal';
import { DATASET_NAME, isColumnType, kebab } from '../../../infra/registry.cjs';
import { type DuckDb, escapeGlob, sqlIdentifier } from '../../duckdb';
import { analyseFile, type FileAnalysis } from '../../glue/crawler/crawl-analyze';

/** The registry's rule for a dataset (folder) name: it becomes table, crawler, job and IAM names. */
export { DATASET_NAME };

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
// Names the default job's steps and outputs define themselves.
const JOB_COLUMNS = ['_corrupt_record', 'source_file', 'run_id', 'invalid_reason', 'reject_reason', 'key_rank'];
const PARTITION_COLUMNS = ['year', 'month'];
// Column names that usually hold personal data: listed for review, never decided.
const LOOKS_PERSONAL = /(e_?mail|phone|mobile|name|address|street|birth|ssn|passport|iban|ip_?addr)/;

/** A sample the command cannot build a dataset from: exit 2 with this one line. */
export class SampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleError';
  }
}

export interface ScaffoldColumn {
  name: string;
  type: string;
  required: boolean;
  /** The crawler's type when the contract cannot declare it (then the column is kept as text). */
  crawledAs?: string;
}

export interface Scaffold {
  name: string;
  sample: string;
  format: 'csv' | 'jsonl' | 'parquet';
  csv?: { delimiter: string; quote: string };
  columns: ScaffoldColumn[];
  key: string[];
  /** How the key was chosen. */
  keyFrom: 'option' | 'sample' | 'none';
  /** Unique, never-empty `*_id` columns when more than one could be the key (none was chosen). */
  keyCandidates: string[];
  /** The date (or timestamp) column the clean table is partitioned by (year, month), if any. */
  partitionBy?: string;
  /** Why the clean table is not partitioned, when it is not. */
  notPartitioned?: string;
  rows: number;
  tables: { clean: string; rejected: string; audit: string };
}

interface ColumnStats {
  name: string;
  present: number;
  distinct: number;
}

function readerFor(file: string, analysis: Extract<FileAnalysis, { readable: true }>): string {
  const target = sqlString(escapeGlob(file));
  if (analysis.format === 'parquet') return `read_parquet(${target})`;
  if (analysis.format === 'json') return `read_json(${target}, format='auto')`;
  const csv = analysis.csv;
  const quote = csv?.quote ? `, quote=${sqlString(csv.quote)}` : '';
  return `read_csv(${target}, header=true, all_varchar=true, delim=${sqlString(csv?.delimiter ?? ',')}${quote})`;
}

/** Rows of the sample, and per column how many rows hold a non-empty value and how many distinct ones. */
async function sampleStats(db: DuckDb, reader: string): Promise<{ rows: number; columns: ColumnStats[] }> {
  const described = await db.queryJson<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`);
  const value = (name: string) => `nullif(trim(CAST(${sqlIdentifier(name)} AS VARCHAR)), '')`;
  const parts = described.flatMap((d, i) => [
    `count(${value(d.column_name)}) AS p${i}`,
    `count(DISTINCT ${value(d.column_name)}) AS d${i}`,
  ]);
  const [row = {}] = await db.queryJson<Record<string, unknown>>(
    `SELECT count(*) AS n${parts.length ? `, ${parts.join(', ')}` : ''} FROM ${reader}`,
  );
  return {
    rows: Number(row.n ?? 0),
    columns: described.map((d, i) => ({
      name: d.column_name.toLowerCase(),
      present: Number(row[`p${i}`] ?? 0),
      distinct: Number(row[`d${i}`] ?? 0),
    })),
  };
}

/** What the sample says: the crawler's analysis, then the key, the required columns and the partition column. */
export async function inferScaffold(db: DuckDb, name: string, sample: string, key: string[] = []): Promise<Scaffold> {
  const analysis = await analyseFile(db, sample);
  if (!analysis.readable) throw new SampleError(`cannot read the sample ${sample}: ${analysis.reason}`);
  if (analysis.csv && !analysis.csv.hasHeader) {
    throw new SampleError(`the sample ${sample} has no header line: a CSV file must name its columns first`);
  }
  const names = analysis.columns.map((c) => c.name);
  for (const column of names) {
    if (!COLUMN_NAME.test(column)) {
      throw new SampleError(`column "${column}" of the sample is not a name the catalog takes ([a-z_][a-z0-9_]*)`);
    }
    if (JOB_COLUMNS.includes(column) || (column.endsWith('_raw') && names.includes(column.slice(0, -4)))) {
      throw new SampleError(`column "${column}" of the sample is a name the default job uses itself; rename it`);
    }
  }
  if (new Set(names).size !== names.length) throw new SampleError('the sample names a column twice');
  for (const k of key) {
    if (!names.includes(k))
      throw new SampleError(`--key ${k} is not a column of the sample (have: ${names.join(', ')})`);
  }
  const stats = await sampleStats(db, readerFor(sample, analysis));
  const statsOf = (column: string) => stats.columns.find((s) => s.name === column);
  const neverEmpty = (column: string) => stats.rows > 0 && statsOf(column)?.present === stats.rows;
  const candidates = names.filter(
    (c) => (c === 'id' || c.endsWith('_id')) && neverEmpty(c) && statsOf(c)?.distinct === stats.rows,
  );
  const chosenKey = key.length > 0 ? key : candidates.length === 1 ? candidates : [];
  const columns: ScaffoldColumn[] = analysis.columns.map((c) => ({
    name: c.name,
    type: isColumnType(c.type) ? c.type : 'string',
    required: chosenKey.includes(c.name) || neverEmpty(c.name),
    ...(isColumnType(c.type) ? {} : { crawledAs: c.type }),
  }));
  // The registry needs one required column; the first is the best guess when every column has gaps.
  const first = columns[0];
  if (first && !columns.some((c) => c.required)) first.required = true;
  const dated =
    columns.find((c) => c.type === 'date' && c.required) ?? columns.find((c) => c.type === 'timestamp' && c.required);
  const clash = names.filter((c) => PARTITION_COLUMNS.includes(c));
  const format = analysis.format === 'json' ? 'jsonl' : analysis.format;
  return {
    name,
    sample,
    format,
    ...(analysis.csv ? { csv: { delimiter: analysis.csv.delimiter, quote: analysis.csv.quote || '"' } } : {}),
    columns,
    key: chosenKey,
    keyFrom: key.length > 0 ? 'option' : chosenKey.length > 0 ? 'sample' : 'none',
    keyCandidates: candidates.length > 1 ? candidates : [],
    ...(dated && clash.length === 0
      ? { partitionBy: dated.name }
      : {
          notPartitioned: dated
            ? `the sample has a column named ${clash.join(' and ')}, the partition columns' names`
            : 'no date or timestamp column that every row fills',
        }),
    rows: stats.rows,
    tables: { clean: `${name}_clean`, rejected: `${name}_rejected`, audit: `${name}_ingest_audit` },
  };
}

/** Spark SQL that parses a raw column (read as text, whatever the crawler typed) into its contract type. */
function parseExpression(column: ScaffoldColumn): string {
  const text = `trim(CAST(s.${column.name} AS STRING))`;
  if (column.type === 'string') return `nullif(${text}, '')`;
  if (column.type === 'date') return `to_date(${text})`;
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(column.type);
  const sparkType = decimal ? `DECIMAL(${decimal[1]}, ${decimal[2]})` : column.type.toUpperCase();
  return `TRY_CAST(${text} AS ${sparkType})`;
}

const lines = (items: string[], indent: string, separator = ',') =>
  items.map((item, i) => `${indent}${item}${i < items.length - 1 ? separator : ''}`).join('\n');

function parsedStep(s: Scaffold): string {
  const rules = [
    `    WHEN t._corrupt_record IS NOT NULL THEN 'malformed_row'`,
    ...s.columns
      .filter((c) => c.required)
      .map((c) => `    WHEN nullif(trim(t.${c.name}_raw), '') IS NULL THEN 'missing_${c.name}'`),
    ...s.columns
      .filter((c) => c.type !== 'string')
      .map(
        (c) =>
          `    WHEN nullif(trim(t.${c.name}_raw), '') IS NOT NULL AND t.${c.name} IS NULL THEN 'unparseable_${c.name}'`,
      ),
  ];
  const parsed = s.columns.flatMap((c) => [
    `${parseExpression(c)} AS ${c.name}`,
    `CAST(s.${c.name} AS STRING) AS ${c.name}_raw`,
  ]);
  return `-- Every raw row of this run once, typed and judged; the one step that reads \`source\`. Each column goes
-- through STRING first, because the crawler types a column by what it saw; TRY_CAST and to_date are NULL on bad
-- input (Spark 3.5 non-ANSI, and DuckDB with spark-compat.sql). <column>_raw keeps the text as read, for the
-- rejected rows.
-- invalid_reason: why a row is rejected, or NULL when it is valid; the first failing rule wins.
SELECT
  t.*,
  CASE
${rules.join('\n')}
  END AS invalid_reason
FROM (
  SELECT
${lines(parsed, '    ')},
    s._corrupt_record,
    s.source_file
  FROM source AS s
) AS t
`;
}

function rankedStep(s: Scaffold): string {
  const order = s.columns.map((c) => `p.${c.name}_raw`).join(', ');
  return `-- Valid rows rank among the valid rows of their key (${s.key.join(', ')}): by source file, then by every
-- value as text, so the row kept never depends on read order.
SELECT
  p.*,
  row_number() OVER (
    PARTITION BY ${s.key.map((k) => `p.${k}`).join(', ')}, p.invalid_reason IS NULL
    ORDER BY p.source_file, concat_ws('|', ${order})
  ) AS key_rank
FROM parsed AS p
`;
}

function loadedKeysStep(s: Scaffold): string {
  return `-- Keys an earlier run already loaded, read before this run appends to ${s.tables.clean}.
SELECT DISTINCT ${s.key.map((k) => `e.${k}`).join(', ')}
FROM ${s.tables.clean} AS e
`;
}

function checkedStep(s: Scaffold): string {
  if (s.key.length === 0) {
    return `-- Every parsed row with its reject_reason (NULL when it is loaded) and the run id.
SELECT p.*, a.run_id, p.invalid_reason AS reject_reason
FROM parsed AS p
CROSS JOIN job_args AS a
`;
  }
  const on = s.key.map((k) => `l.${k} = r.${k}`).join(' AND ');
  return `-- Every parsed row with its reject_reason: invalid_reason, or duplicate_key for a valid row whose key an
-- earlier run loaded or another valid row of this run ranks before; NULL when it is loaded.
SELECT
  r.*,
  a.run_id,
  CASE
    WHEN r.invalid_reason IS NOT NULL THEN r.invalid_reason
    WHEN l.${s.key[0]} IS NOT NULL OR r.key_rank > 1 THEN 'duplicate_key'
  END AS reject_reason
FROM ranked AS r
CROSS JOIN job_args AS a
LEFT JOIN loaded_keys AS l
  ON ${on}
`;
}

const AUDIT_STEP = `-- What this run read, per raw file (every file the runner read has a row, one without data rows with zeros).
SELECT
  a.run_id,
  f.source_file,
  coalesce(c.rows_in, 0) AS rows_in,
  coalesce(c.valid_rows, 0) AS valid_rows
FROM source_files AS f
CROSS JOIN job_args AS a
LEFT JOIN (
  SELECT
    p.source_file,
    count(*) AS rows_in,
    count(CASE WHEN p.invalid_reason IS NULL THEN 1 END) AS valid_rows
  FROM parsed AS p
  GROUP BY p.source_file
) AS c
  ON c.source_file = f.source_file
`;

function rejectedStep(s: Scaffold): string {
  const columns = [...s.columns.map((c) => `${c.name}_raw AS ${c.name}`), 'reject_reason', 'source_file', 'run_id'];
  return `-- Rows that are not loaded, never silently dropped: every value as read, the reason, lineage.
SELECT
${lines(columns, '  ')}
FROM checked
WHERE reject_reason IS NOT NULL
`;
}

function cleanStep(s: Scaffold): string {
  const columns = [...s.columns.map((c) => c.name), 'source_file', 'run_id'];
  if (s.partitionBy) columns.push(`year(${s.partitionBy}) AS year`, `month(${s.partitionBy}) AS month`);
  return `-- Loaded rows: typed columns and lineage (source_file, the raw file's URI; run_id, the execution)${
    s.partitionBy ? `;\n-- year and month of ${s.partitionBy} partition the table` : ''
  }.
SELECT
${lines(columns, '  ')}
FROM checked
WHERE reject_reason IS NULL
`;
}

function steps(s: Scaffold): { name: string; file: string; sql: string; materialize?: boolean }[] {
  const list: { name: string; sql: string; materialize?: boolean }[] = [
    { name: 'parsed', sql: parsedStep(s), materialize: true },
  ];
  if (s.key.length > 0)
    list.push({ name: 'ranked', sql: rankedStep(s) }, { name: 'loaded_keys', sql: loadedKeysStep(s) });
  list.push(
    { name: 'checked', sql: checkedStep(s) },
    { name: 'audit', sql: AUDIT_STEP },
    { name: 'rejected', sql: rejectedStep(s) },
    { name: 'clean', sql: cleanStep(s) },
  );
  return list.map((step, i) => ({
    ...step,
    file: `steps/${String(i + 1).padStart(2, '0')}-${step.name.replaceAll('_', '-')}.sql`,
  }));
}

const yamlString = (value: string) => JSON.stringify(value);

function datasetYml(s: Scaffold): string {
  const formats =
    s.format === 'csv' && s.csv
      ? `  formats: [csv]\n  csv: { header: true, delimiter: ${yamlString(s.csv.delimiter)}, quote: ${yamlString(s.csv.quote)} }\n`
      : `  formats: [${s.format}]\n`;
  const columns = s.columns.map((c) => {
    const description = `${c.name}, inferred as ${c.crawledAs ? `text (the crawler saw ${c.crawledAs})` : c.type} from ${path.basename(s.sample)}`;
    return `    - { name: ${c.name}, type: ${yamlString(c.type)}, required: ${c.required}, pii: false, description: ${yamlString(description)} }`;
  });
  return `# ${s.name}: written by \`lakepipe dataset new\` from ${path.basename(s.sample)}; docs/datasets.md explains every field.
description: ${yamlString(`${s.name}, inferred from ${path.basename(s.sample)}`)}
raw:
  prefix: raw/${s.name}/
${formats}  partitionKeys: []
contract:
  # evolve: a column the contract does not name is merged into the raw table.
  schemaChange: evolve
  key: [${s.key.join(', ')}]
  columns:
${columns.join('\n')}
job: job.yml
checks: [rows_written, no_null_keys]
`;
}

function jobYml(s: Scaffold): string {
  const stepLines = steps(s).map(
    (step) =>
      `  - { name: ${step.name}, sql: ${step.file}${step.materialize === undefined ? '' : `, materialize: ${step.materialize}`} }`,
  );
  const column = (name: string, type: string) => `      - { name: ${name}, type: ${yamlString(type)} }`;
  const lineage = [column('source_file', 'string'), column('run_id', 'string')];
  const clean = [...s.columns.map((c) => column(c.name, c.type)), ...lineage];
  if (s.partitionBy) clean.push(column('year', 'int'), column('month', 'int'));
  const rejected = [...s.columns.map((c) => column(c.name, 'string')), column('reject_reason', 'string'), ...lineage];
  const output = (table: string, step: string, mode: string, partitionKeys: string[], columns: string[]) =>
    `  - table: ${table}
    step: ${step}
    path: ${table}/
    format: parquet
    compression: snappy
    mode: ${mode}
    partitionKeys: [${partitionKeys.join(', ')}]
    columns:
${columns.join('\n')}`;
  return `# ${kebab(s.name)}: raw ${s.name} -> typed${s.key.length ? ', de-duplicated' : ''} rows with lineage, and the rejected rows with a reason.
# Written by \`lakepipe dataset new\`; run by glue-jobs/runner on Glue and by the twin's DuckDB runner.
name: ${kebab(s.name)}
description: ${yamlString(`Typed${s.key.length ? ', de-duplicated' : ''} ${s.name} with lineage; rejected rows with a reason`)}
source:
  # Only files that no earlier successful run read.
  bookmark: true
parameters:
  run_id: { argument: run_id, type: string }
steps:
${stepLines.join('\n')}
outputs:
${output(s.tables.audit, 'audit', 'append', [], [column('run_id', 'string'), column('source_file', 'string'), column('rows_in', 'bigint'), column('valid_rows', 'bigint')])}
${output(s.tables.rejected, 'rejected', 'append', [], rejected)}
${output(s.tables.clean, 'clean', 'append', s.partitionBy ? ['year', 'month'] : [], clean)}
`;
}

function rowsWrittenValidation(s: Scaffold): string {
  return `-- This run loaded rows (or read none), and every row it read is loaded or rejected.
WITH audit AS (
  SELECT coalesce(sum(rows_in), 0) AS rows_in
  FROM \${database}.${s.tables.audit}
  WHERE run_id = \${run_id}
),
loaded AS (
  SELECT count(*) AS rows_out
  FROM \${database}.${s.tables.clean}
  WHERE run_id = \${run_id}
),
rejected AS (
  SELECT count(*) AS rows_rejected
  FROM \${database}.${s.tables.rejected}
  WHERE run_id = \${run_id}
)
SELECT
  (l.rows_out > 0 OR a.rows_in = 0) AND a.rows_in = l.rows_out + r.rows_rejected AS passed,
  a.rows_in,
  l.rows_out,
  r.rows_rejected
FROM audit AS a
CROSS JOIN loaded AS l
CROSS JOIN rejected AS r
`;
}

function noNullKeysValidation(s: Scaffold): string {
  const keys = s.key.length > 0 ? s.key : s.columns.filter((c) => c.required).map((c) => c.name);
  return `-- No row this run loaded lacks its ${s.key.length > 0 ? 'key' : 'required columns'} (${keys.join(', ')}) or its lineage.
SELECT
  count(CASE WHEN ${keys.map((k) => `${k} IS NULL`).join(' OR ')} THEN 1 END) = 0
    AND count(CASE WHEN source_file IS NULL THEN 1 END) = 0 AS passed,
  count(CASE WHEN ${keys.map((k) => `${k} IS NULL`).join(' OR ')} THEN 1 END) AS null_keys,
  count(CASE WHEN source_file IS NULL THEN 1 END) AS null_source_files
FROM \${database}.${s.tables.clean}
WHERE run_id = \${run_id}
`;
}

/** What the command decided, one line each, and what a person should review before deploying. */
export function decisions(s: Scaffold): { decided: string[]; review: string[] } {
  const typed = s.columns.map((c) => `${c.name} ${c.type}${c.required ? ' (required)' : ''}`).join(', ');
  const dialect = s.csv
    ? ` (delimiter ${JSON.stringify(s.csv.delimiter)}, quote ${JSON.stringify(s.csv.quote)}, header)`
    : '';
  const keyLine =
    s.keyFrom === 'option'
      ? `key: ${s.key.join(', ')} (--key); duplicates are rejected as duplicate_key`
      : s.keyFrom === 'sample'
        ? `key: ${s.key.join(', ')} (the one *_id column unique and never empty in the sample); duplicates are rejected as duplicate_key`
        : 'key: none (no single *_id column is unique and never empty in the sample); rows are not de-duplicated';
  const decided = [
    `format: ${s.format}${dialect}, ${s.rows} sample row(s)`,
    `columns (the crawler's inference): ${typed}`,
    keyLine,
    s.partitionBy
      ? `partitioned by year and month of ${s.partitionBy}`
      : `not partitioned: ${s.notPartitioned ?? 'no date column'}`,
    `outputs: ${s.tables.clean} (typed rows, lineage), ${s.tables.rejected} (every rejected row, reason), ${s.tables.audit}`,
    'validations: rows_written, no_null_keys',
  ];
  const personal = s.columns.filter((c) => LOOKS_PERSONAL.test(c.name)).map((c) => c.name);
  const review = [
    "every column's description: it says only what was inferred; say what the column holds",
    `pii: no column is marked; mark personal data pii: true${personal.length ? ` (names that look personal: ${personal.join(', ')})` : ''}`,
    `required: the columns every sample row fills are required (${s.columns
      .filter((c) => c.required)
      .map((c) => c.name)
      .join(', ')}); a file without one is quarantined`,
    ...(s.keyCandidates.length
      ? [`key: several columns could be the key (${s.keyCandidates.join(', ')}); pass --key to choose`]
      : []),
    ...s.columns
      .filter((c) => c.crawledAs)
      .map((c) => `${c.name}: the crawler saw ${c.crawledAs}, which a contract cannot declare; it is kept as text`),
    'schemaChange: evolve (new columns are merged); strict refuses them, warn reports them',
    `then: lakepipe dataset check ${s.name}`,
  ];
  return { decided, review };
}

function readme(s: Scaffold): string {
  const { decided, review } = decisions(s);
  return `# ${s.name}

Written by \`lakepipe dataset new ${s.name} --sample ${path.basename(s.sample)}\`: the contract (\`dataset.yml\`), a default job
(\`job.yml\`, \`steps/\`) and default validations (\`validations/\`). [docs/datasets.md](../../docs/datasets.md) explains
every field.

## What was decided

${decided.map((d) => `- ${d}`).join('\n')}

## To review

${review.map((r) => `- ${r}`).join('\n')}
`;
}

/** Every file of the dataset folder, by its path relative to the folder. */
export function renderScaffold(s: Scaffold): Record<string, string> {
  const files: Record<string, string> = {
    'dataset.yml': datasetYml(s),
    'job.yml': jobYml(s),
    'README.md': readme(s),
    'validations/rows_written.sql': rowsWrittenValidation(s),
    'validations/no_null_keys.sql': noNullKeysValidation(s),
  };
  for (const step of steps(s)) files[step.file] = step.sql;
  return files;
}
