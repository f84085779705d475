// The arrival Lambda: SQS messages carrying S3 notifications -> one Step Functions execution per dataset.
// Plain functions (parseSqsRecord, planExecutions, executionName) are exported for the local twin.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { commaList, datasetPlansSchema, type Env, jsonVariable, loadConfig } from '../shared/config';
import { InvalidEventError } from '../shared/errors';
import { executionName } from '../shared/execution-name';
import { logger } from '../shared/logger';
import type { ArrivedObject, DatasetPlan, ExecutionInput } from '../shared/pipeline-input';
import type { GluePort, SfnPort } from '../shared/ports';
import { parseS3Body, type S3Notification } from '../shared/s3-event';

export { executionName, rerunName } from '../shared/execution-name';

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

export type IgnoreReason =
  | 'not-object-created'
  | 'other-bucket'
  | 'folder-marker'
  | 'pipeline-output'
  | 'outside-datasets'
  | 'zero-byte'
  | 'unsupported-extension';

export interface ArrivedRecord {
  messageId: string;
  notification: S3Notification;
}

export type ParsedMessage =
  | { kind: 'records'; messageId: string; records: ArrivedRecord[] }
  | { kind: 'test-event'; messageId: string; bucket: string }
  | { kind: 'malformed'; messageId: string; reason: string };

/** One SQS record -> its S3 notifications (keys decoded), an s3:TestEvent, or malformed with a reason. */
export function parseSqsRecord(record: Pick<SQSRecord, 'messageId' | 'body'>): ParsedMessage {
  const parsed = parseS3Body(record.body);
  if (parsed.kind !== 'records') return { ...parsed, messageId: record.messageId };
  return {
    kind: 'records',
    messageId: record.messageId,
    records: parsed.records.map((notification) => ({ messageId: record.messageId, notification })),
  };
}

export interface PlannedExecution {
  name: string;
  input: ExecutionInput;
  /** The SQS messages whose objects this execution covers: they fail together if it cannot start. */
  messageIds: string[];
}

export interface IgnoredRecord extends ArrivedRecord {
  reason: IgnoreReason;
}

export interface ExecutionPlan {
  executions: PlannedExecution[];
  ignored: IgnoredRecord[];
}

type PlanConfig = Pick<StartPipelineConfig, 'rawBucket' | 'datasets' | 'ignoredPrefixes' | 'supportedExtensions'>;

/** The dataset whose prefix is the longest one that `key` starts with. */
export function datasetForKey(datasets: readonly DatasetPlan[], key: string): DatasetPlan | undefined {
  let best: DatasetPlan | undefined;
  for (const plan of datasets) {
    if (key.startsWith(plan.prefix) && (best === undefined || plan.prefix.length > best.prefix.length)) best = plan;
  }
  return best;
}

/** Why an arrival is not pipeline input, or the dataset it belongs to. */
export function classify(config: PlanConfig, n: S3Notification): { reason: IgnoreReason } | { plan: DatasetPlan } {
  if (!n.eventName.startsWith('ObjectCreated:')) return { reason: 'not-object-created' };
  if (n.bucket !== config.rawBucket) return { reason: 'other-bucket' };
  if (n.key.endsWith('/')) return { reason: 'folder-marker' };
  if (config.ignoredPrefixes.some((p) => n.key.startsWith(p))) return { reason: 'pipeline-output' };
  const plan = datasetForKey(config.datasets, n.key);
  if (plan === undefined) return { reason: 'outside-datasets' };
  if (n.size === 0) return { reason: 'zero-byte' };
  if (!config.supportedExtensions.some((ext) => n.key.endsWith(ext))) return { reason: 'unsupported-extension' };
  return { plan };
}

function compareObjects(a: ArrivedObject, b: ArrivedObject): number {
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    byText(a.key, b.key) ||
    Date.parse(a.eventTime) - Date.parse(b.eventTime) ||
    byText(a.eTag, b.eTag) ||
    byText(a.sequencer, b.sequencer)
  );
}

/** Step Functions refuses larger execution inputs (256 KiB, UTF-8). */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

interface Group {
  plan: DatasetPlan;
  /** bucket/key/eTag -> the object and the messages that carried it. */
  objects: Map<string, { object: ArrivedObject; messageIds: Set<string> }>;
}

/** Splits sorted objects into runs whose input stays under the limit; one run unless the batch is huge. */
function chunkByInputSize<T extends { object: ArrivedObject }>(entries: T[], baseBytes: number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = baseBytes;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry.object)) + 1;
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = baseBytes;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Groups a batch's arrivals by dataset into one execution each: objects deduplicated by bucket/key/eTag
 * (the earliest event of a duplicate wins, so the name does not depend on delivery order) and sorted.
 * A group too large for one execution input is split, in key order, into several executions.
 */
export function planExecutions(
  config: PlanConfig,
  records: readonly ArrivedRecord[],
  receivedAt: Date,
  maxInputBytes: number = MAX_EXECUTION_INPUT_BYTES,
): ExecutionPlan {
  const ignored: IgnoredRecord[] = [];
  const groups = new Map<string, Group>();
  for (const record of records) {
    const decision = classify(config, record.notification);
    if ('reason' in decision) {
      ignored.push({ ...record, reason: decision.reason });
      continue;
    }
    const { plan } = decision;
    const group = groups.get(plan.dataset) ?? { plan, objects: new Map() };
    groups.set(plan.dataset, group);
    const n = record.notification;
    const object: ArrivedObject = {
      key: n.key,
      size: n.size ?? 0,
      eTag: n.eTag ?? '',
      sequencer: n.sequencer ?? '',
      eventTime: n.eventTime,
    };
    const id = `${n.bucket}/${n.key}/${object.eTag}`;
    const seen = group.objects.get(id) ?? { object, messageIds: new Set<string>() };
    if (compareObjects(object, seen.object) < 0) seen.object = object;
    seen.messageIds.add(record.messageId);
    group.objects.set(id, seen);
  }
  const executions = [...groups.values()]
    .sort((a, b) => (a.plan.dataset < b.plan.dataset ? -1 : 1))
    .flatMap(({ plan, objects }) => {
      const base: ExecutionInput = {
        dataset: plan.dataset,
        bucket: config.rawBucket,
        objects: [],
        receivedAt: receivedAt.toISOString(),
        trigger: 's3',
        plan,
      };
      const sorted = [...objects.values()].sort((a, b) => compareObjects(a.object, b.object));
      return chunkByInputSize(sorted, Buffer.byteLength(JSON.stringify(base)), maxInputBytes).map((chunk) => {
        const chunkObjects = chunk.map((entry) => entry.object);
        const messageIds = new Set(chunk.flatMap((entry) => [...entry.messageIds]));
        return {
          name: executionName(plan.dataset, config.rawBucket, chunkObjects),
          input: { ...base, objects: chunkObjects },
          messageIds: [...messageIds].sort(),
        };
      });
    });
  return { executions, ignored };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Starts the dataset's crawler early; the state machine's freshness step starts it too, so nothing here blocks. */
async function startCrawler(glue: StartPipelineDeps['glue'], plan: DatasetPlan): Promise<void> {
  const context = { crawler: plan.crawler, dataset: plan.dataset };
  try {
    await glue.startCrawler({ Name: plan.crawler });
    logger.info('crawler started', context);
  } catch (error) {
    if (errorName(error) === 'CrawlerRunningException') {
      logger.info('crawler already running', context);
    } else {
      logger.warn('crawler start failed, the state machine will start it', {
        ...context,
        errorName: errorName(error),
        errorMessage: errorMessage(error),
      });
    }
  }
}

/** Starts one execution; returns false when its messages must be retried. */
async function startExecution(deps: StartPipelineDeps, execution: PlannedExecution): Promise<boolean> {
  const context = {
    executionName: execution.name,
    dataset: execution.input.dataset,
    objects: execution.input.objects.length,
    messageIds: execution.messageIds,
  };
  try {
    const started = await deps.sfn.startExecution({
      stateMachineArn: deps.config.stateMachineArn,
      name: execution.name,
      input: JSON.stringify(execution.input),
    });
    logger.info('execution started', { ...context, executionArn: started.executionArn });
    return true;
  } catch (error) {
    // At-least-once delivery: the same batch again has the same name, and that execution exists already.
    if (errorName(error) === 'ExecutionAlreadyExists') {
      logger.info('execution already exists', context);
      return true;
    }
    logger.error('execution start failed, its messages will be retried', {
      ...context,
      errorName: errorName(error),
      errorMessage: errorMessage(error),
    });
    return false;
  }
}

/** Handles one SQS batch: never throws for a bad message or a failed start, reports them per message instead. */
export async function handleBatch(deps: StartPipelineDeps, event: SQSEvent): Promise<SQSBatchResponse> {
  if (!Array.isArray(event?.Records)) throw new InvalidEventError('expected an SQS event with Records[]');
  const failed = new Set<string>();
  const arrivals: ArrivedRecord[] = [];
  for (const record of event.Records) {
    const message = parseSqsRecord(record);
    if (message.kind === 'malformed') {
      logger.error('malformed message', { messageId: message.messageId, reason: message.reason });
      failed.add(message.messageId);
    } else if (message.kind === 'test-event') {
      logger.info('s3:TestEvent ignored', { messageId: message.messageId, bucket: message.bucket });
    } else {
      arrivals.push(...message.records);
    }
  }
  const { executions, ignored } = planExecutions(deps.config, arrivals, (deps.now ?? (() => new Date()))());
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
  const plans = new Map(executions.map((e) => [e.input.plan.dataset, e.input.plan]));
  await Promise.all([...plans.values()].map((plan) => startCrawler(deps.glue, plan)));
  await Promise.all(
    executions.map(async (execution) => {
      if (!(await startExecution(deps, execution))) for (const id of execution.messageIds) failed.add(id);
    }),
  );
  // Report in batch order, as SQS lists them.
  const batchItemFailures = event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
    itemIdentifier: r.messageId,
  }));
  logger.info('batch done', {
    messages: event.Records.length,
    executions: executions.length,
    ignored: ignored.length,
    failedMessages: batchItemFailures.length,
  });
  return { batchItemFailures };
}

/** The middy-wrapped handler: Powertools Logger gets the Lambda context on every line. */
export function createHandler(deps: StartPipelineDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => handleBatch(deps, event));
}
