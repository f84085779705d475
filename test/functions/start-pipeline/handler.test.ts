// The arrival Lambda end to end through middy, on real-shaped events from events/, with the real Glue and
// SFN clients (wired by functions/shared/aws-ports.ts) under aws-sdk-client-mock.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CrawlerRunningException, GlueClient, GlueServiceException, StartCrawlerCommand } from '@aws-sdk/client-glue';
import {
  ExecutionAlreadyExists,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  type StartExecutionInput,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { glueAdapter, sfnAdapter } from '../../../functions/shared/aws-ports';
import type { ExecutionInput } from '../../../functions/shared/pipeline-input';
import { lambdaContext } from '../../fixtures/lambda-context';
import { DATASETS, loadEvent, NOW, RAW_BUCKET, STATE_MACHINE_ARN, setup, testConfig } from './support';

const [transactions, transactionsEu, products] = DATASETS;

function startedInputs(sfnMock: ReturnType<typeof setup>['sfnMock']): Array<{ name?: string; input: ExecutionInput }> {
  return sfnMock.commandCalls(StartExecutionCommand).map((call) => {
    const sent = call.args[0].input as StartExecutionInput;
    return { name: sent.name, input: JSON.parse(sent.input ?? 'null') as ExecutionInput };
  });
}

function throttling(): SFNServiceException {
  return new SFNServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

/** An event file as AWS delivers it, from events/<source>/. */
function directEvent(file: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, '../../../events', file), 'utf8'));
}

let env: ReturnType<typeof setup>;

beforeEach(() => {
  env = setup();
});

afterEach(() => {
  env.glueMock.restore();
  env.sfnMock.restore();
  jest.restoreAllMocks();
});

describe('start-pipeline handler', () => {
  it('starts the crawler and one execution with the deterministic name and the self-contained input', async () => {
    // Prepare
    env.glueMock.on(StartCrawlerCommand).resolves({});
    env.sfnMock.on(StartExecutionCommand).resolves({
      executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:x`,
      startDate: NOW,
    });
    const event = loadEvent('object-created-put');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess: name = dataset, earliest eventTime 2026-11-23T22:14:05.312Z, sha256 prefix of the one line
    // "lakepipe-raw-123456789012/raw/customer_transactions/2026/11/transactions-2026-11-23.csv/9b2c..." (sha256sum).
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.glueMock).toHaveReceivedCommandTimes(StartCrawlerCommand, 1);
    expect(env.glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, {
      Name: 'lakepipe-customer_transactions-crawler',
    });
    expect(env.sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(env.sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'customer_transactions-20261123T221405Z-b5e02420cf',
    });
    expect(startedInputs(env.sfnMock)[0]?.input).toEqual({
      dataset: 'customer_transactions',
      bucket: RAW_BUCKET,
      objects: [
        {
          key: 'raw/customer_transactions/2026/11/transactions-2026-11-23.csv',
          size: 52431,
          eTag: '9b2cf535f27731c974343645a3985328',
          sequencer: '00674281E5D1F3A2B4',
          eventTime: '2026-11-23T22:14:05.312Z',
        },
      ],
      receivedAt: '2026-11-23T22:15:00.000Z',
      trigger: 's3',
      plan: transactions,
    });
    expect(env.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'execution started',
        context: expect.objectContaining({ executionName: 'customer_transactions-20261123T221405Z-b5e02420cf' }),
      }),
    );
  });

  it('logs and ignores the s3:TestEvent that S3 sends when the notification is configured', async () => {
    // Prepare
    const event = loadEvent('test-event');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
    expect(env.sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(env.lines).toContainEqual({
      level: 'info',
      message: 's3:TestEvent ignored',
      context: { messageId: event.Records[0]?.messageId, bucket: RAW_BUCKET },
    });
  });

  it('groups several records of one message by dataset, objects sorted by key', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });
    const event = loadEvent('several-records');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess: names from sha256sum over the sorted lines, earliest time of each group.
    expect(result).toEqual({ batchItemFailures: [] });
    const started = startedInputs(env.sfnMock).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(started.map((s) => s.name)).toEqual([
      'customer_transactions-20261123T221959Z-6ef7130628',
      'products-20261123T222003Z-ea70384118',
    ]);
    expect(started[0]?.input.objects.map((o) => o.key)).toEqual([
      'raw/customer_transactions/2026/11/transactions-a.csv',
      'raw/customer_transactions/2026/11/transactions-b.csv',
    ]);
    expect(started[1]?.input.plan).toEqual(products);
    expect(env.glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'lakepipe-products-crawler' });
    expect(env.glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, {
      Name: 'lakepipe-customer_transactions-crawler',
    });
  });

  it('maps a key to the dataset with the longest matching prefix', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });

    // Act
    await env.handler(loadEvent('mixed-datasets'), lambdaContext);

    // Assess
    const byDataset = new Map(startedInputs(env.sfnMock).map((s) => [s.input.dataset, s.input]));
    expect([...byDataset.keys()].sort()).toEqual(['customer_transactions', 'customer_transactions_eu', 'products']);
    expect(byDataset.get('customer_transactions_eu')?.objects.map((o) => o.key)).toEqual([
      'raw/customer_transactions/eu/2026/11/day-24.csv.gz',
    ]);
    expect(byDataset.get('customer_transactions_eu')?.plan).toEqual(transactionsEu);
    expect(byDataset.get('customer_transactions')?.objects.map((o) => o.key)).toEqual([
      'raw/customer_transactions/2026/11/day-24.csv',
    ]);
  });

  it('collapses a duplicated delivery inside one batch into one object of one execution', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });
    const event = loadEvent('duplicated-delivery');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess: same object as object-created-put, so the same name.
    expect(result).toEqual({ batchItemFailures: [] });
    const started = startedInputs(env.sfnMock);
    expect(started).toHaveLength(1);
    expect(started[0]?.name).toBe('customer_transactions-20261123T221405Z-b5e02420cf');
    expect(started[0]?.input.objects).toHaveLength(1);
  });

  it('gives the same batch delivered twice the same execution name, and the second start is a success', async () => {
    // Prepare
    // Like Step Functions: a name can be used once.
    const used = new Set<string>();
    env.sfnMock.on(StartExecutionCommand).callsFake(async (input: StartExecutionInput) => {
      if (used.has(String(input.name))) {
        throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
      }
      used.add(String(input.name));
      return { executionArn: `arn:${input.name}`, startDate: NOW };
    });
    const event = loadEvent('several-records');
    const again = JSON.parse(JSON.stringify(event)) as SQSEvent;

    // Act
    const first = await env.handler(event, lambdaContext);
    const second = await env.handler(again, lambdaContext);

    // Assess
    const names = startedInputs(env.sfnMock).map((s) => s.name);
    expect(names).toHaveLength(4);
    expect(names.slice(2).sort()).toEqual(names.slice(0, 2).sort());
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(env.lines.filter((l) => l.message === 'execution already exists')).toHaveLength(2);
  });

  it('decodes keys as S3 encodes them: "+" is a space, then percent-decoding', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });

    // Act
    await env.handler(loadEvent('encoded-keys'), lambdaContext);

    // Assess: decoded by hand from the encoded keys in the event file, in code-unit order.
    const started = startedInputs(env.sfnMock);
    expect(started).toHaveLength(1);
    expect(started[0]?.input.objects.map((o) => o.key)).toEqual([
      'raw/customer_transactions/M\u00fcnchen-\u6771\u4eac.csv',
      'raw/customer_transactions/a+b%c.csv',
      'raw/customer_transactions/nov 2026/transactions (final).csv',
      'raw/customer_transactions/year=2026/month=11/part-0.parquet',
    ]);
  });

  it('ignores, with one log line each, everything that is not pipeline input', async () => {
    // Prepare
    const event = loadEvent('ignored-objects');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
    expect(env.sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    const ignored = env.lines.filter((l) => l.message === 'object ignored');
    expect(ignored.map((l) => [l.level, l.context.messageId, l.context.reason])).toEqual(
      [
        'zero-byte',
        'folder-marker',
        'pipeline-output',
        'pipeline-output',
        'unsupported-extension',
        'outside-datasets',
        'other-bucket',
        'not-object-created',
      ].map((reason, i) => ['info', event.Records[i]?.messageId, reason]),
    );
    expect(ignored[2]?.context.key).toBe(
      'curated/transactions_enriched/year=2026/month=11/part-00000-1b2c.c000.snappy.parquet',
    );
  });

  it('ignores hidden files (_x.csv, .x.csv), which the crawler excludes, logging why and starting nothing', async () => {
    // Prepare
    const event = loadEvent('object-created-put');
    const [record] = event.Records;
    const body = (key: string) => (record?.body ?? '').replace('2026/11/transactions-2026-11-23.csv', key);
    event.Records = ['_x.csv', '.x.csv'].map((key, i) => ({
      ...(record as SQSEvent['Records'][number]),
      messageId: `m${i}`,
      body: body(key),
    }));

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    const ignored = env.lines.filter((l) => l.message === 'object ignored');
    expect(ignored.map((l) => [l.context.key, l.context.reason])).toEqual([
      ['raw/customer_transactions/_x.csv', 'hidden-file'],
      ['raw/customer_transactions/.x.csv', 'hidden-file'],
    ]);
  });

  it('reports malformed bodies as batch item failures with their message ids and still runs the rest', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });
    const event = loadEvent('malformed');
    const [notJson, notS3, good] = event.Records;

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: notJson?.messageId }, { itemIdentifier: notS3?.messageId }],
    });
    const malformed = env.lines.filter((l) => l.message === 'malformed message');
    expect(malformed.map((l) => [l.level, l.context.messageId])).toEqual([
      ['error', notJson?.messageId],
      ['error', notS3?.messageId],
    ]);
    expect(startedInputs(env.sfnMock).map((s) => s.input.objects[0]?.key)).toEqual([
      'raw/customer_transactions/2026/11/after-bad.csv',
    ]);
    expect(good?.messageId).toBeDefined();
  });

  it('fails only the throttled group, never the whole batch', async () => {
    // Prepare
    env.sfnMock.on(StartExecutionCommand).callsFake(async (input: StartExecutionInput) => {
      if (input.name?.startsWith('products-')) throw throttling();
      return { executionArn: `arn:${input.name}`, startDate: NOW };
    });
    const event = loadEvent('mixed-datasets');
    const productsMessage = event.Records[1]?.messageId;

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: productsMessage }] });
    expect(env.sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 3);
    const failed = env.lines.filter((l) => l.message === 'execution start failed, its messages will be retried');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.level).toBe('error');
    expect(failed[0]?.context).toMatchObject({
      dataset: 'products',
      errorName: 'ThrottlingException',
      messageIds: [productsMessage],
    });
  });

  it('fails every message of a group whose start fails with any other error', async () => {
    // Prepare: one message carries two datasets' objects, so its failure is shared.
    env.sfnMock
      .on(StartExecutionCommand)
      .rejects(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} }));
    const event = loadEvent('several-records');

    // Act
    const result = await env.handler(event, lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(env.sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
  });

  it('treats a running crawler as fine and still starts the execution', async () => {
    // Prepare
    env.glueMock
      .on(StartCrawlerCommand)
      .rejects(new CrawlerRunningException({ message: 'Crawler with name ... has already started', $metadata: {} }));
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });

    // Act
    const result = await env.handler(loadEvent('object-created-put'), lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(env.lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'crawler already running' }));
    expect(env.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('logs any other crawler error as a warning without blocking the execution', async () => {
    // Prepare
    env.glueMock.on(StartCrawlerCommand).rejects(
      new GlueServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: glue:StartCrawler',
      }),
    );
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: NOW });

    // Act
    const result = await env.handler(loadEvent('object-created-put'), lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(env.sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const warnings = env.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.context).toMatchObject({
      crawler: 'lakepipe-customer_transactions-crawler',
      errorName: 'AccessDeniedException',
    });
  });

  it('refuses an invocation that is not an SQS batch', async () => {
    // Prepare
    const notSqs = { detail: {} } as unknown as SQSEvent;

    // Act
    const outcome = env.handler(notSqs, lambdaContext);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});

describe('start-pipeline handler on direct events', () => {
  it.each([
    ['a raw S3 notification', 's3/aws-lambda-go-put.json', 's3-notification'],
    ['an EventBridge event', 'eventbridge/object-created.json', 'f5f1e65c-dc3a-93ca-6c1e-b1647eac7963'],
    ['an EventBridge event through SQS', 'eventbridge-sqs/object-created.json', 'ca3e7a89-c358-40e5-8aa0-5da01403c267'],
  ])('accepts %s and judges its object (another bucket: ignored)', async (_label, file, messageId) => {
    // Act
    const response = await env.handler(directEvent(file) as never, lambdaContext);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const ignored = env.lines.filter((l) => l.message === 'object ignored');
    expect(ignored.map((l) => [l.context.messageId, l.context.reason])).toEqual([[messageId, 'other-bucket']]);
  });

  it('starts the execution of a raw S3 notification of the raw bucket', async () => {
    // Prepare
    env.glueMock.on(StartCrawlerCommand).resolves({});
    env.sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });

    // Act
    const response = await env.handler(directEvent('s3/object-created-put.json') as never, lambdaContext);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(env.sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('throws ArrivalNotStartedError when a direct event cannot start its execution, for Lambda to retry', async () => {
    // Prepare
    env.glueMock.on(StartCrawlerCommand).resolves({});
    env.sfnMock.on(StartExecutionCommand).rejects(new Error('Rate exceeded'));

    // Act
    const outcome = env.handler(directEvent('s3/object-created-put.json') as never, lambdaContext);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'ArrivalNotStartedError' });
  });
});

describe('start-pipeline logging', () => {
  it('writes structured JSON lines carrying the Lambda context', async () => {
    // Prepare: let the logger write for real, catch stdout.
    jest.restoreAllMocks();
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // The suite runs the Lambdas' logger at WARN (test/setup-env.cjs); this test loads its own copy of the
    // handler module with INFO, as a Lambda configured with POWERTOOLS_LOG_LEVEL=INFO would start.
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    let app: typeof import('../../../functions/start-pipeline/app') | undefined;
    jest.isolateModules(() => {
      app = require('../../../functions/start-pipeline/app');
    });
    process.env.POWERTOOLS_LOG_LEVEL = level;
    const handler = app?.createHandler({
      config: testConfig(),
      glue: glueAdapter(new GlueClient({ region: 'eu-west-1' })),
      sfn: sfnAdapter(new SFNClient({ region: 'eu-west-1' })),
    });

    // Act
    await handler?.(loadEvent('test-event'), lambdaContext);

    // Assess
    const lines = written
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 's3:TestEvent ignored',
        function_request_id: lambdaContext.awsRequestId,
        function_name: lambdaContext.functionName,
      }),
    );
  });
});

describe('events/ files', () => {
  it('are SQS batches whose md5OfBody is the MD5 of the body, as SQS computes it', () => {
    // Prepare
    const folder = path.join(__dirname, '../../../events/s3-sqs');
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));

    // Act
    const records = files.flatMap((f) => (JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as SQSEvent).Records);

    // Assess
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const r of records) {
      expect(r.eventSource).toBe('aws:sqs');
      expect(r.md5OfBody).toBe(createHash('md5').update(r.body).digest('hex'));
    }
  });
});
