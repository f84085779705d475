import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { LocalSns } from '../../../local/sns/local-sns';
import { Workspace } from '../../../local/workspace';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:lakepipe-alerts';

async function openSns(smtpUrl?: string) {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-sns-')));
  const sns = new LocalSns({
    workspace,
    topics: { [TOPIC]: { subscriptions: ['ops@example.com', 'data@example.com'] } },
    smtpUrl,
    now: () => new Date('2026-03-01T08:30:00Z'),
  });
  return { workspace, sns };
}

/** Splits an RFC 5322 message into unfolded headers and body. */
function parseEml(raw: string) {
  const end = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

describe('LocalSns', () => {
  it('writes an RFC 5322 .eml with the subscriptions, subject, date, message id and a CRLF body', async () => {
    // Prepare
    const { workspace, sns } = await openSns();

    // Act
    const { MessageId } = await sns.publish({
      TopicArn: TOPIC,
      Subject: 'lakepipe: customer_transactions SUCCEEDED',
      Message: 'Dataset: customer_transactions\nRows in: 3\nRows out: 3\n',
    });
    const files = await readdir(workspace.dir('outbox'));
    const raw = await readFile(workspace.dir('outbox', files[0] ?? ''), 'utf8');
    const { headers, body } = parseEml(raw);

    // Assess
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(files).toEqual([`20260301T083000Z-${MessageId}.eml`]);
    expect(headers.get('to')).toBe('ops@example.com, data@example.com');
    expect(headers.get('from')).toContain('AWS Notifications');
    expect(headers.get('subject')).toBe('lakepipe: customer_transactions SUCCEEDED');
    expect(headers.get('date')).toBe('Sun, 01 Mar 2026 08:30:00 +0000');
    expect(headers.get('message-id')).toBe(`<${MessageId}@sns.lakepipe.local>`);
    expect(headers.get('mime-version')).toBe('1.0');
    expect(headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(body).toBe('Dataset: customer_transactions\r\nRows in: 3\r\nRows out: 3\r\n');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/\n/); // every line ends with CRLF
  });

  it('encodes a non-ASCII subject as an RFC 2047 encoded word', async () => {
    const { workspace, sns } = await openSns();
    await sns.publish({ TopicArn: TOPIC, Subject: 'Données validées ✓', Message: 'ok' });
    const [file] = await readdir(workspace.dir('outbox'));
    const subject = parseEml(await readFile(workspace.dir('outbox', file ?? ''), 'utf8')).headers.get('subject') ?? '';
    expect(subject).toMatch(/^=\?UTF-8\?[BQ]\?.+\?=$/i);
    // decode the encoded words independently of nodemailer
    const decoded = subject.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
    expect(decoded).toBe('Données validées ✓');
  });

  it('uses SNS error names for unknown topics and bad subjects', async () => {
    const { sns, workspace } = await openSns();
    await expect(
      sns.publish({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:nope', Message: 'x' }),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(sns.publish({ TopicArn: TOPIC, Message: 'x', Subject: 'a'.repeat(100) })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sns.publish({ TopicArn: TOPIC, Message: 'x', Subject: 'two\nlines' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sns.publish({ TopicArn: TOPIC, Message: '' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await readdir(workspace.dir('outbox'))).toEqual([]);
    await expect(sns.publish({ TopicArn: TOPIC, Message: 'x', Subject: 'a'.repeat(99) })).resolves.toHaveProperty(
      'MessageId',
    );
  });

  it('sends the email text of a MessageStructure=json message', async () => {
    const { workspace, sns } = await openSns();
    await sns.publish({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'short', email: 'long text for email' }),
    });
    const [file] = await readdir(workspace.dir('outbox'));
    expect(parseEml(await readFile(workspace.dir('outbox', file ?? ''), 'utf8')).body).toBe('long text for email\r\n');
  });

  it('delivers the same message over SMTP to an in-process server', async () => {
    // Prepare
    const received: { from: string; to: string[]; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const { workspace, sns } = await openSns(`smtp://127.0.0.1:${port}`);

    try {
      // Act
      const { MessageId } = await sns.publish({ TopicArn: TOPIC, Subject: 'Pipeline failed', Message: 'Error: boom' });
      const [file] = await readdir(workspace.dir('outbox'));
      const eml = await readFile(workspace.dir('outbox', file ?? ''), 'utf8');

      // Assess
      expect(received).toHaveLength(1);
      expect(received[0]?.to).toEqual(['ops@example.com', 'data@example.com']);
      expect(received[0]?.data.trimEnd()).toBe(eml.trimEnd());
      expect(parseEml(received[0]?.data ?? '').headers.get('message-id')).toBe(`<${MessageId}@sns.lakepipe.local>`);
      expect(sns.published).toEqual([expect.objectContaining({ messageId: MessageId, delivered: true })]);
    } finally {
      sns.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('still publishes (and records why) when the SMTP server is unreachable, as SNS does', async () => {
    const { workspace, sns } = await openSns('smtp://127.0.0.1:1');
    const { MessageId } = await sns.publish({ TopicArn: TOPIC, Subject: 'x', Message: 'y' });
    const files = (await readdir(workspace.dir('outbox'))).sort();
    expect(files).toEqual([`20260301T083000Z-${MessageId}.eml`, `20260301T083000Z-${MessageId}.eml.error.json`]);
    expect(sns.published[0]?.delivered).toBe(false);
    sns.close();
  });
});
