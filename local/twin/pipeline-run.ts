// `lakepipe run` and `lakepipe watch`: land files in the raw bucket, deliver the S3 notifications through
// the real start-pipeline handler exactly as SQS would, and run the executions it starts to their end.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SQSBatchResponse } from 'aws-lambda';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { DEFAULT_SUPPORTED_EXTENSIONS } from '../../functions/start-pipeline/app';
import type { ExecutionRecord } from '../sfn/execution-store';
import { type LandedObject, nextSequencer, sqsEvents } from './arrival-events';
import { BUCKETS, DEPLOYMENT } from './config';
import { lambdaContext, type Twin } from './twin';

/** Like the deployed SQS trigger: up to this many messages per invocation (serverless.yml's batchSize). */
export const SQS_BATCH_SIZE = DEPLOYMENT.sqsBatchSize;

export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export interface ArrivalResult {
  landed: LandedObject[];
  /** Executions the handler started (deduplicated deliveries are not restarted). */
  started: string[];
  /** SQS messages the handler reported as failed (they would be retried, then go to the DLQ). */
  failedMessages: string[];
}

function supported(file: string): boolean {
  const lower = file.toLowerCase();
  return DEFAULT_SUPPORTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Checks every file before anything lands, so a typo never leaves half a batch behind. */
export async function checkFiles(files: string[]): Promise<void> {
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new BadInputError(`no such file: ${file}`);
    if (!info.isFile()) throw new BadInputError(`not a file: ${file}`);
    if (!supported(file)) {
      throw new BadInputError(`unsupported file type: ${file} (supported: ${DEFAULT_SUPPORTED_EXTENSIONS.join(' ')})`);
    }
  }
  const names = files.map((f) => path.basename(f));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new BadInputError(`two files are named ${twice}: they would land on the same key`);
}

/**
 * Puts each file under the dataset's raw prefix (the default dataset's unless a plan is given). A key that already holds the same bytes is reused (the
 * same arrival again: its execution name is the same, so it is not processed twice); a key holding other
 * bytes is refused rather than overwritten, so nothing already landed is lost.
 */
export async function landFiles(
  twin: Twin,
  files: string[],
  now = new Date(),
  plan: Pick<DatasetPlan, 'prefix'> = twin.plan,
): Promise<LandedObject[]> {
  await checkFiles(files);
  const landed: LandedObject[] = [];
  for (const file of files) {
    const key = `${plan.prefix}${path.basename(file)}`;
    const put = await twin.s3.putFile({ Bucket: BUCKETS.raw, Key: key, File: file, IfDifferent: 'refuse' });
    landed.push({
      bucket: BUCKETS.raw,
      key,
      size: put.ContentLength,
      eTag: put.ETag.replace(/"/g, ''),
      sequencer: nextSequencer(now.getTime()),
      // When the put completed, to the millisecond like S3's eventTime (LastModified has whole seconds only):
      // the freshness check compares crawl start times with it, so it must not fall before the landing. The
      // same bytes landed again keep their first time: a repeated delivery, not a new arrival.
      eventTime: put.landedAt,
    });
  }
  return landed;
}

/** Delivers the notifications for `landed` to the real start-pipeline handler, batch by batch. */
export async function deliverArrivals(
  twin: Twin,
  landed: LandedObject[],
  batchSize = SQS_BATCH_SIZE,
): Promise<ArrivalResult> {
  const started = new Set<string>();
  const forget = twin.sfn.onStarted((name) => started.add(name));
  const failedMessages: string[] = [];
  try {
    for (const event of sqsEvents(landed, batchSize)) {
      const response = (await twin.startPipeline(event, lambdaContext('start-pipeline'))) as SQSBatchResponse;
      failedMessages.push(...response.batchItemFailures.map((f) => f.itemIdentifier));
    }
  } finally {
    forget();
  }
  return { landed, started: [...started], failedMessages };
}

/** Waits for executions to end; returns their final records in the order given. */
export async function waitForExecutions(twin: Twin, names: string[]): Promise<ExecutionRecord[]> {
  return Promise.all(names.map((name) => twin.sfn.waitFor(name)));
}
