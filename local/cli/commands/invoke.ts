import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BUCKETS, FUNCTIONS, functionArn } from '../../twin/config';
import { waitForExecutions } from '../../twin/pipeline-run';
import { lambdaContext } from '../../twin/twin';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../cli-io';
import { USAGE } from '../usage';
import { openTwin, report } from './run';

/**
 * A captured S3-in-SQS event names the deployment's raw bucket; the twin has one raw bucket, so the
 * notification's bucket is read as that one (the event file itself is used as it is).
 */
export function mapToLocalRawBucket(event: SQSEvent): { event: SQSEvent; mapped: string[] } {
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
      if (r.s3?.bucket && name && name !== BUCKETS.raw) {
        mapped.add(name);
        r.s3.bucket.name = BUCKETS.raw;
        r.s3.bucket.arn = `arn:aws:s3:::${BUCKETS.raw}`;
      }
    }
    return { ...record, body: JSON.stringify(body) };
  });
  return { event: { ...event, Records }, mapped: [...mapped] };
}

export async function invoke(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { event: { type: 'string' }, 'no-wait': { type: 'boolean' } },
  });
  const [fn] = positionals;
  if (fn === undefined || values.event === undefined || positionals.length > 1) {
    throw new UsageError(`usage: ${USAGE.invoke}`);
  }
  const known = ['start-pipeline', ...Object.values(FUNCTIONS)];
  if (!known.includes(fn)) throw new UsageError(`unknown function "${fn}" (functions: ${known.join(', ')})`);
  let event: unknown;
  try {
    event = JSON.parse(await readFile(values.event, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read event ${values.event}: ${(error as Error).message}`);
  }
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
    if (!Array.isArray(sqs?.Records)) throw new UsageError(`${values.event} is not an SQS event (no Records array)`);
    const { event: local, mapped } = mapToLocalRawBucket(sqs);
    if (mapped.length) io.progress(`bucket ${mapped.join(', ')} read as the local raw bucket ${BUCKETS.raw}`);
    const started = new Set<string>();
    const forget = twin.sfn.onStarted((name) => started.add(name));
    const response = (await twin.startPipeline(local, lambdaContext('start-pipeline'))) as SQSBatchResponse;
    forget();
    io.say(`batchItemFailures: ${JSON.stringify(response.batchItemFailures)}`);
    io.say(started.size ? `started: ${[...started].join(', ')}` : 'started no execution');
    if (values['no-wait'] || started.size === 0) {
      io.result({ response, started: [...started] });
      return response.batchItemFailures.length ? EXIT.failed : EXIT.ok;
    }
    const records = await waitForExecutions(twin, [...started]);
    progress.stop();
    return await report(twin, records, io);
  } finally {
    progress.stop();
  }
}
