// local/sfn's binding and runner on small definitions: unbound Tasks refused, .sync integrations as AWS documents
// them, errors renamed as Step Functions names them, the $$ context, the time scale, abort and timeout.
import type * as Athena from '@aws-sdk/client-athena';
import type * as Glue from '@aws-sdk/client-glue';
import { bindTasks, stepFunctionsErrorName, toStateJson } from '../../local/sfn/bind-tasks';
import { type Definition, walkStates } from '../../local/sfn/definition';
import { DefinitionError, UnboundTaskError } from '../../local/sfn/errors';
import type { EngineEvent } from '../../local/sfn/execution-store';
import { runExecution, scaleRetriers, timeOverrides } from '../../local/sfn/run-execution';
import { fakePorts, loadPipeline, realLambdas, scripted } from './harness';

const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:lakepipe-test-echo';

function oneTask(resource: string, extra: Record<string, unknown> = {}): Definition {
  return {
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: resource, TimeoutSeconds: 10, End: true, ...extra } },
  } as Definition;
}

describe('bindTasks', () => {
  it('refuses to bind when Tasks have no local handler, naming every one of them', async () => {
    // Prepare: no Athena port and no build-notification Lambda.
    const ports = fakePorts({ getCrawler: [] });
    const lambdas = realLambdas(ports);
    delete lambdas['arn:aws:lambda:eu-west-1:123456789012:function:lakepipe-test-build-notification'];

    // Act
    const act = async () => bindTasks(await loadPipeline(), { ports: { glue: ports.glue, sns: ports.sns }, lambdas });

    // Assess
    await expect(act()).rejects.toThrow(UnboundTaskError);
    await expect(act()).rejects.toMatchObject({
      states: ['StartValidationQuery', 'GetValidationResults', 'BuildNotification', 'BuildFailureNotification'],
    });
  });

  it('runExecution refuses to start an execution with an unbound Task, before any handler runs', async () => {
    // Prepare
    const echo = scripted<unknown, unknown>([{ ok: true }]);

    // Act
    const run = runExecution({
      definition: {
        StartAt: 'First',
        States: {
          First: { Type: 'Task', Resource: FN, TimeoutSeconds: 5, Next: 'Second' },
          Second: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:getTable', TimeoutSeconds: 5, End: true },
        },
      } as Definition,
      input: {},
      name: 'refused',
      ports: {},
      lambdas: { [FN]: echo },
    });

    // Assess
    await expect(run).rejects.toThrow('Refusing to start: no local binding for Task state(s) Second');
    expect(echo.calls).toHaveLength(0);
  });

  it('runExecution refuses a definition the guard rejects, and a start state that does not exist', async () => {
    // Prepare
    const jsonata = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% 1 %}', End: true } },
    } as unknown as Definition;
    const fine = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as Definition;

    // Act
    const guarded = runExecution({ definition: jsonata, input: {}, name: 'g', ports: {}, lambdas: {} });
    const badStart = runExecution({ definition: fine, input: {}, name: 's', ports: {}, lambdas: {}, startAt: 'Nope' });

    // Assess
    await expect(guarded).rejects.toThrow(DefinitionError);
    await expect(badStart).rejects.toThrow('Cannot start at Nope: no such top-level state');
  });

  it.each([
    ['glue', 'CrawlerRunningException', 'Glue.CrawlerRunningException'],
    ['athena', 'TooManyRequestsException', 'Athena.TooManyRequestsException'],
    ['s3', 'NoSuchKey', 'S3.NoSuchKeyException'],
    ['glue', 'TypeError', 'States.TaskFailed'],
  ])('names a %s %s as %s', (service, name, expected) => {
    // Act
    const renamed = stepFunctionsErrorName(service, Object.assign(new Error('x'), { name }));

    // Assess
    expect(renamed).toBe(expected);
  });

  it('turns SDK output into state JSON: no $metadata, no undefined, dates as epoch millis or ISO', () => {
    // Prepare
    const output = {
      $metadata: { httpStatusCode: 200 },
      A: new Date('2026-11-24T10:00:00.000Z'),
      B: undefined,
      C: [1],
    };

    // Act
    const optimized = toStateJson(output, 'epoch-millis');
    const sdk = toStateJson(output, 'iso');

    // Assess
    expect(optimized).toEqual({ A: 1795514400000, C: [1] });
    expect(sdk).toEqual({ A: '2026-11-24T10:00:00.000Z', C: [1] });
  });
});

describe('runExecution', () => {
  it('glue:startJobRun.sync polls getJobRun to SUCCEEDED and returns the JobRun', async () => {
    // Prepare
    const startJobRun = scripted<Glue.StartJobRunRequest, Glue.StartJobRunResponse>([{ JobRunId: 'jr_1' }]);
    const getJobRun = scripted<Glue.GetJobRunRequest, Glue.GetJobRunResponse>([
      { JobRun: { Id: 'jr_1', JobRunState: 'STARTING' } },
      { JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } },
      { JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED', CompletedOn: new Date(1000), ExecutionTime: 7 } },
    ]);

    // Act
    const result = await runExecution({
      definition: oneTask('arn:aws:states:::glue:startJobRun.sync', { Parameters: { JobName: 'j' } }),
      input: {},
      name: 'sync-ok',
      ports: { glue: { startJobRun, getJobRun } },
      lambdas: {},
      syncPollMs: 1,
    });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ Id: 'jr_1', JobRunState: 'SUCCEEDED', CompletedOn: 1000, ExecutionTime: 7 });
    expect(getJobRun.calls).toEqual([
      { JobName: 'j', RunId: 'jr_1' },
      { JobName: 'j', RunId: 'jr_1' },
      { JobName: 'j', RunId: 'jr_1' },
    ]);
  });

  it('a .sync Task past its TimeoutSeconds fails with States.Timeout (catchable) and stops polling', async () => {
    // Prepare: a job that never finishes, a one-second Task timeout, and a Catch.
    const startJobRun = scripted<Glue.StartJobRunRequest, Glue.StartJobRunResponse>([{ JobRunId: 'jr_1' }]);
    const getJobRun = scripted<Glue.GetJobRunRequest, Glue.GetJobRunResponse>([
      { JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } },
    ]);
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun.sync',
          Parameters: { JobName: 'j' },
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
          End: true,
        },
        TimedOut: { Type: 'Pass', End: true },
      },
    } as Definition;

    // Act
    const result = await runExecution({
      definition,
      input: {},
      name: 'task-timeout',
      ports: { glue: { startJobRun, getJobRun } },
      lambdas: {},
      syncPollMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pollsSoon = getJobRun.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ error: { Error: 'States.Timeout', Cause: 'States.Timeout' } });
    expect(getJobRun.calls.length).toBe(pollsSoon);
  });

  it('athena:startQueryExecution.sync: a CANCELLED query is States.TaskFailed with the execution as cause', async () => {
    // Prepare
    const startQueryExecution = scripted<Athena.StartQueryExecutionInput, Athena.StartQueryExecutionOutput>([
      { QueryExecutionId: 'q1' },
    ]);
    const getQueryExecution = scripted<Athena.GetQueryExecutionInput, Athena.GetQueryExecutionOutput>([
      { QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'QUEUED' } } },
      { QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'CANCELLED', StateChangeReason: 'stopped' } } },
    ]);

    // Act
    const result = await runExecution({
      definition: oneTask('arn:aws:states:::athena:startQueryExecution.sync', { Parameters: { QueryString: 'x' } }),
      input: {},
      name: 'sync-cancelled',
      ports: { athena: { startQueryExecution, getQueryExecution } },
      lambdas: {},
      syncPollMs: 1,
    });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.TaskFailed');
    expect(JSON.parse(result.cause ?? '')).toEqual({
      QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'CANCELLED', StateChangeReason: 'stopped' } },
    });
  });

  it('a Lambda error keeps its name as the error, with errorType/errorMessage as the cause', async () => {
    // Prepare
    class CrawlFailedError extends Error {
      constructor() {
        super('the crawl failed');
        this.name = 'CrawlFailed';
      }
    }
    const failing = async () => {
      throw new CrawlFailedError();
    };

    // Act
    const result = await runExecution({
      definition: oneTask(FN),
      input: {},
      name: 'lambda-error',
      ports: {},
      lambdas: { [FN]: failing },
    });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CrawlFailed');
    expect(JSON.parse(result.cause ?? '')).toMatchObject({
      errorType: 'CrawlFailed',
      errorMessage: 'the crawl failed',
    });
  });

  it('gives the execution its $$ context: name, id, start time and state machine', async () => {
    // Act
    const result = await runExecution({
      definition: {
        StartAt: 'Context',
        States: {
          Context: {
            Type: 'Pass',
            Parameters: {
              'name.$': '$$.Execution.Name',
              'id.$': '$$.Execution.Id',
              'start.$': '$$.Execution.StartTime',
              'machine.$': '$$.StateMachine.Name',
            },
            End: true,
          },
        },
      } as Definition,
      input: {},
      name: 'ctx-1',
      stateMachine: { name: 'sm', arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:sm' },
      ports: {},
      lambdas: {},
    });

    // Assess
    expect(result.output).toEqual({
      name: 'ctx-1',
      id: 'arn:aws:states:eu-west-1:123456789012:execution:sm:ctx-1',
      start: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      machine: 'sm',
    });
  });

  it('shortens Wait states and retry intervals by the time scale, keeping backoff, without editing the definition', async () => {
    // Prepare
    const definition = await loadPipeline();
    const before = JSON.stringify(definition);

    // Act
    const overrides = timeOverrides(definition, 0.01);
    const scaled = scaleRetriers(definition, 0.01);

    // Assess
    expect(overrides.waitTimeOverrides).toEqual({ WaitForCrawl: 300 });
    const runJob = walkStates(scaled).find((s) => s.name === 'RunJob')?.state;
    expect(runJob?.Retry).toEqual([
      expect.objectContaining({ IntervalSeconds: 0.6, MaxDelaySeconds: 6, BackoffRate: 2, MaxAttempts: 10 }),
      expect.objectContaining({ IntervalSeconds: 0.05, MaxDelaySeconds: 1.2, BackoffRate: 2, MaxAttempts: 5 }),
    ]);
    const query = walkStates(scaled).find((s) => s.name === 'StartValidationQuery')?.state;
    expect(query?.Retry).toEqual([expect.objectContaining({ IntervalSeconds: 0.02, MaxDelaySeconds: 0.6 })]);
    expect(timeOverrides(definition, 1)).toEqual({ waitTimeOverrides: {} });
    expect(JSON.stringify(definition)).toBe(before);
  });

  it('a one-hour Wait at time scale 0 finishes at once, and every event reaches onEvent', async () => {
    // Prepare
    const seen: EngineEvent[] = [];
    const started = Date.now();

    // Act
    const result = await runExecution({
      definition: {
        StartAt: 'Hour',
        States: { Hour: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } },
      } as Definition,
      input: { a: 1 },
      name: 'scaled',
      ports: {},
      lambdas: {},
      timeScale: 0,
      onEvent: (e) => seen.push(e),
    });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(seen.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'StateEntered',
      'StateExited',
      'StateEntered',
      'StateExited',
      'ExecutionSucceeded',
    ]);
    expect(seen).toEqual(result.events);
  });

  it('an onEvent that throws does not stop the execution; its error is reported once the run has ended', async () => {
    // Prepare
    const seen: string[] = [];
    const onEvent = (e: EngineEvent) => {
      seen.push(e.type);
      if (e.type === 'StateEntered') throw new Error('history not persisted');
    };

    // Act
    const run = runExecution({
      definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as Definition,
      input: {},
      name: 'on-event',
      ports: {},
      lambdas: {},
      onEvent,
    });

    // Assess
    await expect(run).rejects.toThrow('history not persisted');
    expect(seen).toEqual(['ExecutionStarted', 'StateEntered', 'StateExited', 'ExecutionSucceeded']);
  });

  it('an abort signal stops a waiting execution with status ABORTED', async () => {
    // Prepare
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    // Act
    const result = await runExecution({
      definition: { StartAt: 'Hour', States: { Hour: { Type: 'Wait', Seconds: 3600, End: true } } } as Definition,
      input: {},
      name: 'aborted',
      ports: {},
      lambdas: {},
      signal: controller.signal,
    });

    // Assess
    expect(result.status).toBe('ABORTED');
    expect(result.events.at(-1)?.type).toBe('ExecutionAborted');
  });

  it('the overall TimeoutSeconds ends the execution TIMED_OUT and stops .sync polling', async () => {
    // Prepare: a job that never finishes.
    const getJobRun = scripted<Glue.GetJobRunRequest, Glue.GetJobRunResponse>([
      { JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } },
    ]);
    const startJobRun = scripted<Glue.StartJobRunRequest, Glue.StartJobRunResponse>([{ JobRunId: 'jr_1' }]);
    const definition = { ...oneTask('arn:aws:states:::glue:startJobRun.sync'), TimeoutSeconds: 1 } as Definition;

    // Act
    const result = await runExecution({
      definition,
      input: {},
      name: 'timed-out',
      ports: { glue: { startJobRun, getJobRun } },
      lambdas: {},
      syncPollMs: 20,
    });
    const pollsAtEnd = getJobRun.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error).toBe('States.Timeout');
    expect(getJobRun.calls.length).toBeLessThanOrEqual(pollsAtEnd + 1);
  });
});
