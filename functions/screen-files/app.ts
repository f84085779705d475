// First task of the state machine: screens the arrived files before the job reads them. A bad file
// (empty, unreadable, missing required columns, a damaged gzip stream) is moved to the quarantine prefix, never
// deleted, and the execution fails with BadInputFile naming each file, its reason and where it now is. The
// other files of the batch stay in place; the next execution (or `lakepipe rerun`) processes them.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { DATASET_NAME, type Env, jsonVariable, loadConfig } from '../shared/config';
import { hasErrorName, InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import { type ArrivedObject, type ExecutionInput, executionInputSchema } from '../shared/pipeline-input';
import type { S3Port } from '../shared/ports';
import { verifyGzip } from './gzip-check';
import { SCREEN_BYTES, screenHead, type Verdict } from './screen';

export const screenFilesEnvSchema = z
  .object({
    /** Required columns per dataset, e.g. {"customer_transactions":["transaction_id","customer_id"]}. */
    DATASET_COLUMNS: jsonVariable(z.record(z.string().regex(DATASET_NAME), z.array(z.string().min(1)).min(1))),
    QUARANTINE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-][A-Za-z0-9_./-]*\/$/, 'must be a key prefix ending with "/"')
      .default('quarantine/'),
  })
  .transform((env) => ({ datasetColumns: env.DATASET_COLUMNS, quarantinePrefix: env.QUARANTINE_PREFIX }));

export type ScreenFilesConfig = z.output<typeof screenFilesEnvSchema>;

export function loadScreenFilesConfig(env: Env): ScreenFilesConfig {
  return loadConfig(screenFilesEnvSchema, env);
}

export interface QuarantinedFile {
  key: string;
  reason: string;
  /** Where the file is now: s3://bucket/quarantine/<original key>; absent when it is nowhere to be found. */
  location?: string;
}

export interface ScreenResult {
  accepted: string[];
  quarantined: QuarantinedFile[];
  /** Files an earlier attempt quarantined already (a re-run of a failed batch): skipped, not failed again. */
  previouslyQuarantined: QuarantinedFile[];
  screenedAt: string;
}

export class BadInputFile extends Error {
  constructor(
    message: string,
    readonly files: QuarantinedFile[],
  ) {
    super(message);
    this.name = 'BadInputFile';
  }
}

export class NothingToProcess extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToProcess';
  }
}

export interface ScreenFilesDeps {
  config: ScreenFilesConfig;
  s3: Pick<S3Port, 'getObject' | 'headObject' | 'copyObject' | 'deleteObject'>;
  now?: () => Date;
}

function isMissing(error: unknown): boolean {
  return hasErrorName(error, 'NoSuchKey', 'NotFound');
}

/** CopySource is `bucket/key` with the key URL-encoded, slashes kept, as S3 expects. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}

async function readHead(s3: ScreenFilesDeps['s3'], bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await s3.getObject({ Bucket: bucket, Key: key, Range: `bytes=0-${SCREEN_BYTES - 1}` });
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function exists(s3: ScreenFilesDeps['s3'], bucket: string, key: string): Promise<boolean> {
  try {
    await s3.headObject({ Bucket: bucket, Key: key });
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function readRange(s3: ScreenFilesDeps['s3'], bucket: string, key: string, start: number, end: number) {
  const out = await s3.getObject({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` });
  return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
}

/** The head decides for every format; a gzip file is then inflated whole, since damage can sit anywhere. */
async function judge(
  s3: ScreenFilesDeps['s3'],
  bucket: string,
  object: ArrivedObject,
  head: Uint8Array,
  required: readonly string[],
): Promise<Verdict> {
  const verdict = screenHead(object.key, object.size, head, required);
  if (!verdict.ok || !object.key.toLowerCase().endsWith('.gz')) return verdict;
  return verifyGzip((start, end) => readRange(s3, bucket, object.key, start, end), object.size);
}

/** Copy first, delete second: if the delete fails the file is in both places, never in neither. */
async function quarantine(s3: ScreenFilesDeps['s3'], bucket: string, key: string, quarantineKey: string) {
  await s3.copyObject({ Bucket: bucket, Key: quarantineKey, CopySource: copySource(bucket, key) });
  await s3.deleteObject({ Bucket: bucket, Key: key });
}

/** One object: accepted, quarantined now, or found quarantined by an earlier attempt. */
async function screenObject(
  deps: ScreenFilesDeps,
  input: ExecutionInput,
  object: ArrivedObject,
  required: readonly string[],
  result: ScreenResult,
): Promise<void> {
  const { config, s3 } = deps;
  const quarantineKey = `${config.quarantinePrefix}${object.key}`;
  const location = `s3://${input.bucket}/${quarantineKey}`;
  const head = await readHead(s3, input.bucket, object.key);
  if (head === undefined) {
    if (await exists(s3, input.bucket, quarantineKey)) {
      result.previouslyQuarantined.push({ key: object.key, reason: 'quarantined by an earlier attempt', location });
    } else {
      const reason = 'the file is not at its key (deleted, or never landed in this bucket)';
      result.quarantined.push({ key: object.key, reason });
    }
    return;
  }
  const verdict = await judge(s3, input.bucket, object, head, required);
  if (verdict.ok) {
    result.accepted.push(object.key);
    return;
  }
  await quarantine(s3, input.bucket, object.key, quarantineKey);
  logger.warn('file quarantined', { key: object.key, reason: verdict.reason, location });
  result.quarantined.push({ key: object.key, reason: verdict.reason, location });
}

/** One line per refused file: where it now is, or that it is gone and nothing was moved. */
function refusalLine(file: QuarantinedFile): string {
  const where = file.location
    ? `now at ${file.location}`
    : 'not quarantined: it is neither at its key nor in quarantine, removed by someone else';
  return `${file.key}: ${file.reason} (${where})`;
}

export async function screenFiles(input: ExecutionInput, deps: ScreenFilesDeps): Promise<ScreenResult> {
  const required = deps.config.datasetColumns[input.dataset];
  if (!required) throw new NothingToProcess(`no required columns are configured for dataset ${input.dataset}`);
  const result: ScreenResult = {
    accepted: [],
    quarantined: [],
    previouslyQuarantined: [],
    screenedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  for (const object of input.objects) await screenObject(deps, input, object, required, result);
  if (result.quarantined.length > 0) {
    const rest = result.accepted.length
      ? ` The other ${result.accepted.length} file(s) stay in place and are processed by the next run.`
      : '';
    throw new BadInputFile(
      `${result.quarantined.length} bad file(s) refused: ${result.quarantined.map(refusalLine).join('; ')}.${rest}`,
      result.quarantined,
    );
  }
  if (result.accepted.length === 0) {
    throw new NothingToProcess(
      `none of the ${input.objects.length} file(s) is left to process (all quarantined before)`,
    );
  }
  logger.info('files screened', { accepted: result.accepted.length, skipped: result.previouslyQuarantined.length });
  return result;
}

export function createHandler(deps: ScreenFilesDeps) {
  return middy<unknown, ScreenResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const input = parseTaskInput(
        executionInputSchema,
        event,
        'screen-files',
        'the execution input { dataset, bucket, objects, receivedAt, trigger, plan }',
        (message) => new InvalidEventError(message),
      );
      return screenFiles(input, deps);
    });
}
