// The execution input contract (docs/architecture.md, "Execution input"): self-contained, so "New execution" in
// the console and `lakepipe rerun` work from it alone. The schema is what the first task checks it against.
import { z } from 'zod';
import { datasetPlanSchema } from './config';

/** One dataset's resolved plan: the deploy-time (or twin) names of everything its execution touches. */
export interface DatasetPlan {
  /** Dataset name, `[a-z][a-z0-9_]*`; also the catalog table name of its raw data. */
  dataset: string;
  /** Raw prefix that maps keys to this dataset, e.g. `raw/customer_transactions/`. */
  prefix: string;
  database: string;
  crawler: string;
  job: string;
  workgroup: string;
  /** Names of `validations/<name>.sql` to run after the job. */
  validations: string[];
  topicArn: string;
}

export interface ArrivedObject {
  key: string;
  size: number;
  eTag: string;
  sequencer: string;
  /** ISO 8601, from the S3 event record. */
  eventTime: string;
}

export interface ExecutionInput {
  dataset: string;
  bucket: string;
  objects: ArrivedObject[];
  receivedAt: string;
  trigger: 's3' | 'manual';
  plan: DatasetPlan;
}

const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not an ISO 8601 time');

export const arrivedObjectSchema = z.object({
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
  eTag: z.string(),
  sequencer: z.string(),
  eventTime: isoTime,
});

export const executionInputSchema = z.object({
  dataset: z.string().min(1),
  bucket: z.string().min(1),
  objects: z.array(arrivedObjectSchema).min(1),
  receivedAt: isoTime,
  trigger: z.enum(['s3', 'manual']),
  plan: datasetPlanSchema,
}) satisfies z.ZodType<ExecutionInput>;
