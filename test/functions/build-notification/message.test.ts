// The outcome, and a subject and body an operator can act on (functions/build-notification/message.ts).
import { buildNotification, type PipelineState, safeSubject } from '../../../functions/build-notification/message';
import { baseState, input, iteration, NAME, NOW } from './support';

describe('buildNotification', () => {
  it('all passed: SUCCEEDED with files, stages and every validation with its details', () => {
    // Prepare
    const state = {
      ...baseState(),
      validationResults: [
        iteration('row_count', ['passed', 'rows_written'], ['true', '998']),
        iteration('no_null_ids', ['passed', 'null_ids'], ['true', '0']),
        iteration(
          'rows',
          ['passed', 'rows_in', 'rows_out', 'rejected', 'duplicates'],
          ['true', '1000', '990', '7', '3'],
        ),
      ],
    };

    // Act
    const n = buildNotification(input('completed', state), NOW);

    // Assess
    expect(n.outcome).toBe('SUCCEEDED');
    expect(n.subject).toBe('[lakepipe] customer_transactions succeeded: 2 file(s), all 3 validation(s) passed');
    expect(n.message).toContain('Rows: read 1000, written 990, rejected 7, duplicates dropped 3');
    expect(n.message).toContain('Execution: customer_transactions-20261124T095958Z-0123456789');
    expect(n.message).toContain(
      '  - s3://lakepipe-raw-123456789012-eu-west-1/raw/customer_transactions/2026/11/24/transactions-0002.csv (1.0 MB, arrived 2026-11-24T09:59:58.120Z)',
    );
    expect(n.message).toContain('  catalog     FRESH after 3 check(s), crawl started 2026-11-24T10:00:30.000Z');
    expect(n.message).toContain('  job         customer-analytics run jr_42 SUCCEEDED in 95 s');
    expect(n.message).toContain('  validation  row_count in 2.5 s');
    expect(n.message).toContain('  total       298 s so far');
    expect(n.message).toContain('  [PASS] row_count: rows_written=998');
    expect(n.message).toContain(`How to re-run:\n  lakepipe rerun ${NAME}`);
    expect(n.message).not.toContain('lakepipe redrive');
  });

  it('a failed validation: VALIDATION_FAILED, the failed names in the subject and summary, re-run help', () => {
    // Prepare
    const state = {
      ...baseState(),
      validationResults: [
        iteration('row_count', ['passed', 'rows_written'], ['true', '998']),
        iteration('rejected_share', ['passed', 'rejected', 'share'], ['false', '120', '0.12']),
      ],
    };

    // Act
    const n = buildNotification(input('completed', state), NOW);

    // Assess
    expect(n.outcome).toBe('VALIDATION_FAILED');
    expect(n.summary).toBe('1 of 2 validation(s) failed: rejected_share');
    expect(n.subject).toBe('[lakepipe] customer_transactions validation failed: rejected_share');
    expect(n.message).toContain('  [FAIL] rejected_share: rejected=120, share=0.12');
    expect(n.message).toContain(`  lakepipe rerun ${NAME}`);
    expect(n.message).toContain(
      `  On AWS: lakepipe rerun --aws --state-machine-arn arn:aws:states:eu-west-1:123456789012:stateMachine:lakepipe-prod-pipeline ${NAME}`,
    );
  });

  it('a failure: FAILED with the stage, the error and the unpacked cause', () => {
    // Prepare
    const cause = JSON.stringify({ Id: 'jr_42', JobName: 'customer-analytics', JobRunState: 'TIMEOUT' });
    const state: PipelineState = {
      ...baseState(),
      job: undefined,
      error: { Error: 'States.TaskFailed', Cause: cause },
    };

    // Act
    const n = buildNotification(input('failed', state), NOW);

    // Assess
    expect(n.outcome).toBe('FAILED');
    expect(n.subject).toBe('[lakepipe] customer_transactions FAILED in Glue job: States.TaskFailed');
    expect(n.message).toContain('Error: States.TaskFailed');
    expect(n.message).toContain('Cause: Glue job customer-analytics run jr_42 ended TIMEOUT: (no error message)');
    expect(n.message).toContain(`  lakepipe redrive ${NAME}`);
    expect(n.message).not.toContain('Rows:');
  });

  it('names files an earlier attempt quarantined, and where they are', () => {
    // Prepare
    const state = baseState();
    state.screening = {
      accepted: [],
      previouslyQuarantined: [{ key: 'raw/customer_transactions/bad.csv', location: 's3://raw/quarantine/bad.csv' }],
    };

    // Act
    const n = buildNotification(input('completed', { ...state, validationResults: [] }), NOW);

    // Assess
    expect(n.message).toContain(
      '  skipped raw/customer_transactions/bad.csv: quarantined by an earlier attempt, now at s3://raw/quarantine/bad.csv',
    );
  });

  it('lists drift and column type changes on a failed execution too, a Parquet column by its file type', () => {
    // Prepare
    const state = baseState();
    state.screening = {
      accepted: ['raw/customer_transactions/a.parquet'],
      drift: [
        {
          key: 'raw/customer_transactions/a.parquet',
          newColumns: ['tier'],
          moreNewColumns: 3,
          misfits: [{ column: 'age', type: 'int', values: 40, fileType: 'bigint' }],
        },
      ],
    };
    state.catalog = { ...state.catalog, typeChanges: [{ column: 'quantity', from: 'bigint', to: 'string' }] };
    state.error = { Error: 'States.TaskFailed', Cause: 'the job failed' };

    // Act
    const n = buildNotification(input('failed', state), NOW);

    // Assess
    expect(n.outcome).toBe('FAILED');
    expect(n.message).toContain("    age: the file's type bigint does not fit int (40 row(s))");
    expect(n.message).toContain('    new columns, not in the contract: tier and 3 more');
    expect(n.message).toContain('  quantity: bigint -> string');
  });

  it('says nothing of schema changes when there are none', () => {
    // Act
    const n = buildNotification(input('completed', { ...baseState(), validationResults: [] }), NOW);

    // Assess
    expect(n.message).not.toContain('Schema drift');
    expect(n.message).not.toContain('Column types changed');
    expect(n.subject).not.toContain('schema changed');
  });

  it('keeps the subject under 100 printable ASCII characters', () => {
    // Prepare
    const state = {
      ...baseState(),
      dataset: 'a_very_long_dataset_name_for_transactions_of_customers_in_every_region',
      validationResults: ['one', 'two', 'three', 'four'].map((v) => iteration(`check_${v}`, ['passed'], ['false'])),
    };

    // Act
    const n = buildNotification(input('completed', state), NOW);

    // Assess
    expect(n.subject.length).toBeLessThan(100);
    expect(n.subject).toMatch(/^[\x20-\x7E]+\.\.\.$/);
    expect(safeSubject('Données\nerror')).toBe('Donn?es error');
  });
});
