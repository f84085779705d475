// Syntax gates: every job step parses as Spark SQL and every validation as Trino SQL (dt-sql-parser), the latter
// after placeholder substitution with sample values, exactly one statement each.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SparkSQL, TrinoSQL } from 'dt-sql-parser';
import { readManifest, readStepSql, renderValidation, SAMPLE_RUN_ID, VALIDATIONS_DIR } from './job-harness';

describe('job steps parse as Spark SQL', () => {
  it('every step named in job.yml is one valid Spark SQL statement', async () => {
    // Prepare
    const manifest = await readManifest();
    const spark = new SparkSQL();
    // Act
    const results = await Promise.all(
      manifest.steps.map(async (step) => {
        const sql = await readStepSql(step.sql);
        return { step: step.name, errors: spark.validate(sql), statements: spark.splitSQLByStatement(sql)?.length };
      }),
    );
    // Assess
    expect(results.length).toBeGreaterThanOrEqual(8);
    expect(results).toEqual(results.map((r) => ({ step: r.step, errors: [], statements: 1 })));
  });

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
