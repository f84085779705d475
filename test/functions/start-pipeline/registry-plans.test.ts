// start-pipeline with the DATASETS plans the deployment builds from the registry (infra/datasets.cjs): two
// datasets declared in datasets/<name>/dataset.yml, one batch with keys of both, one execution per dataset.
import '../../fixtures/quiet-logs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GlueClient, StartCrawlerCommand } from '@aws-sdk/client-glue';
import { SFNClient, StartExecutionCommand, type StartExecutionInput } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import YAML from 'yaml';
import { glueAdapter, sfnAdapter } from '../../../functions/shared/aws-ports';
import type { ExecutionInput } from '../../../functions/shared/pipeline-input';
import { createHandler, loadStartPipelineConfig } from '../../../functions/start-pipeline/app';
import { datasetPlans } from '../../../infra/datasets.cjs';
import { namesFor } from '../../../infra/names.cjs';
import { loadRegistry } from '../../../infra/registry.cjs';
import { lambdaContext } from '../../fixtures/lambda-context';
import { RAW_BUCKET, STATE_MACHINE_ARN } from './support';

/** A registry of two datasets of different shapes, as dataset.yml files in a repository root. */
function twoDatasets(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lakepipe-two-datasets-'));
  const write = (name: string, manifest: string, doc: unknown) => {
    const dir = path.join(root, 'datasets', name);
    mkdirSync(path.join(dir, 'validations'), { recursive: true });
    writeFileSync(path.join(dir, 'dataset.yml'), YAML.stringify(doc));
    writeFileSync(path.join(dir, 'job.yml'), `name: ${manifest}\n`);
    writeFileSync(path.join(dir, 'validations', 'has_rows.sql'), 'SELECT true AS passed');
  };
  write('orders', 'orders-daily', {
    description: 'Orders',
    raw: { formats: ['csv'] },
    contract: { columns: [{ name: 'order_id', type: 'string', required: true, description: 'Id' }] },
    checks: ['has_rows'],
  });
  write('customer_profiles', 'profiles-current', {
    description: 'Profiles',
    raw: { prefix: 'landing/profiles/', formats: ['jsonl'] },
    contract: {
      columns: [{ name: 'customer_id', type: 'string', required: true, description: 'Id' }],
      schemaChange: 'warn',
    },
    checks: ['has_rows'],
  });
  return root;
}

function sqsBatch(keys: string[]): SQSEvent {
  return {
    Records: keys.map((key, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'eu-west-1',
            eventTime: `2026-11-23T22:1${i}:00.000Z`,
            eventName: 'ObjectCreated:Put',
            userIdentity: { principalId: 'AWS:X' },
            requestParameters: { sourceIPAddress: '10.0.0.1' },
            responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
            s3: {
              s3SchemaVersion: '1.0',
              configurationId: 'raw',
              bucket: { name: RAW_BUCKET, ownerIdentity: { principalId: 'P' }, arn: `arn:aws:s3:::${RAW_BUCKET}` },
              object: { key, size: 100, eTag: `e${i}`, sequencer: `0${i}` },
            },
          },
        ],
      }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1',
        SenderId: 'S',
        ApproximateFirstReceiveTimestamp: '1',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:lakepipe-arrivals',
      awsRegion: 'eu-west-1',
    })),
  };
}

describe('start-pipeline with plans built from a two-dataset registry', () => {
  const glueMock = mockClient(GlueClient);
  const sfnMock = mockClient(SFNClient);
  afterAll(() => {
    glueMock.restore();
    sfnMock.restore();
  });

  it("starts one execution per dataset for a batch with keys of both, each with its own dataset's plan", async () => {
    // Prepare
    const plans = datasetPlans(namesFor('test'), loadRegistry(twoDatasets()));
    const config = loadStartPipelineConfig({
      STATE_MACHINE_ARN,
      RAW_BUCKET,
      DATASETS: JSON.stringify(plans).replace(/\$\{AWS::(Partition|Region|AccountId)\}/g, (_m, p: string) =>
        p === 'Partition' ? 'aws' : p === 'Region' ? 'eu-west-1' : '123456789012',
      ),
    });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const handler = createHandler({
      config,
      glue: glueAdapter(new GlueClient({ region: 'eu-west-1' })),
      sfn: sfnAdapter(new SFNClient({ region: 'eu-west-1' })),
    });
    const keys = ['raw/orders/2026/11/a.csv', 'landing/profiles/p1.jsonl', 'raw/orders/2026/11/b.csv'];

    // Act
    const result = await handler(sqsBatch(keys), lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const started = sfnMock
      .commandCalls(StartExecutionCommand)
      .map((call) => JSON.parse((call.args[0].input as StartExecutionInput).input ?? 'null') as ExecutionInput);
    const byDataset = new Map(started.map((s) => [s.dataset, s]));
    expect(started).toHaveLength(2);
    expect(byDataset.get('orders')?.objects.map((o) => o.key)).toEqual([
      'raw/orders/2026/11/a.csv',
      'raw/orders/2026/11/b.csv',
    ]);
    expect(byDataset.get('orders')?.plan).toMatchObject({
      dataset: 'orders',
      prefix: 'raw/orders/',
      crawler: 'lakepipe-test-orders',
      job: 'lakepipe-test-orders-daily',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:lakepipe-test-alerts',
    });
    expect(byDataset.get('customer_profiles')?.objects.map((o) => o.key)).toEqual(['landing/profiles/p1.jsonl']);
    expect(byDataset.get('customer_profiles')?.plan).toMatchObject({
      dataset: 'customer_profiles',
      prefix: 'landing/profiles/',
      crawler: 'lakepipe-test-customer-profiles',
      job: 'lakepipe-test-profiles-current',
    });
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'lakepipe-test-orders' });
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'lakepipe-test-customer-profiles' });
  });
});
