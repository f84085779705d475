import { readFile } from 'node:fs/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Command } from 'commander';
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

/**
 * A captured S3-in-SQS event names the deployment's raw bucket; the twin has one raw bucket, so the
 * notification's bucket is read as that one (the event file itself is used as it is).
 */
function mapToLocalRawBucket(event: SQSEvent): { event: SQSEvent; mapped: string[] } {
  const raw = heavy.config().BUCKETS.raw;
  const mapped = new Set<string>();
  const Records = event.Records.map((record) => {
    let body: { Records?: { s3?: { bucket?: { name?: string; arn?: string } } }[] };
    try {
      body = JSON.parse(record.body);
    } catch {
      return record; // malformed bodies go to the handler unchanged: it reports them as batch item failures
    }
    for (const r of body.Records ?? []) {
      const name = r.s3?.bucket?.name;
      if (r.s3?.bucket && name && name !== raw) {
        mapped.add(name);
        r.s3.bucket.name = raw;
        r.s3.bucket.arn = `arn:aws:s3:::${raw}`;
      }
    }
    return { ...record, body: JSON.stringify(body) };
  });
  return { event: { ...event, Records }, mapped: [...mapped] };
}

async function invoke({ io, home }: CommandContext, fn: string, options: InvokeOptions): Promise<ExitCode> {
  const known = functionNames();
  if (!known.includes(fn)) throw new UsageError(`unknown function "${fn}" (functions: ${known.join(', ')})`);
  let event: unknown;
  try {
    event = JSON.parse(await readFile(options.event, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read event ${options.event}: ${(error as Error).message}`);
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
    const sqs = event as SQSEvent;
    if (!Array.isArray(sqs?.Records)) throw new UsageError(`${options.event} is not an SQS event (no Records array)`);
    const { event: local, mapped } = mapToLocalRawBucket(sqs);
    if (mapped.length) io.progress(`bucket ${mapped.join(', ')} read as the local raw bucket ${BUCKETS.raw}`);
    const started = new Set<string>();
    const forget = twin.sfn.onStarted((name) => started.add(name));
    const response = (await twin.startPipeline(local, lambdaContext('start-pipeline'))) as SQSBatchResponse;
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
