// planExecutions / classify: the plain functions of functions/start-pipeline/plan.ts.
import type { S3Notification } from '../../../functions/shared/s3-event';
import { loadStartPipelineConfig } from '../../../functions/start-pipeline/app';
import { type ArrivedRecord, classify, planExecutions } from '../../../functions/start-pipeline/plan';
import { DATASETS, RAW_BUCKET, testConfig, testEnv } from './support';

const config = testConfig();
const receivedAt = new Date('2026-11-24T00:00:00.000Z');

function arrival(messageId: string, over: Partial<S3Notification> & { key: string }): ArrivedRecord {
  return {
    messageId,
    notification: {
      eventName: 'ObjectCreated:Put',
      eventTime: '2026-11-23T22:00:00.000Z',
      bucket: RAW_BUCKET,
      size: 10,
      eTag: 'etag-1',
      sequencer: '0A',
      ...over,
    },
  };
}

describe('classify', () => {
  it.each([
    ['raw/customer_transactions/x.csv.gz', 'customer_transactions'],
    ['raw/customer_transactions/x.json', 'customer_transactions'],
    ['raw/customer_transactions/x.jsonl', 'customer_transactions'],
    ['raw/customer_transactions/x.json.gz', 'customer_transactions'],
    ['raw/customer_transactions/eu/x.parquet', 'customer_transactions_eu'],
    ['raw/customer_transactions/europe/x.csv', 'customer_transactions'],
  ])('maps %s to %s', (key, dataset) => {
    // Act
    const decision = classify(config, arrival('m', { key }).notification);

    // Assess
    expect('plan' in decision && decision.plan.dataset).toBe(dataset);
  });

  it.each([
    ['raw/customer_transactions/x.CSV', 'unsupported-extension'],
    ['raw/customer_transactions/x.csv.tmp', 'unsupported-extension'],
    ['raw/customer_transactions/_SUCCESS', 'unsupported-extension'],
    ['raw/customer_transactionsX/x.csv', 'outside-datasets'],
    ['athena-results/abc.csv', 'pipeline-output'],
    ['_lakepipe/state.json', 'pipeline-output'],
    ['raw/customer_transactions/_x.csv', 'hidden-file'],
    ['raw/customer_transactions/.x.csv', 'hidden-file'],
    ['raw/customer_transactions/2026/_tmp/x.csv', 'hidden-file'],
    ['raw/customer_transactions/.staging/x.json', 'hidden-file'],
  ])('ignores %s as %s', (key, reason) => {
    // Act
    const decision = classify(config, arrival('m', { key }).notification);

    // Assess
    expect(decision).toEqual({ reason });
  });

  it('picks the longest matching prefix whatever the order of DATASETS', () => {
    // Prepare
    const reversed = loadStartPipelineConfig(testEnv({ DATASETS: JSON.stringify([...DATASETS].reverse()) }));
    const keys = ['raw/customer_transactions/eu/x.csv', 'raw/customer_transactions/x.csv'];

    // Act
    const datasets = [config, reversed].flatMap((c) =>
      keys.map((key) => {
        const decision = classify(c, arrival('m', { key }).notification);
        return 'plan' in decision ? decision.plan.dataset : decision.reason;
      }),
    );

    // Assess
    expect(datasets).toEqual([
      'customer_transactions_eu',
      'customer_transactions',
      'customer_transactions_eu',
      'customer_transactions',
    ]);
  });

  it('ignores a key under an ignored prefix even when it also lies under a dataset prefix', () => {
    // Prepare
    const scratch = loadStartPipelineConfig(testEnv({ IGNORED_PREFIXES: 'raw/customer_transactions/_tmp/' }));

    // Act
    const decision = classify(scratch, arrival('m', { key: 'raw/customer_transactions/_tmp/x.csv' }).notification);

    // Assess
    expect(decision).toEqual({ reason: 'pipeline-output' });
  });

  it('accepts ObjectCreated:CompleteMultipartUpload and :Copy like :Put', () => {
    // Act
    const decisions = ['ObjectCreated:CompleteMultipartUpload', 'ObjectCreated:Copy'].map((eventName) =>
      classify(config, arrival('m', { key: 'raw/products/p.csv', eventName }).notification),
    );

    // Assess
    expect(decisions.map((d) => 'plan' in d && d.plan.dataset)).toEqual(['products', 'products']);
  });
});

describe('planExecutions', () => {
  it('keeps the earliest event of a duplicated object, in either delivery order, with every message that carried it', () => {
    // Prepare
    const later = arrival('m2', { key: 'raw/products/p.csv', eventTime: '2026-11-23T22:00:05.000Z', sequencer: '0B' });
    const earlier = arrival('m1', {
      key: 'raw/products/p.csv',
      eventTime: '2026-11-23T22:00:01.000Z',
      sequencer: '0A',
    });

    // Act
    const plans = [
      planExecutions(config, [later, earlier], receivedAt),
      planExecutions(config, [earlier, later], receivedAt),
    ];

    // Assess
    for (const plan of plans) {
      expect(plan.executions).toHaveLength(1);
      expect(plan.executions[0]?.input.objects).toEqual([
        { key: 'raw/products/p.csv', size: 10, eTag: 'etag-1', sequencer: '0A', eventTime: '2026-11-23T22:00:01.000Z' },
      ]);
      expect(plan.executions[0]?.messageIds).toEqual(['m1', 'm2']);
      expect(plan.executions[0]?.name.startsWith('products-20261123T220001Z-')).toBe(true);
    }
  });

  it('keeps an overwritten key (new eTag) as a second object', () => {
    // Prepare
    const records = [
      arrival('m1', { key: 'raw/products/p.csv', eTag: 'old' }),
      arrival('m2', { key: 'raw/products/p.csv', eTag: 'new', eventTime: '2026-11-23T22:01:00.000Z' }),
    ];

    // Act
    const plan = planExecutions(config, records, receivedAt);

    // Assess
    expect(plan.executions[0]?.input.objects.map((o) => o.eTag)).toEqual(['old', 'new']);
  });

  it('gives the same name whatever order the records arrive in', () => {
    // Prepare
    const records = [
      arrival('m1', { key: 'raw/products/a.csv', eTag: 'a' }),
      arrival('m2', { key: 'raw/products/b.csv', eTag: 'b' }),
      arrival('m3', { key: 'raw/products/c.csv', eTag: 'c' }),
    ];

    // Act
    const forward = planExecutions(config, records, receivedAt);
    const backward = planExecutions(config, [...records].reverse(), receivedAt);

    // Assess
    expect(backward.executions.map((e) => e.name)).toEqual(forward.executions.map((e) => e.name));
    expect(backward.executions[0]?.input).toEqual(forward.executions[0]?.input);
  });

  it('splits a group whose input would exceed the limit, in key order, each part with its own messages', () => {
    // Prepare: five objects of equal size; the limit leaves room for two per execution.
    const records = ['a', 'b', 'c', 'd', 'e'].map((k) => arrival(`m-${k}`, { key: `raw/products/${k}.csv`, eTag: k }));
    const base = planExecutions(config, records.slice(0, 1), receivedAt).executions[0]?.input;
    const oneObject = Buffer.byteLength(JSON.stringify(base?.objects[0])) + 1;
    const emptyInput = Buffer.byteLength(JSON.stringify({ ...base, objects: [] }));
    const limit = emptyInput + 2 * oneObject;

    // Act
    const plan = planExecutions(config, records, receivedAt, limit);

    // Assess
    expect(plan.executions.map((e) => e.messageIds)).toEqual([['m-a', 'm-b'], ['m-c', 'm-d'], ['m-e']]);
    expect(new Set(plan.executions.map((e) => e.name)).size).toBe(3);
    for (const e of plan.executions) {
      expect(Buffer.byteLength(JSON.stringify(e.input))).toBeLessThanOrEqual(limit);
    }
  });

  it('keeps a realistic large batch within the Step Functions input limit', () => {
    // Prepare: 3,000 objects with long keys, about 0.7 MB of input if it were one execution.
    const records = Array.from({ length: 3000 }, (_, i) =>
      arrival(`m${i}`, {
        key: `raw/customer_transactions/2026/11/24/batch-${String(i).padStart(5, '0')}-${'x'.repeat(100)}.csv`,
        eTag: `e${i}`,
      }),
    );

    // Act
    const plan = planExecutions(config, records, receivedAt);

    // Assess
    expect(plan.executions.length).toBeGreaterThan(1);
    expect(plan.executions.reduce((n, e) => n + e.input.objects.length, 0)).toBe(3000);
    for (const e of plan.executions) expect(Buffer.byteLength(JSON.stringify(e.input))).toBeLessThanOrEqual(256 * 1024);
  });
});
