// Task Lambda of the PrepareValidations state: reads datasets/<dataset>/validations/<name>.sql for each validation
// of the plan (the dataset registry, docs/datasets.md) and
// substitutes the three placeholders the contract allows, each with a validated value. Nothing else is ever
// spliced into SQL; any other ${...} in a file is an error, so a typo cannot reach Athena.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { DATASET_NAME, type Env, loadConfig, numberVariable, VALIDATION_NAME } from '../shared/config';
import { errorMessage } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import { ValidationQueryError } from './errors';
import { placeholderSql, renderValidation } from './render';

export const prepareValidationsEnvSchema = z
  .object({
    DATASETS_DIR: z.string().min(1).optional().default('datasets'),
    REJECTED_SHARE_MAX: numberVariable(0.05).refine((n) => n <= 1, 'must be a share between 0 and 1'),
  })
  .transform((env) => ({
    datasetsDir: path.resolve(env.DATASETS_DIR),
    rejectedShareMax: env.REJECTED_SHARE_MAX,
  }));

export type PrepareValidationsConfig = z.output<typeof prepareValidationsEnvSchema>;

export function loadPrepareValidationsConfig(env: Env): PrepareValidationsConfig {
  return loadConfig(prepareValidationsEnvSchema, env);
}

export const prepareValidationsInputSchema = z.object({
  // Names a folder under DATASETS_DIR: the pattern keeps it one plain folder name.
  dataset: z.string().regex(DATASET_NAME, 'must match [a-z][a-z0-9_]*'),
  database: z.string(),
  runId: z.string(),
  validations: z.array(z.string()),
});

export type PrepareValidationsInput = z.output<typeof prepareValidationsInputSchema>;

export interface PreparedQuery {
  name: string;
  queryString: string;
}

export interface PrepareValidationsDeps {
  config: PrepareValidationsConfig;
  /** Reads a validation file; defaults to the file system. */
  readText?: (file: string) => Promise<string>;
}

export async function prepareValidations(
  deps: PrepareValidationsDeps,
  input: PrepareValidationsInput,
): Promise<PreparedQuery[]> {
  const rendered = placeholderSql({
    database: input.database,
    runId: input.runId,
    rejectedShareMax: deps.config.rejectedShareMax,
  });
  const readText = deps.readText ?? ((file: string) => readFile(file, 'utf8'));
  const queries: PreparedQuery[] = [];
  for (const name of input.validations) {
    // The name becomes a file path: no separators, no dots, nothing outside the validations folder.
    if (!VALIDATION_NAME.test(name)) {
      throw new ValidationQueryError(`validation name ${JSON.stringify(name)} is not [A-Za-z0-9_-]+`, name);
    }
    const file = path.join(deps.config.datasetsDir, input.dataset, 'validations', `${name}.sql`);
    let sql: string;
    try {
      sql = await readText(file);
    } catch (error) {
      throw new ValidationQueryError(`cannot read ${file}: ${errorMessage(error)}`, name, { cause: error });
    }
    const queryString = renderValidation(name, sql, rendered).trim();
    if (queryString === '') throw new ValidationQueryError(`${file} is empty`, name);
    queries.push({ name, queryString });
  }
  return queries;
}

export function createHandler(deps: PrepareValidationsDeps) {
  return middy<unknown, PreparedQuery[]>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const input = parseTaskInput(
        prepareValidationsInputSchema,
        event,
        'prepare-validations',
        '{ dataset, database, runId, validations: string[] }',
        (message) => new ValidationQueryError(message, ''),
      );
      const queries = await prepareValidations(deps, input);
      logger.info('validations prepared', { runId: input.runId, validations: queries.map((q) => q.name) });
      return queries;
    });
}
