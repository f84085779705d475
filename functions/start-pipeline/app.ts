// The arrival Lambda: S3 notifications (in SQS messages, direct, or as EventBridge events) -> one Step Functions
// execution per dataset. Parsing is in arrival-event.ts, planning in plan.ts.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { commaList, datasetPlansSchema, type Env, jsonVariable, loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import type { GluePort, SfnPort } from '../shared/ports';
import { type ArrivalEvent, parseArrivalEvent } from './arrival-event';
import { type ArrivedRecord, type ExecutionPlan, planExecutions } from './plan';
import { startAll } from './start';

export const DEFAULT_IGNORED_PREFIXES = ['curated/', 'quarantine/', 'athena-results/', '_lakepipe/'];
export const DEFAULT_SUPPORTED_EXTENSIONS = ['.csv', '.csv.gz', '.json', '.jsonl', '.json.gz', '.parquet'];

export const startPipelineEnvSchema = z
  .object({
    STATE_MACHINE_ARN: z
      .string()
      .regex(/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:.+$/, 'must be a state machine ARN'),
    RAW_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    DATASETS: jsonVariable(datasetPlansSchema),
    IGNORED_PREFIXES: commaList(DEFAULT_IGNORED_PREFIXES),
    SUPPORTED_EXTENSIONS: commaList(DEFAULT_SUPPORTED_EXTENSIONS),
  })
  .superRefine((env, ctx) => {
    // A dataset under an output prefix could never start: refuse the configuration instead of ignoring files.
    env.DATASETS.forEach((plan, index) => {
      const clash = env.IGNORED_PREFIXES.find((p) => plan.prefix.startsWith(p));
      if (clash !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['DATASETS', index, 'prefix'],
          message: `overlaps the ignored output prefix ${clash}`,
        });
      }
    });
  })
  .transform((env) => ({
    stateMachineArn: env.STATE_MACHINE_ARN,
    rawBucket: env.RAW_BUCKET,
    datasets: env.DATASETS,
    ignoredPrefixes: env.IGNORED_PREFIXES,
    supportedExtensions: env.SUPPORTED_EXTENSIONS,
  }));

export type StartPipelineConfig = z.output<typeof startPipelineEnvSchema>;

/** Reads and validates the start-pipeline environment; throws ConfigError naming the variable. */
export function loadStartPipelineConfig(env: Env): StartPipelineConfig {
  return loadConfig(startPipelineEnvSchema, env);
}

export interface StartPipelineDeps {
  config: StartPipelineConfig;
  glue: Pick<GluePort, 'startCrawler'>;
  sfn: Pick<SfnPort, 'startExecution'>;
  now?: () => Date;
}

/** A directly invoked arrival (S3 or EventBridge) whose execution could not start: thrown so Lambda retries it. */
export class ArrivalNotStartedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArrivalNotStartedError';
  }
}

/** The messages' arrivals, with malformed messages marked failed and test events logged. */
function collectArrivals(arrival: ArrivalEvent, failed: Set<string>): ArrivedRecord[] {
  const arrivals: ArrivedRecord[] = [];
  for (const message of arrival.messages) {
    if (message.kind === 'malformed') {
      logger.error('malformed message', { messageId: message.messageId, reason: message.reason });
      failed.add(message.messageId);
    } else if (message.kind === 'test-event') {
      logger.info('s3:TestEvent ignored', { messageId: message.messageId, bucket: message.bucket });
    } else {
      arrivals.push(...message.records);
    }
  }
  return arrivals;
}

function logIgnored(ignored: ExecutionPlan['ignored']): void {
  for (const item of ignored) {
    const n = item.notification;
    logger.info('object ignored', {
      messageId: item.messageId,
      reason: item.reason,
      eventName: n.eventName,
      bucket: n.bucket,
      key: n.key,
      size: n.size,
    });
  }
}

/**
 * Handles one delivery: never throws for a bad SQS message or a failed start, reports them per message
 * instead (every failure names its message). A direct S3 or EventBridge invocation has no batch to report
 * into, so a failed start is thrown for Lambda to retry; a malformed one is refused by the parser.
 */
export async function handleBatch(deps: StartPipelineDeps, event: unknown): Promise<SQSBatchResponse> {
  const arrival = parseArrivalEvent(event);
  const failed = new Set<string>();
  const arrivals = collectArrivals(arrival, failed);
  const { executions, ignored } = planExecutions(deps.config, arrivals, (deps.now ?? (() => new Date()))());
  logIgnored(ignored);
  await startAll(deps, executions, failed);
  // Report in delivery order, as SQS lists them.
  const batchItemFailures = arrival.messages
    .filter((m) => failed.has(m.messageId))
    .map((m) => ({ itemIdentifier: m.messageId }));
  logger.info('batch done', {
    source: arrival.source,
    messages: arrival.messages.length,
    executions: executions.length,
    ignored: ignored.length,
    failedMessages: batchItemFailures.length,
  });
  if (arrival.source !== 'sqs' && batchItemFailures.length > 0) {
    throw new ArrivalNotStartedError(`the ${arrival.source} event's execution could not start; see the error log`);
  }
  return { batchItemFailures };
}

/** The middy-wrapped handler: Powertools Logger gets the Lambda context on every line. */
export function createHandler(deps: StartPipelineDeps) {
  return middy<unknown, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => handleBatch(deps, event));
}
