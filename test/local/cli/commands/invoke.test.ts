// `lakepipe invoke start-pipeline` with the events AWS delivers, as captured: AWS's own test events, read with
// their bucket mapped to the local raw bucket; anything else is bad input (exit 2) naming what was expected.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../e2e/support';
import { cli } from '../support';

jest.setTimeout(60_000);

const EVENTS = path.resolve(__dirname, '../../../../events');
const KEY = 'raw/customer_transactions/day-1.csv';

/** Sets the value at `keys` inside parsed JSON; a string along the way is JSON text (an SQS body) and is re-encoded. */
function setAt(json: unknown, keys: (string | number)[], value: string): unknown {
  const [head, ...rest] = keys;
  if (head === undefined) return value;
  if (typeof json === 'string') return JSON.stringify(setAt(JSON.parse(json), keys, value));
  const holder = json as Record<string | number, unknown>;
  holder[head] = setAt(holder[head], rest, value);
  return holder;
}

/** An AWS test event with its object key set to one under the dataset's prefix. */
async function eventWithKey(file: string, keyPath: (string | number)[]): Promise<string> {
  const event = setAt(JSON.parse(await readFile(path.join(EVENTS, file), 'utf8')), keyPath, KEY);
  const out = path.join(await tempDir('lakepipe-invoke-event-'), path.basename(file));
  await writeFile(out, JSON.stringify(event));
  return out;
}

describe('lakepipe invoke start-pipeline', () => {
  it.each([
    ['a raw S3 notification', 's3/aws-lambda-go-put.json', ['Records', 0, 's3', 'object', 'key']],
    ['an EventBridge Object Created event', 'eventbridge/object-created.json', ['detail', 'object', 'key']],
    [
      'an EventBridge event through SQS',
      'eventbridge-sqs/object-created.json',
      ['Records', 0, 'body', 'detail', 'object', 'key'],
    ],
  ])('starts an execution from %s, its bucket read as the local raw bucket', async (_what, file, keyPath) => {
    const home = await tempDir('lakepipe-invoke-');
    const event = await eventWithKey(file, keyPath as (string | number)[]);

    const { code, stdout, stderr } = await cli(
      'invoke',
      'start-pipeline',
      '--event',
      event,
      '--no-wait',
      '--home',
      home,
    );

    expect(code).toBe(0);
    expect(stdout).toContain('batchItemFailures: []');
    expect(stdout).toMatch(/^started: customer_transactions-\d{8}T\d{6}Z-[0-9a-f]{10}$/m);
    expect(stderr).toMatch(/read as the local raw bucket/);
  });

  it('refuses an event of another kind with exit 2 and one line naming what it expected', async () => {
    const home = await tempDir('lakepipe-invoke-');
    const event = path.join(home, 'not-an-s3-event.json');
    await writeFile(event, JSON.stringify({ detail: { hello: 'world' } }));

    const { code, stderr } = await cli('invoke', 'start-pipeline', '--event', event, '--home', home);

    expect(code).toBe(2);
    expect(stderr.split('\n').filter((line) => line.startsWith('lakepipe:'))).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).toMatch(/expected an SQS event of S3 notifications, an S3 notification .* or an EventBridge event/);
  });

  it('refuses an event nested deeper than any AWS event with exit 2 and one line, not a stack overflow', async () => {
    const home = await tempDir('lakepipe-invoke-');
    const event = path.join(home, 'deep.json');
    await writeFile(event, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);

    const { code, stderr } = await cli('invoke', 'start-pipeline', '--event', event, '--home', home);

    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^lakepipe: .*deep\.json: nested deeper than 64 levels/);
  });
});
