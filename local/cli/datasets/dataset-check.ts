// `lakepipe dataset check`: one dataset's folder as the deployment and both runtimes will read it: the contract
// through the registry, the manifest through the job runner's loader, every step through the Spark grammar and
// every validation through the Trino grammar (the project's syntax gates, test/etl/syntax-gates.test.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { placeholderSql, renderValidation } from '../../../functions/prepare-validations/render';
import { errorMessage, hasErrorName } from '../../../functions/shared/errors';
import { type DatasetDefinition, loadRegistry } from '../../../infra/registry.cjs';
import { loadManifest } from '../../glue/jobs/job-manifest';
import { expandPassThrough } from '../../glue/jobs/pass-through';

// Sample values the gates render validations with, as prepare-validations would at run time.
const SAMPLE_PLACEHOLDERS = {
  database: 'lakepipe_check',
  runId: 'check-20240101T000000Z-0123456789',
  rejectedShareMax: 0.05,
};
// Pass-through columns the gates expand steps with: a plain name and a reserved word, as the syntax gate does.
const SAMPLE_PASS_THROUGH = ['loyalty_tier', 'order'];

export interface DatasetCheck {
  dataset: string;
  /** Each problem names its file (relative to the project root) and what is wrong there. */
  problems: string[];
  steps: number;
  validations: number;
}

interface SyntaxError {
  startLine: number;
  startColumn: number;
  message: string;
}

interface Grammar {
  validate(sql: string): SyntaxError[];
  splitSQLByStatement(sql: string): unknown[] | null;
}

/** The grammars, loaded on first use (dt-sql-parser is large). */
function grammars(): { spark: Grammar; trino: Grammar } {
  const { SparkSQL, TrinoSQL } = require('dt-sql-parser') as typeof import('dt-sql-parser');
  return { spark: new SparkSQL(), trino: new TrinoSQL() };
}

/** Problems of one SQL text under one grammar: each syntax error with its line, or a count of statements. */
function gate(grammar: Grammar, dialect: string, file: string, sql: string): string[] {
  const errors = grammar.validate(sql);
  if (errors.length > 0) {
    return errors.map((e) => `${file}: ${dialect}: line ${e.startLine}:${e.startColumn}: ${e.message}`);
  }
  const statements = grammar.splitSQLByStatement(sql)?.length ?? 0;
  return statements === 1 ? [] : [`${file}: ${dialect}: must hold one statement, holds ${statements}`];
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Checks the dataset `name` of the project at `root`; a registry that does not load is the one problem. */
export async function checkDataset(root: string, name: string): Promise<DatasetCheck> {
  const result: DatasetCheck = { dataset: name, problems: [], steps: 0, validations: 0 };
  let dataset: DatasetDefinition | undefined;
  try {
    const all = loadRegistry(root);
    dataset = all.find((d) => d.name === name);
    if (!dataset) {
      result.problems.push(`datasets/: no dataset "${name}" (have: ${all.map((d) => d.name).join(', ')})`);
      return result;
    }
  } catch (error) {
    if (!hasErrorName(error, 'DatasetConfigError')) throw error;
    result.problems.push(errorMessage(error));
    return result;
  }
  const { spark, trino } = grammars();
  const manifestFile = relative(root, dataset.job.manifestFile);
  try {
    const manifest = await loadManifest(dataset.job.manifestFile);
    for (const step of manifest.steps) {
      const file = relative(root, path.resolve(path.dirname(dataset.job.manifestFile), step.file));
      // Spark's quoting, as the PySpark runner expands the placeholder.
      const sql = expandPassThrough(step.sql, SAMPLE_PASS_THROUGH, '`');
      result.problems.push(...gate(spark, 'Spark SQL', `${file} (step ${step.name})`, sql));
      result.steps++;
    }
  } catch (error) {
    if (!hasErrorName(error, 'ManifestError')) throw error;
    // The loader names the manifest by its absolute path; the project-relative one is enough.
    const message = errorMessage(error).replaceAll(dataset.job.manifestFile, manifestFile);
    result.problems.push(message.includes(manifestFile) ? message : `${manifestFile}: ${message}`);
  }
  const rendered = placeholderSql(SAMPLE_PLACEHOLDERS);
  for (const check of dataset.checks) {
    const absolute = path.join(dataset.dir, 'validations', `${check}.sql`);
    const file = relative(root, absolute);
    try {
      const sql = renderValidation(check, await readFile(absolute, 'utf8'), rendered);
      result.problems.push(...gate(trino, 'Trino SQL', `${file} (checks: ${check})`, sql));
    } catch (error) {
      if (!hasErrorName(error, 'ValidationQueryError')) throw error;
      result.problems.push(`${file} (checks: ${check}): ${errorMessage(error)}`);
    }
    result.validations++;
  }
  return result;
}
