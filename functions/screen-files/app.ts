// First task of the state machine: screens the arrived files before the job reads them. A bad file
// (empty, unreadable, missing required columns) is moved to the quarantine prefix, never deleted, and the
// execution fails with BadInputFile naming each file, its reason and where it now is. The other files of
// the batch stay in place; the next execution (or `lakepipe rerun`) processes them.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { DATASET_NAME, type Env, jsonVariable, loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import type { ExecutionInput } from '../shared/pipeline-input';
import type { S3Port } from '../shared/ports';
import { SCREEN_BYTES, screenHead } from './screen';

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
  /** Where the file is now: s3://bucket/quarantine/<original key>. */
  location: string;
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
  const name = (error as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound';
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

export async function screenFiles(input: ExecutionInput, deps: ScreenFilesDeps): Promise<ScreenResult> {
  const { config, s3 } = deps;
  const required = config.datasetColumns[input.dataset];
  if (!required) throw new NothingToProcess(`no required columns are configured for dataset ${input.dataset}`);
  const result: ScreenResult = {
    accepted: [],
    quarantined: [],
    previouslyQuarantined: [],
    screenedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  for (const object of input.objects) {
    const quarantineKey = `${config.quarantinePrefix}${object.key}`;
    const location = `s3://${input.bucket}/${quarantineKey}`;
    const head = await readHead(s3, input.bucket, object.key);
    if (head === undefined) {
      const reason = 'the file is not at its key (deleted, or never landed in this bucket)';
      if (await exists(s3, input.bucket, quarantineKey)) {
        result.previouslyQuarantined.push({ key: object.key, reason: 'quarantined by an earlier attempt', location });
      } else {
        result.quarantined.push({ key: object.key, reason, location: 'nowhere: it was removed by someone else' });
      }
      continue;
    }
    const verdict = screenHead(object.key, object.size, head, required);
    if (verdict.ok) {
      result.accepted.push(object.key);
      continue;
    }
    // Copy first, delete second: if the delete fails the file is in both places, never in neither.
    await s3.copyObject({ Bucket: input.bucket, Key: quarantineKey, CopySource: copySource(input.bucket, object.key) });
    await s3.deleteObject({ Bucket: input.bucket, Key: object.key });
    logger.warn('file quarantined', { key: object.key, reason: verdict.reason, location });
    result.quarantined.push({ key: object.key, reason: verdict.reason, location });
  }
  if (result.quarantined.length > 0) {
    const lines = result.quarantined.map((f) => `${f.key}: ${f.reason} (now at ${f.location})`);
    const rest = result.accepted.length
      ? ` The other ${result.accepted.length} file(s) stay in place and are processed by the next run.`
      : '';
    throw new BadInputFile(
      `${result.quarantined.length} bad file(s) quarantined: ${lines.join('; ')}.${rest}`,
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
  return middy(async (event: ExecutionInput) => screenFiles(event, deps)).use(injectLambdaContext(logger));
}
