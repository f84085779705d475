// Behaviour of state-machines/pipeline.asl.yml itself, run on aws-local-stepfunctions through local/sfn with
// scripted service responses and the real task Lambdas. Asserts the path taken and what was published.

import { TooManyRequestsException } from '@aws-sdk/client-athena';
import { ConcurrentRunsExceededException } from '@aws-sdk/client-glue';
import { AuthorizationErrorException } from '@aws-sdk/client-sns';
import { type EngineEvent, findRedrivePoint, toHistoryEvent } from '../../local/sfn/execution-store';
import { at, crawler, EXECUTION_NAME, executionInput, jobRun, runScenario } from './harness';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:lakepipe-notifications';
const FRESH = [crawler('READY', { status: 'SUCCEEDED', started: at(5) })];
const VALIDATION_ITERATION = ['StartValidationQuery', 'GetValidationResults'];
const SUCCESS_TAIL = [
  'PrepareValidations',
  'RunValidations',
  'BuildNotification',
  'PublishNotification',
  'DidValidationsPass',
  'Succeeded',
];
const FAILURE_TAIL = ['BuildFailureNotification', 'PublishFailureNotification', 'Failed'];

/** The redrive point of a first run, from its engine events as the twin records them. */
const redrivePoint = (events: readonly EngineEvent[]) => findRedrivePoint(events.map((e) => toHistoryEvent(e, 0)));

describe('pipeline state machine', () => {
  it('happy path: fresh catalog, job, two passing validations, success message, Succeeded', async () => {
    // Act
    const run = await runScenario({ getCrawler: FRESH });

    // Assess
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.path).toEqual([
      'ScreenFiles',
      'InitCatalogCheck',
      'CheckCatalog',
      'IsCatalogFresh',
      'RunJob',
      ...SUCCESS_TAIL,
    ]);
    expect([...run.iterationPath].sort()).toEqual([...VALIDATION_ITERATION, ...VALIDATION_ITERATION].sort());
    expect(run.ports.glue.startCrawler.calls).toHaveLength(0);
    expect(run.ports.glue.startJobRun.calls).toEqual([
      {
        JobName: 'customer-analytics',
        Arguments: { '--run_id': EXECUTION_NAME, '--database': 'lakepipe', '--source_table': 'customer_transactions' },
      },
    ]);
    const queries = run.ports.athena.startQueryExecution.calls;
    expect(queries).toHaveLength(2);
    for (const q of queries) {
      expect(q.WorkGroup).toBe('lakepipe');
      expect(q.QueryExecutionContext).toEqual({ Database: 'lakepipe' });
      expect(q.QueryString).toContain('FROM lakepipe.transactions_enriched');
      expect(q.QueryString).toContain(`WHERE run_id = '${EXECUTION_NAME}'`);
    }
    expect(run.published).toHaveLength(1);
    const [message] = run.published;
    expect(message?.TopicArn).toBe(TOPIC);
    expect(message?.Subject).toBe('[lakepipe] customer_transactions succeeded: 2 file(s), all 2 validation(s) passed');
    expect(message?.Message).toContain('raw/customer_transactions/2026/11/24/transactions-0001.csv (50.0 MB');
    expect(message?.Message).toContain('[PASS] row_count: rows_written=1000');
    expect(message?.Message).toContain('[PASS] no_null_ids: null_ids=0');
    expect(message?.Message).toContain('run jr_0123456789abcdef SUCCEEDED in 42 s');
    expect(message?.Message).toContain('validation  row_count in 3.5 s');
  });

  it('stale crawl: starts the crawler, waits through RUNNING, continues once a crawl started after the file succeeded', async () => {
    // Prepare: the last crawl before the file is stale; the crawl started after it succeeds on the 5th check.
    const stale = { status: 'SUCCEEDED' as const, started: at(-600) };

    // Act
    const run = await runScenario({
      getCrawler: [
        crawler('READY', stale),
        crawler('RUNNING', stale),
        crawler('RUNNING', stale),
        crawler('RUNNING', stale),
        crawler('READY', { status: 'SUCCEEDED', started: at(2) }),
      ],
    });

    // Assess
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.ports.glue.startCrawler.calls).toEqual([{ Name: 'lakepipe-customer-transactions' }]);
    const checks = ['CheckCatalog', 'IsCatalogFresh'];
    const poll = ['WaitForCrawl', ...checks];
    expect(run.path).toEqual([
      'ScreenFiles',
      'InitCatalogCheck',
      ...checks,
      ...poll,
      ...poll,
      ...poll,
      ...poll,
      'RunJob',
      ...SUCCESS_TAIL,
    ]);
  });

  it('a crawl already running when the file landed does not count: the crawler is started again after it', async () => {
    // Prepare: RUNNING at first (that crawl started 2 minutes before the file), then that crawl's SUCCEEDED is
    // still older than the file, so a new one must be started; it succeeds later.
    const before = { status: 'SUCCEEDED' as const, started: at(-120) };

    // Act
    const run = await runScenario({
      getCrawler: [
        crawler('RUNNING', { status: 'SUCCEEDED', started: at(-3600) }),
        crawler('READY', before),
        crawler('RUNNING', before),
        crawler('READY', { status: 'SUCCEEDED', started: at(30) }),
      ],
    });

    // Assess
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.ports.glue.getCrawler.calls).toHaveLength(4);
    expect(run.ports.glue.startCrawler.calls).toHaveLength(1);
    expect(run.path.filter((s) => s === 'CheckCatalog')).toHaveLength(4);
    expect(run.path.indexOf('RunJob')).toBeGreaterThan(run.path.lastIndexOf('CheckCatalog'));
  });

  it('crawl FAILED: failure message naming the crawler error, no job, ends FAILED with CrawlFailed', async () => {
    // Act
    const run = await runScenario({
      getCrawler: [
        crawler('READY', { status: 'SUCCEEDED', started: at(-600) }),
        crawler('RUNNING', { status: 'SUCCEEDED', started: at(-600) }),
        crawler('READY', { status: 'FAILED', started: at(3), error: 'Insufficient Lake Formation permission(s)' }),
      ],
    });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('CrawlFailed');
    expect(run.result.cause).toContain('Insufficient Lake Formation permission(s)');
    expect(run.path.slice(-4)).toEqual(['CrawlFailed', ...FAILURE_TAIL]);
    expect(run.ports.glue.startJobRun.calls).toHaveLength(0);
    expect(run.published).toHaveLength(1);
    expect(run.published[0]?.Subject).toBe('[lakepipe] customer_transactions FAILED in catalog (crawler): CrawlFailed');
    expect(run.published[0]?.Message).toContain('Cause: Crawl of lakepipe-customer-transactions started');
    expect(run.published[0]?.Message).toContain(`lakepipe rerun ${EXECUTION_NAME}`);
  });

  it('poll bound exceeded: 60 checks, then CrawlerTimeout with a failure message', async () => {
    // Act
    const run = await runScenario({ getCrawler: [crawler('RUNNING', { status: 'SUCCEEDED', started: at(-600) })] });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('CrawlerTimeout');
    expect(run.result.cause).toContain('within 60 polls');
    expect(run.path.filter((s) => s === 'CheckCatalog')).toHaveLength(60);
    expect(run.path.filter((s) => s === 'WaitForCrawl')).toHaveLength(59);
    expect(run.path.slice(-4)).toEqual(['CrawlerTimeout', ...FAILURE_TAIL]);
    expect(run.published[0]?.Subject).toContain('CrawlerTimeout');
  });

  it('concurrent-runs error is retried, then the job runs and the pipeline succeeds', async () => {
    // Prepare
    const busy = () => new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded', $metadata: {} });

    // Act
    const run = await runScenario({
      getCrawler: FRESH,
      startJobRun: [busy(), busy(), { JobRunId: 'jr_0123456789abcdef' }],
    });

    // Assess
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.ports.glue.startJobRun.calls).toHaveLength(3);
    expect(run.retried).toEqual(['RunJob', 'RunJob']);
    const failed = run.result.events.filter((e) => e.type === 'StateFailed').map((e) => ('Error' in e ? e.Error : ''));
    expect(failed).toEqual(['Glue.ConcurrentRunsExceededException', 'Glue.ConcurrentRunsExceededException']);
  });

  it('job FAILED: States.TaskFailed with the JobRun as cause, failure message with the job error, no validations', async () => {
    // Act
    const run = await runScenario({
      getCrawler: FRESH,
      getJobRun: [
        jobRun('RUNNING'),
        jobRun('FAILED', { ErrorMessage: 'AnalysisException: cannot resolve column transaction_amount' }),
      ],
    });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('States.TaskFailed');
    const cause = JSON.parse(run.result.cause ?? '{}');
    expect(cause).toMatchObject({ Id: 'jr_0123456789abcdef', JobRunState: 'FAILED' });
    expect(run.path).toEqual([
      'ScreenFiles',
      'InitCatalogCheck',
      'CheckCatalog',
      'IsCatalogFresh',
      'RunJob',
      ...FAILURE_TAIL,
    ]);
    expect(run.ports.athena.startQueryExecution.calls).toHaveLength(0);
    expect(run.published[0]?.Subject).toBe('[lakepipe] customer_transactions FAILED in Glue job: States.TaskFailed');
    expect(run.published[0]?.Message).toContain(
      'Cause: Glue job customer-analytics run jr_0123456789abcdef ended FAILED: AnalysisException: cannot resolve column transaction_amount',
    );
  });

  it('a validation returning passed = false: "validation failed" message with its details, ends ValidationFailed', async () => {
    // Act
    const run = await runScenario({
      getCrawler: FRESH,
      validations: {
        row_count: { passed: 'true', details: { rows_written: '1000' } },
        no_null_ids: { passed: 'false', details: { null_ids: '7' } },
      },
    });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('ValidationFailed');
    expect(run.result.cause).toBe('1 of 2 validation(s) failed: no_null_ids');
    expect(run.path.slice(-4)).toEqual([
      'BuildNotification',
      'PublishNotification',
      'DidValidationsPass',
      'ValidationFailed',
    ]);
    expect(run.published).toHaveLength(1);
    expect(run.published[0]?.Subject).toBe('[lakepipe] customer_transactions validation failed: no_null_ids');
    expect(run.published[0]?.Message).toContain('[FAIL] no_null_ids: null_ids=7');
    expect(run.published[0]?.Message).toContain('[PASS] row_count: rows_written=1000');
  });

  it('Athena throttling is retried, then the validation runs and the pipeline succeeds', async () => {
    // Prepare
    const throttled = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });

    // Act
    const run = await runScenario({
      getCrawler: FRESH,
      startQueryExecution: [throttled, { QueryExecutionId: '' }],
    });

    // Assess
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.retried).toEqual(['StartValidationQuery']);
    expect(run.ports.athena.startQueryExecution.calls).toHaveLength(3);
    const failed = run.result.events.filter((e) => e.type === 'StateFailed').map((e) => ('Error' in e ? e.Error : ''));
    expect(failed).toEqual(['Athena.TooManyRequestsException']);
  });

  it("publishes success and failure messages with the plan's dataset as the `dataset` message attribute", async () => {
    // Prepare: a dataset's own alert subscription filters on this attribute (infra/dataset-resources.cjs).
    const attribute = { dataset: { DataType: 'String', StringValue: executionInput().plan.dataset } };

    // Act
    const succeeded = await runScenario({ getCrawler: FRESH });
    const failed = await runScenario({ getCrawler: FRESH, getJobRun: [jobRun('FAILED')] });

    // Assess
    expect(attribute.dataset.StringValue).toBe('customer_transactions');
    expect(succeeded.published.map((m) => m.MessageAttributes)).toEqual([attribute]);
    expect(failed.published.map((m) => m.MessageAttributes)).toEqual([attribute]);
  });

  it('the failure notification itself failing still ends FAILED with the original error', async () => {
    // Prepare
    const denied = new AuthorizationErrorException({ message: 'not authorized to publish', $metadata: {} });

    // Act
    const run = await runScenario({ getCrawler: FRESH, getJobRun: [jobRun('FAILED')], publish: [denied] });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('States.TaskFailed');
    expect(run.path.slice(-3)).toEqual([
      'BuildFailureNotification',
      'PublishFailureNotification',
      'FailedWithoutNotification',
    ]);
    expect(run.published).toHaveLength(1);
  });

  it('a success notification that cannot be published is never a silent success', async () => {
    // Prepare
    const denied = new AuthorizationErrorException({ message: 'not authorized to publish', $metadata: {} });

    // Act
    const run = await runScenario({ getCrawler: FRESH, publish: [denied] });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('SNS.AuthorizationErrorException');
    expect(run.path.slice(-5)).toEqual([
      'BuildNotification',
      'PublishNotification',
      'BuildFailureNotification',
      'PublishFailureNotification',
      'FailedWithoutNotification',
    ]);
    expect(run.published).toHaveLength(2);
  });

  it('a bad file fails the execution at ScreenFiles; the failure message says where the file went', async () => {
    // Act: neither required column is in the header.
    const run = await runScenario({ getCrawler: FRESH, fileHead: 'id,amount\n1,2\n' });

    // Assess
    expect(run.result.status).toBe('FAILED');
    expect(run.result.error).toBe('BadInputFile');
    expect(run.path).toEqual(['ScreenFiles', ...FAILURE_TAIL]);
    expect(run.ports.glue.getCrawler.calls).toHaveLength(0);
    expect(run.published[0]?.Subject).toBe('[lakepipe] customer_transactions FAILED in file screening: BadInputFile');
    expect(run.published[0]?.Message).toContain(
      's3://lakepipe-raw-123456789012-eu-west-1/quarantine/raw/customer_transactions/2026/11/24/transactions-0001.csv',
    );
  });

  it('redrive after a fixed cause resumes at the failed job with its input; earlier states do not run again', async () => {
    // Prepare: the first run's job fails.
    const first = await runScenario({ getCrawler: FRESH, getJobRun: [jobRun('FAILED')] });
    const point = redrivePoint(first.result.events);

    // Act: the cause is fixed; the job succeeds now.
    const redriven = await runScenario({ getCrawler: FRESH }, { resume: point });

    // Assess
    expect(point?.state).toBe('RunJob');
    expect(point?.input).toMatchObject({ ...executionInput(), catalog: { status: 'FRESH', attempt: 1 } });
    expect(redriven.result.status).toBe('SUCCEEDED');
    expect(redriven.path).toEqual(['RunJob', ...SUCCESS_TAIL]);
    expect(redriven.ports.glue.getCrawler.calls).toHaveLength(0);
    expect(redriven.ports.s3.getObject.calls).toHaveLength(0);
  });

  it('a validation failure has no redrive point (re-run it); an unfinished state is one', async () => {
    // Prepare
    const failedValidation = await runScenario({
      getCrawler: FRESH,
      validations: {
        row_count: { passed: 'false', details: { rows_written: '0' } },
        no_null_ids: { passed: 'true', details: { null_ids: '0' } },
      },
    });
    const interrupted = [
      { type: 'ExecutionStarted', timestamp: 1, input: {} },
      { type: 'StateEntered', timestamp: 2, state: { name: 'CheckCatalog', type: 'Task', input: { a: 1 } } },
      { type: 'StateExited', timestamp: 3, state: { name: 'CheckCatalog', type: 'Task', input: { a: 1 } } },
      { type: 'StateEntered', timestamp: 4, state: { name: 'RunJob', type: 'Task', input: { b: 2 } } },
    ] as EngineEvent[];

    // Act
    const none = redrivePoint(failedValidation.result.events);
    const open = redrivePoint(interrupted);

    // Assess
    expect(failedValidation.result.error).toBe('ValidationFailed');
    expect(none).toBeUndefined();
    expect(open).toEqual({ state: 'RunJob', input: { b: 2 } });
  });
});
