// First task of the state machine: screens the arrived files before the job reads them, against the dataset's
// contract. A bad file (empty, unreadable, of a format the dataset does not accept, missing required columns,
// damaged anywhere in it, or breaking a `strict` contract) is moved to the quarantine prefix, never deleted, and
// the execution fails with BadInputFile naming each file, its reason and where it now is. The other files of the
// batch stay in place; the next execution (or `lakepipe rerun`) processes them. Under `warn`, what does not fit
// the contract is returned as drift, which the notification lists.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { type Env, jsonVariable, loadConfig } from '../shared/config';
import { InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import { type ArrivedObject, type ExecutionInput, executionInputSchema } from '../shared/pipeline-input';
import { type DatasetContract, datasetContractsSchema, formatOf } from './contract';
import { ContractCheck, type FileDrift } from './drift';
import { BadInputFile, NothingToProcess, type QuarantinedFile } from './errors';
import { exists, type ObjectStore, quarantine, readHead, readRange } from './objects';
import { screenHead, type Verdict } from './screen';
import { verifyWholeFile } from './whole-file';

export const screenFilesEnvSchema = z
  .object({
    /**
     * The contract per dataset (infra/datasets.cjs): {"customer_transactions":{"formats":["csv"],"csv":{"delimiter":
     * ",","quote":"\""},"schemaChange":"evolve","columns":[{"name":"transaction_id","type":"string","required":true}]}}.
     */
    DATASET_CONTRACTS: jsonVariable(datasetContractsSchema),
    QUARANTINE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-][A-Za-z0-9_./-]*\/$/, 'must be a key prefix ending with "/"')
      .default('quarantine/'),
  })
  .transform((env) => ({ datasetContracts: env.DATASET_CONTRACTS, quarantinePrefix: env.QUARANTINE_PREFIX }));

export type ScreenFilesConfig = z.output<typeof screenFilesEnvSchema>;

export function loadScreenFilesConfig(env: Env): ScreenFilesConfig {
  return loadConfig(screenFilesEnvSchema, env);
}

export interface ScreenResult {
  accepted: string[];
  quarantined: QuarantinedFile[];
  /** Files an earlier attempt quarantined already (a re-run of a failed batch): skipped, not failed again. */
  previouslyQuarantined: QuarantinedFile[];
  /** Under a `warn` contract: per accepted file, the columns and values that do not fit it; absent when none. */
  drift?: FileDrift[];
  screenedAt: string;
}

export interface ScreenFilesDeps {
  config: ScreenFilesConfig;
  s3: ObjectStore;
  now?: () => Date;
}

/**
 * The format first, then the head; then the whole file (see whole-file.ts), since damage can sit anywhere, with
 * the contract's policy checked in the same pass under `strict` and `warn`.
 */
async function judge(
  s3: ObjectStore,
  bucket: string,
  object: ArrivedObject,
  head: Uint8Array,
  contract: DatasetContract,
): Promise<Verdict> {
  const format = formatOf(object.key);
  if (format !== undefined && !contract.formats.includes(format)) {
    return {
      ok: false,
      reason: `format ${format} is not accepted by this dataset (it accepts ${contract.formats.join(', ')})`,
    };
  }
  const required = contract.columns.filter((c) => c.required).map((c) => c.name);
  const verdict = screenHead(object.key, object.size, head, required, contract.csv);
  if (!verdict.ok) return verdict;
  const check = contract.schemaChange === 'evolve' ? undefined : new ContractCheck(contract);
  const read = (start: number, end: number) => readRange(s3, bucket, object.key, start, end);
  const whole = await verifyWholeFile(object.key, read, object.size, undefined, { dialect: contract.csv, check });
  const drift = whole.ok ? check?.drift(object.key) : undefined;
  return drift ? { ok: true, drift } : whole;
}

/** One object: accepted, quarantined now, or found quarantined by an earlier attempt. */
async function screenObject(
  deps: ScreenFilesDeps,
  input: ExecutionInput,
  object: ArrivedObject,
  contract: DatasetContract,
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
  const verdict = await judge(s3, input.bucket, object, head, contract);
  if (verdict.ok) {
    result.accepted.push(object.key);
    if (verdict.drift) result.drift = [...(result.drift ?? []), verdict.drift];
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
  const contract = deps.config.datasetContracts[input.dataset];
  if (!contract) throw new NothingToProcess(`no contract is configured for dataset ${input.dataset}`);
  const result: ScreenResult = {
    accepted: [],
    quarantined: [],
    previouslyQuarantined: [],
    screenedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  for (const object of input.objects) await screenObject(deps, input, object, contract, result);
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
  logger.info('files screened', {
    accepted: result.accepted.length,
    skipped: result.previouslyQuarantined.length,
    drifted: result.drift?.length ?? 0,
  });
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
