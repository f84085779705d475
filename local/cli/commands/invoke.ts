import { readFile } from 'node:fs/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Command } from 'commander';
import { errorMessage, hasErrorName } from '../../../functions/shared/errors';
import { type Act, type CommandContext, EXIT, type ExitCode, UsageError } from '../cli-io';
import { heavy } from '../heavy-modules';
import { openTwin, report } from '../twin-session';

interface InvokeOptions {
  event: string;
  wait: boolean;
}

export const invokeCommand = (act: Act) =>
  new Command('invoke')
    .summary('run one Lambda handler with an event file')
    .description(
      'Runs one Lambda handler with an event file, like `serverless invoke local`; for start-pipeline it then ' +
        'runs the executions it started. Captured AWS events work as they are.',
    )
    .argument('<function>', 'the Lambda to run (functions below)')
    .requiredOption('--event <file>', 'the event, as JSON')
    .option('--no-wait', 'start-pipeline: do not wait for the executions it starts')
    .addHelpText('after', () => `\nfunctions: ${functionNames().join(', ')}`)
    .action(act(invoke));

function functionNames(): string[] {
  return ['start-pipeline', ...Object.values(heavy.config().FUNCTIONS)];
}

type Json = Record<string, unknown>;

/** AWS's events nest a few levels; a deeper file is not one, and walking it would exhaust the stack. */
const MAX_EVENT_DEPTH = 64;

/** Whether parsed JSON nests deeper than `limit`, found without recursion. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A captured event names the deployment's raw bucket; the twin has one raw bucket, so the event's bucket is read
 * as that one. Each shape AWS delivers is mapped where it names the bucket: S3 records (raw or inside an SQS body)
 * and EventBridge's `detail.bucket` (direct or inside an SQS body). Anything else goes to the handler unchanged,
 * which is what judges an event.
 */
function mapToLocalRawBucket(event: unknown, raw: string): { event: unknown; mapped: string[] } {
  const mapped = new Set<string>();
  const bucketOf = (holder: unknown, withArn: boolean) => {
    if (!isObject(holder) || typeof holder.name !== 'string' || holder.name === raw) return;
    mapped.add(holder.name);
    holder.name = raw;
    if (withArn) holder.arn = `arn:aws:s3:::${raw}`;
  };
  const mapNotification = (notification: unknown) => {
    if (!isObject(notification)) return;
    if (Array.isArray(notification.Records)) {
      for (const r of notification.Records) if (isObject(r) && isObject(r.s3)) bucketOf(r.s3.bucket, true);
    }
    if (notification.source === 'aws.s3' && isObject(notification.detail)) bucketOf(notification.detail.bucket, false);
  };
  const copy: unknown = structuredClone(event);
  if (!isObject(copy)) return { event: copy, mapped: [] };
  const records = Array.isArray(copy.Records) ? copy.Records : [];
  for (const record of records) {
    if (isObject(record) && typeof record.body === 'string') {
      try {
        const body: unknown = JSON.parse(record.body);
        mapNotification(body);
        record.body = JSON.stringify(body);
      } catch {
        // a malformed body goes to the handler unchanged: it reports it as a batch item failure
      }
    }
  }
  mapNotification(copy);
  return { event: copy, mapped: [...mapped] };
}

async function invoke({ io, home }: CommandContext, fn: string, options: InvokeOptions): Promise<ExitCode> {
  const known = functionNames();
  if (!known.includes(fn)) throw new UsageError(`unknown function "${fn}" (functions: ${known.join(', ')})`);
  let event: unknown;
  try {
    event = JSON.parse(await readFile(options.event, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read event ${options.event}: ${errorMessage(error)}`);
  }
  if (deeperThan(event, MAX_EVENT_DEPTH)) {
    throw new UsageError(`${options.event}: nested deeper than ${MAX_EVENT_DEPTH} levels, which no AWS event is`);
  }
  const { functionArn, BUCKETS } = heavy.config();
  const { lambdaContext } = heavy.twin();
  const { twin, progress } = await openTwin(home, io);
  try {
    if (fn !== 'start-pipeline') {
      const handler = twin.lambdas[functionArn(fn)];
      if (!handler) throw new UsageError(`function ${fn} is not bound in the twin`);
      const out = await handler(event as never, lambdaContext(fn));
      io.say(JSON.stringify(out, null, 2));
      io.result(out);
      return EXIT.ok;
    }
    const { event: local, mapped } = mapToLocalRawBucket(event, BUCKETS.raw);
    if (mapped.length) io.progress(`bucket ${mapped.join(', ')} read as the local raw bucket ${BUCKETS.raw}`);
    const started = new Set<string>();
    const forget = twin.sfn.onStarted((name) => started.add(name));
    const response = await twin
      .startPipeline(local as SQSEvent, lambdaContext('start-pipeline'))
      .then((out) => out as SQSBatchResponse)
      .catch((error: unknown) => {
        if (hasErrorName(error, 'InvalidEventError')) throw new UsageError(`${options.event}: ${errorMessage(error)}`);
        throw error;
      });
    forget();
    io.say(`batchItemFailures: ${JSON.stringify(response.batchItemFailures)}`);
    io.say(started.size ? `started: ${[...started].join(', ')}` : 'started no execution');
    if (!options.wait || started.size === 0) {
      io.result({ response, started: [...started] });
      return response.batchItemFailures.length ? EXIT.failed : EXIT.ok;
    }
    const records = await heavy.pipelineRun().waitForExecutions(twin, [...started]);
    progress.stop();
    return await report(twin, records, io);
  } finally {
    progress.stop();
  }
}
