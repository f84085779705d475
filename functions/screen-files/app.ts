// First task of the state machine: screens the arrived files before the job reads them. A bad file
// (empty, unreadable, missing required columns, damaged anywhere in it) is moved to the quarantine prefix, never
// deleted, and the execution fails with BadInputFile naming each file, its reason and where it now is. The
// other files of the batch stay in place; the next execution (or `lakepipe rerun`) processes them.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { DATASET_NAME, type Env, jsonVariable, loadConfig } from '../shared/config';
import { InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import { type ArrivedObject, type ExecutionInput, executionInputSchema } from '../shared/pipeline-input';
import { BadInputFile, NothingToProcess, type QuarantinedFile } from './errors';
import { exists, type ObjectStore, quarantine, readHead, readRange } from './objects';
import { screenHead, type Verdict } from './screen';
import { verifyWholeFile } from './whole-file';

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

export interface ScreenResult {
  accepted: string[];
  quarantined: QuarantinedFile[];
  /** Files an earlier attempt quarantined already (a re-run of a failed batch): skipped, not failed again. */
  previouslyQuarantined: QuarantinedFile[];
  screenedAt: string;
}

export interface ScreenFilesDeps {
  config: ScreenFilesConfig;
  s3: ObjectStore;
  now?: () => Date;
}

/** The head decides first; then the whole file is checked (see whole-file.ts), since damage can sit anywhere. */
async function judge(
  s3: ObjectStore,
  bucket: string,
  object: ArrivedObject,
  head: Uint8Array,
  required: readonly string[],
): Promise<Verdict> {
  const verdict = screenHead(object.key, object.size, head, required);
  if (!verdict.ok) return verdict;
  return verifyWholeFile(object.key, (start, end) => readRange(s3, bucket, object.key, start, end), object.size);
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
