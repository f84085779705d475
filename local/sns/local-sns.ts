// Local SNS: `publish` to a configured topic writes one RFC 5322 message per publish to `<home>/outbox/*.eml`
// (To = the topic's email subscriptions) and, when an SMTP URL is configured, also delivers it with nodemailer.
// The message is composed once by nodemailer (RFC 2047 subjects, MIME headers, CRLF line ends) and the same
// bytes are written and sent. As with SNS, a failed email delivery does not fail the publish: it is recorded
// next to the .eml as `<name>.eml.error.json`.

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type * as Sns from '@aws-sdk/client-sns';
import nodemailer, { type Transporter } from 'nodemailer';
import { AwsServiceError, errorMessage } from '../../functions/shared/errors';
import type { SnsPort } from '../../functions/shared/ports';
import { type Workspace, writeFileAtomic, writeJsonAtomic } from '../workspace';

export interface LocalTopic {
  /** Email addresses subscribed (and confirmed) to the topic. */
  subscriptions: string[];
}

export interface LocalSnsOptions {
  workspace: Workspace;
  /** Topic ARN -> subscriptions. */
  topics: Record<string, LocalTopic>;
  /** e.g. `smtp://127.0.0.1:1025`; when set, every message is also delivered there. */
  smtpUrl?: string;
  /** From header; SNS email notifications come from "AWS Notifications". */
  from?: string;
  now?: () => Date;
}

export interface PublishedMessage {
  messageId: string;
  file: string;
  delivered: boolean;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const MAX_MESSAGE_BYTES = 262_144;

function invalid(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', `Invalid parameter: ${message}`);
}

/** SNS's Subject rule: UTF-8 text, no line breaks or control characters, less than 100 characters. */
export function validateSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if (subject.trim() === '') throw invalid('Subject must not be empty');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we reject
  if (/[\u0000-\u001f\u007f]/.test(subject))
    throw invalid('Subject must not contain line breaks or control characters');
  if ([...subject].length >= 100) throw invalid('Subject must be less than 100 characters long');
}

/** The text an email subscriber receives: with MessageStructure=json, the `email` key or else `default`. */
function emailText(input: Sns.PublishInput): string {
  const message = input.Message ?? '';
  if (input.MessageStructure !== 'json') return message;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  const record = parsed as Record<string, unknown>;
  if (typeof record.default !== 'string') throw invalid('Message Structure - No default entry in JSON message body');
  return typeof record.email === 'string' ? record.email : record.default;
}

export class LocalSns implements SnsPort {
  private readonly now: () => Date;
  private readonly from: string;
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  private readonly smtp?: Transporter;
  /** Every message published by this instance, in order (the twin prints a summary from it). */
  readonly published: PublishedMessage[] = [];

  constructor(private readonly options: LocalSnsOptions) {
    this.now = options.now ?? (() => new Date());
    this.from = options.from ?? '"AWS Notifications" <no-reply@sns.lakepipe.local>';
    if (options.smtpUrl) this.smtp = nodemailer.createTransport(options.smtpUrl);
  }

  async publish(input: Sns.PublishInput): Promise<Sns.PublishResponse> {
    const arn = input.TopicArn ?? input.TargetArn;
    if (!arn) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    if (!TOPIC_ARN.test(arn)) throw invalid('TopicArn');
    const topic = this.options.topics[arn];
    if (!topic) throw new AwsServiceError('NotFoundException', 'Topic does not exist', 404);
    if (!input.Message) throw invalid('Empty message');
    if (Buffer.byteLength(input.Message, 'utf8') > MAX_MESSAGE_BYTES) {
      throw invalid('Message too long');
    }
    validateSubject(input.Subject);
    const text = emailText(input);

    const messageId = randomUUID();
    const date = this.now();
    const to = topic.subscriptions.filter((s) => s.trim() !== '');
    const composed = await this.composer.sendMail({
      from: this.from,
      to: to.length > 0 ? to : undefined,
      // SNS's default subject for email when none is given.
      subject: input.Subject ?? 'AWS Notification Message',
      text,
      date,
      messageId: `<${messageId}@sns.lakepipe.local>`,
      headers: { 'X-SNS-Topic-Arn': arn, 'X-SNS-Message-Id': messageId },
    });
    const raw = composed.message as Buffer;
    const stamp = date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const file = this.options.workspace.dir('outbox', `${stamp}-${messageId}.eml`);
    await writeFileAtomic(file, raw);

    let delivered = false;
    if (this.smtp && to.length > 0) {
      try {
        await this.smtp.sendMail({ envelope: { from: 'no-reply@sns.lakepipe.local', to }, raw });
        delivered = true;
      } catch (error) {
        await writeJsonAtomic(`${file}.error.json`, {
          smtpUrl: this.options.smtpUrl?.replace(/\/\/[^@/]*@/, '//***@'),
          error: errorMessage(error),
        });
      }
    }
    this.published.push({ messageId, file, delivered });
    return { MessageId: messageId };
  }

  /** The outbox folder (for `lakepipe` output and tests). */
  get outbox(): string {
    return path.join(this.options.workspace.home, 'outbox');
  }

  close(): void {
    this.smtp?.close();
  }
}
