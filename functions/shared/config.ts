// Configuration is read once at cold start from the environment and validated with zod; any missing or
// invalid value stops the function with a ConfigError that names the variable.
import { z } from 'zod';
import { ConfigError, errorMessage } from './errors';

export type Env = Readonly<Record<string, string | undefined>>;

/** Parses `env` with `schema`; throws ConfigError naming the first bad variable (all problems in the message). */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const where = issue.path.map(String).join('.') || variable;
    return { variable, text: env[variable] === undefined ? `${variable} is missing` : `${where}: ${issue.message}` };
  });
  const first = problems[0]?.variable ?? '(environment)';
  throw new ConfigError(`Invalid configuration: ${problems.map((p) => p.text).join('; ')}`, first, {
    cause: result.error,
  });
}

/** A comma-separated list; blanks are dropped. Missing or empty falls back to `fallback`. */
export function commaList(fallback: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((value) => {
      const items = (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      return items.length > 0 ? items : [...fallback];
    });
}

/** A variable holding JSON, parsed and then checked with `inner`. */
export function jsonVariable<T extends z.ZodType>(inner: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not valid JSON (${errorMessage(error)})` });
        return z.NEVER;
      }
    })
    .pipe(inner);
}

/** A positive decimal number given as text, e.g. REJECTED_SHARE_MAX=0.05. */
export function numberVariable(fallback: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      if (!/^\d+(\.\d+)?$/.test(value.trim())) {
        ctx.addIssue({ code: 'custom', message: `not a plain non-negative number: ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return Number(value);
    });
}

export const DATASET_NAME = /^[a-z][a-z0-9_]*$/;
export const CATALOG_NAME = /^[a-z_][a-z0-9_]*$/;
/** Validation file names (`validations/<name>.sql`): no path separators, no dots. */
export const VALIDATION_NAME = /^[A-Za-z0-9_-]+$/;

/** One DatasetPlan (functions/shared/pipeline-input.ts) as it appears in the DATASETS variable. */
export const datasetPlanSchema = z.object({
  dataset: z.string().regex(DATASET_NAME, 'must match [a-z][a-z0-9_]*'),
  prefix: z
    .string()
    .min(2)
    .refine(
      (p) => p.endsWith('/') && !p.startsWith('/'),
      'must be a key prefix ending with "/" (not starting with "/")',
    ),
  database: z.string().regex(CATALOG_NAME, 'must match [a-z_][a-z0-9_]*'),
  crawler: z.string().min(1).max(255),
  job: z.string().min(1).max(255),
  workgroup: z.string().min(1).max(128),
  validations: z.array(z.string().regex(VALIDATION_NAME, 'must match [A-Za-z0-9_-]+')),
  topicArn: z.string().regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN'),
});

/** The DATASETS array: names and prefixes unique. */
export const datasetPlansSchema = z
  .array(datasetPlanSchema)
  .min(1)
  .superRefine((plans, ctx) => {
    const seenNames = new Set<string>();
    const seenPrefixes = new Set<string>();
    plans.forEach((plan, index) => {
      if (seenNames.has(plan.dataset)) {
        ctx.addIssue({ code: 'custom', path: [index, 'dataset'], message: `duplicate dataset ${plan.dataset}` });
      }
      if (seenPrefixes.has(plan.prefix)) {
        ctx.addIssue({ code: 'custom', path: [index, 'prefix'], message: `duplicate prefix ${plan.prefix}` });
      }
      seenNames.add(plan.dataset);
      seenPrefixes.add(plan.prefix);
    });
  });
