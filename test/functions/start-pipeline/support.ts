// Shared setup for the start-pipeline tests: real-shaped events from events/, a test configuration, the real
// SDK clients behind aws-sdk-client-mock, and the service logger's lines captured per level.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { glueAdapter, sfnAdapter } from '../../../functions/shared/aws-ports';
import { logger } from '../../../functions/shared/logger';
import type { DatasetPlan } from '../../../functions/shared/pipeline-input';
import {
  createHandler,
  loadStartPipelineConfig,
  type StartPipelineConfig,
} from '../../../functions/start-pipeline/app';

export const RAW_BUCKET = 'lakepipe-raw-123456789012';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:lakepipe-pipeline';

function plan(dataset: string, prefix: string): DatasetPlan {
  return {
    dataset,
    prefix,
    database: 'lakepipe_analytics',
    crawler: `lakepipe-${dataset}-crawler`,
    job: 'customer-analytics',
    workgroup: 'lakepipe',
    validations: ['rows_written', 'no_null_keys'],
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:lakepipe-notifications',
  };
}

export const DATASETS: DatasetPlan[] = [
  plan('customer_transactions', 'raw/customer_transactions/'),
  plan('customer_transactions_eu', 'raw/customer_transactions/eu/'),
  plan('products', 'raw/products/'),
];

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    STATE_MACHINE_ARN,
    RAW_BUCKET,
    DATASETS: JSON.stringify(DATASETS),
    ...overrides,
  };
}

export function testConfig(): StartPipelineConfig {
  return loadStartPipelineConfig(testEnv());
}

export function loadEvent(name: string): SQSEvent {
  return JSON.parse(readFileSync(path.join(__dirname, '../../../events/s3-sqs', `${name}.json`), 'utf8')) as SQSEvent;
}

export const NOW = new Date('2026-11-23T22:15:00.000Z');

export type LogLine = { level: 'info' | 'warn' | 'error'; message: string; context: Record<string, unknown> };

/** A handler over mocked real clients, with every log line captured instead of printed. */
export function setup() {
  const glueMock = mockClient(GlueClient);
  const sfnMock = mockClient(SFNClient);
  const lines: LogLine[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((message: unknown, ...rest: unknown[]) => {
      lines.push({ level, message: String(message), context: (rest[0] ?? {}) as Record<string, unknown> });
    });
  }
  const handler = createHandler({
    config: testConfig(),
    glue: glueAdapter(new GlueClient({ region: 'eu-west-1' })),
    sfn: sfnAdapter(new SFNClient({ region: 'eu-west-1' })),
    now: () => NOW,
  });
  return { glueMock, sfnMock, lines, handler };
}
