// Syntax gates: every job step parses as Spark SQL and every validation as Trino SQL (dt-sql-parser), the latter
// after placeholder substitution with sample values, exactly one statement each.
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SparkSQL, TrinoSQL } from 'dt-sql-parser';
import { parse } from 'yaml';
import { expandPassThrough } from '../../local/glue/jobs/pass-through';
import { JOB_DIR, type Manifest, readStepSql, renderValidation, SAMPLE_RUN_ID, VALIDATIONS_DIR } from './job-harness';

// Read at load time so each step is its own test: dt-sql-parser's ANTLR prediction is slow on a cold cache.
const MANIFEST = parse(readFileSync(path.join(JOB_DIR, 'job.yml'), 'utf8')) as Manifest;

describe('job steps parse as Spark SQL', () => {
  it('the manifest names the ten steps', () => {
    expect(MANIFEST.steps.map((s) => s.name)).toEqual([
      'parsed',
      'repeated_rows',
      'loaded_ids',
      'checked',
      'audit',
      'rejected',
      'enriched',
      'transaction_metrics',
      'customer_metrics',
      'segmented',
    ]);
  });

  it.each(MANIFEST.steps.map((s) => [s.name, s.sql]))(
    'step %s (%s) is one valid Spark SQL statement',
    async (_, file) => {
      // Prepare: pass-through columns expanded as the PySpark runner expands them (Spark's backtick quoting).
      const sql = expandPassThrough(await readStepSql(file), ['loyalty_tier', 'order'], '`');
      const spark = new SparkSQL();
      // Act
      const errors = spark.validate(sql);
      // Assess
      expect(errors).toEqual([]);
      expect(spark.splitSQLByStatement(sql)).toHaveLength(1);
    },
  );

  it('the gate rejects broken Spark SQL (so a pass means something)', () => {
    // Act
    const errors = new SparkSQL().validate('SELECT a, FROM checked WHERE');
    // Assess
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('validations parse as Trino SQL', () => {
  it('every validations/*.sql is one valid Trino statement after substitution', async () => {
    // Prepare
    const files = (await readdir(VALIDATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const trino = new TrinoSQL();
    // Act
    const results = await Promise.all(
      files.map(async (file) => {
        const sql = renderValidation(await readFile(path.join(VALIDATIONS_DIR, file), 'utf8'), {
          database: 'lakepipe_customer_analytics',
          runId: SAMPLE_RUN_ID,
          share: 0.05,
        });
        return { file, errors: trino.validate(sql), statements: trino.splitSQLByStatement(sql)?.length };
      }),
    );
    // Assess
    expect(files).toEqual([
      'amounts_reconcile.sql',
      'no_null_keys.sql',
      'one_segment_per_customer.sql',
      'rejected_share.sql',
      'rows_written.sql',
    ]);
    expect(results).toEqual(results.map((r) => ({ file: r.file, errors: [], statements: 1 })));
  });

  it('uses no placeholder outside the contract', async () => {
    // Prepare
    const files = (await readdir(VALIDATIONS_DIR)).filter((f) => f.endsWith('.sql'));
    // Act
    const used = new Set<string>();
    for (const file of files) {
      const sql = await readFile(path.join(VALIDATIONS_DIR, file), 'utf8');
      for (const m of sql.matchAll(/\$\{([^}]*)\}/g)) used.add(m[1] ?? '');
    }
    // Assess
    expect([...used].sort()).toEqual(['database', 'rejected_share_max', 'run_id']);
  });
});
