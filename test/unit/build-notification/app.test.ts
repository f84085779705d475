// build-notification: the validation reduction, the outcome, and a subject and body an operator can act on.
import '../../state-machine/quiet-logs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type BuildNotificationInput,
  buildNotification,
  createHandler,
  describeCause,
  type PipelineState,
  reduceValidation,
  safeSubject,
  type ValidationIteration,
} from '../../../functions/build-notification/app';
import { lambdaContext } from '../../fixtures/lambda-context';

const NAME = 'customer_transactions-20261124T095958Z-0123456789';
const EXECUTION_ARN = `arn:aws:states:eu-west-1:123456789012:execution:lakepipe-prod-pipeline:${NAME}`;
const NOW = new Date('2026-11-24T10:05:00.000Z');

function baseState(): PipelineState {
  const input = JSON.parse(
    readFileSync(path.join(__dirname, '../../../events/manual/customer-transactions-rerun.json'), 'utf8'),
  );
  return {
    ...input,
    screening: { accepted: input.objects.map((o: { key: string }) => o.key), previouslyQuarantined: [] },
    catalog: { status: 'FRESH', attempt: 3, lastCrawl: { status: 'SUCCEEDED', startTime: '2026-11-24T10:00:30.000Z' } },
    job: { Id: 'jr_42', JobRunState: 'SUCCEEDED', ExecutionTime: 95 },
  };
}

function iteration(name: string, columns: string[], ...rows: Array<Array<string | null>>): ValidationIteration {
  return {
    name,
    execution: {
      queryExecutionId: `q-${name}`,
      status: { State: 'SUCCEEDED', SubmissionDateTime: 1_000, CompletionDateTime: 3_500 },
    },
    result: {
      columns: columns.map((Name) => ({ Name, Type: 'varchar' })),
      rows: [columns, ...rows].map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
    },
  };
}

function input(kind: 'completed' | 'failed', state: PipelineState): BuildNotificationInput {
  return {
    kind,
    execution: {
      name: NAME,
      id: EXECUTION_ARN,
      startTime: '2026-11-24T10:00:02.000Z',
      stateMachine: 'lakepipe-prod-pipeline',
    },
    state,
  };
}

describe('reduceValidation', () => {
  it('skips the header row and keeps the other columns as details', () => {
    // Act
    const verdict = reduceValidation(iteration('ids', ['null_ids', 'passed', 'total'], ['0', 'true', '1000']));

    // Assess
    expect(verdict).toEqual({
      name: 'ids',
      passed: true,
      details: { null_ids: '0', total: '1000' },
      queryExecutionId: 'q-ids',
      durationMs: 2500,
    });
  });

  it.each([
    ['no row', [], 'returned no row (a validation returns exactly one)'],
    [
      'two rows',
      [
        ['true', '1'],
        ['true', '2'],
      ],
      'returned more than one row (a validation returns exactly one)',
    ],
    ['a NULL passed', [[null, '1']], '"passed" is NULL, not a boolean'],
  ])('fails a query that returned %s', (_case, rows, problem) => {
    // Act
    const verdict = reduceValidation(iteration('v', ['passed', 'n'], ...(rows as string[][])));

    // Assess
    expect(verdict.passed).toBe(false);
    expect(verdict.problem).toBe(problem);
  });

  it('fails a query without a passed column', () => {
    // Act
    const verdict = reduceValidation(iteration('v', ['ok'], ['true']));

    // Assess
    expect(verdict).toMatchObject({ passed: false, problem: 'has no column "passed"', details: { ok: 'true' } });
  });
});

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

describe('describeCause', () => {
  it.each([
    [
      JSON.stringify({ errorType: 'BadInputFile', errorMessage: '1 bad file(s) quarantined', trace: [] }),
      'BadInputFile: 1 bad file(s) quarantined',
    ],
    [
      JSON.stringify({
        QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } },
      }),
      'Athena query q1 ended FAILED: TABLE_NOT_FOUND',
    ],
    ['plain text cause', 'plain text cause'],
  ])('reads %s', (cause, expected) => {
    // Act
    const text = describeCause(cause);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('build-notification handler', () => {
  it('returns the notification for a well-formed event', async () => {
    // Prepare
    const handler = createHandler({ now: () => NOW });

    // Act
    const n = await handler(input('completed', { ...baseState(), validationResults: [] }), lambdaContext);

    // Assess
    expect(n.outcome).toBe('SUCCEEDED');
    expect(n.summary).toBe('no validations configured');
  });

  it.each([
    ['kind', { kind: 'done', execution: { name: NAME }, state: {} }],
    ['execution.name', { kind: 'failed', execution: {}, state: {} }],
    ['state', { kind: 'failed', execution: { name: NAME } }],
  ])('names the bad field %s of a malformed event', async (field, event) => {
    // Prepare
    const handler = createHandler();

    // Act
    const act = handler(event, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining(`build-notification input: ${field}:`),
    });
  });

  it('refuses an event without kind, execution name or state', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    const act = handler({ kind: 'done', execution: { name: NAME }, state: {} }, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});
