// Task Lambda of BuildNotification / BuildFailureNotification: reduces each validation query's result to
// { name, passed, details }, decides the outcome, and writes the SNS subject (< 100 characters) and a plain-text
// body an operator can act on: dataset, files, validations with details, stage timings, error and cause, re-run.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import type { ExecutionInput } from '../shared/pipeline-input';

export const SUBJECT_MAX = 99;
const MAX_FILES_LISTED = 20;
const MAX_CAUSE_CHARS = 2000;

interface Cell {
  VarCharValue?: string;
}

/** One RunValidations iteration: the Map's item plus what the two Athena tasks put in it. */
export interface ValidationIteration {
  name: string;
  execution?: {
    queryExecutionId?: string;
    status?: { State?: string; SubmissionDateTime?: number | string; CompletionDateTime?: number | string };
  };
  result?: { columns?: Array<{ Name?: string; Type?: string }>; rows?: Array<{ Data?: Cell[] }> };
}

export interface ValidationVerdict {
  name: string;
  passed: boolean;
  /** The query's other columns, as Athena returned them (text or null). */
  details: Record<string, string | null>;
  /** Why the result could not be read as one row with a boolean `passed`, when that is the case. */
  problem?: string;
  queryExecutionId?: string;
  durationMs?: number;
}

/** The state as the ASL passes it: the execution input plus what earlier states added. */
export interface PipelineState extends Partial<ExecutionInput> {
  /** screen-files' result: accepted keys and files quarantined by an earlier attempt. */
  screening?: { accepted?: string[]; previouslyQuarantined?: Array<{ key: string; location: string }> };
  catalog?: {
    status?: string;
    attempt?: number;
    message?: string;
    lastCrawl?: { status?: string; startTime?: string };
  };
  job?: {
    Id?: string;
    JobRunState?: string;
    ExecutionTime?: number;
    StartedOn?: number | string;
    CompletedOn?: number | string;
    ErrorMessage?: string;
  };
  validationResults?: ValidationIteration[];
  error?: { Error?: string; Cause?: string };
}

export interface BuildNotificationInput {
  kind: 'completed' | 'failed';
  execution: { name: string; id?: string; startTime?: string; stateMachine?: string };
  state: PipelineState;
}

export type Outcome = 'SUCCEEDED' | 'VALIDATION_FAILED' | 'FAILED';

export interface Notification {
  outcome: Outcome;
  subject: string;
  message: string;
  /** One line: the Cause of the ValidationFailed Fail state. */
  summary: string;
  validations: ValidationVerdict[];
}

export interface BuildNotificationDeps {
  now?: () => Date;
}

function toMillis(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const millis = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(millis) ? millis : undefined;
}

/** Reduces one query result; header row (Athena's first row for SELECT) skipped, exactly one data row required. */
export function reduceValidation(iteration: ValidationIteration): ValidationVerdict {
  const names = (iteration.result?.columns ?? []).map((c) => c.Name ?? '');
  const rows = (iteration.result?.rows ?? []).map((r) => (r.Data ?? []).map((cell) => cell.VarCharValue ?? null));
  const isHeader = (row: Array<string | null>) => row.length === names.length && row.every((v, i) => v === names[i]);
  const dataRows = rows.length > 0 && rows[0] && isHeader(rows[0]) ? rows.slice(1) : rows;
  const submitted = toMillis(iteration.execution?.status?.SubmissionDateTime);
  const completed = toMillis(iteration.execution?.status?.CompletionDateTime);
  const verdict = {
    name: iteration.name,
    queryExecutionId: iteration.execution?.queryExecutionId,
    ...(submitted !== undefined && completed !== undefined ? { durationMs: completed - submitted } : {}),
  };
  const row = dataRows[0];
  if (dataRows.length !== 1 || !row) {
    const problem = dataRows.length === 0 ? 'returned no row' : 'returned more than one row';
    return { ...verdict, passed: false, details: {}, problem: `${problem} (a validation returns exactly one)` };
  }
  const details: Record<string, string | null> = {};
  let passedText: string | null | undefined;
  names.forEach((name, i) => {
    if (name.toLowerCase() === 'passed') passedText = row[i] ?? null;
    else details[name] = row[i] ?? null;
  });
  if (passedText === undefined) return { ...verdict, passed: false, details, problem: 'has no column "passed"' };
  if (passedText !== 'true' && passedText !== 'false') {
    return { ...verdict, passed: false, details, problem: `"passed" is ${passedText ?? 'NULL'}, not a boolean` };
  }
  return { ...verdict, passed: passedText === 'true', details };
}

/** SNS subjects: printable ASCII, no line breaks, under 100 characters. */
export function safeSubject(text: string): string {
  // Line breaks become spaces first, then anything else outside printable ASCII becomes '?'.
  const ascii = text
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?')
    .trim();
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

/** A readable line for a Step Functions Cause: Lambda errors, Glue JobRuns and Athena executions are unpacked. */
export function describeCause(cause: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return cause.slice(0, MAX_CAUSE_CHARS);
  }
  const c = (parsed ?? {}) as Record<string, unknown>;
  if (typeof c.errorMessage === 'string') return `${String(c.errorType ?? 'Error')}: ${c.errorMessage}`;
  if (typeof c.JobRunState === 'string') {
    return `Glue job ${String(c.JobName ?? '')} run ${String(c.Id ?? '')} ended ${c.JobRunState}: ${String(c.ErrorMessage ?? '(no error message)')}`;
  }
  const qe = c.QueryExecution as
    | { QueryExecutionId?: string; Status?: { State?: string; StateChangeReason?: string } }
    | undefined;
  if (qe?.Status) {
    return `Athena query ${qe.QueryExecutionId ?? ''} ended ${qe.Status.State ?? ''}: ${qe.Status.StateChangeReason ?? '(no reason given)'}`;
  }
  return JSON.stringify(parsed, null, 2).slice(0, MAX_CAUSE_CHARS);
}

/** Where a failed execution stopped, from what the state already holds. */
export function failedStage(state: PipelineState): string {
  if (!state.screening) return 'file screening';
  if (state.catalog?.status !== 'FRESH') return 'catalog (crawler)';
  if (!state.job) return 'Glue job';
  if (!state.validationResults) return 'validations';
  return 'notification';
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

function stateMachineArn(executionArn: string | undefined): string | undefined {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):execution:([^:]+):/.exec(executionArn ?? '');
  return m ? `${m[1]}:stateMachine:${m[2]}` : undefined;
}

function filesSection(state: PipelineState): string[] {
  const objects = state.objects ?? [];
  const lines = [`Files (${objects.length}, bucket ${state.bucket ?? '?'}):`];
  for (const o of objects.slice(0, MAX_FILES_LISTED)) {
    lines.push(`  - s3://${state.bucket ?? '?'}/${o.key} (${sizeText(o.size)}, arrived ${o.eventTime})`);
  }
  if (objects.length > MAX_FILES_LISTED) lines.push(`  ... and ${objects.length - MAX_FILES_LISTED} more`);
  for (const q of state.screening?.previouslyQuarantined ?? []) {
    lines.push(`  skipped ${q.key}: quarantined by an earlier attempt, now at ${q.location}`);
  }
  return lines;
}

function stagesSection(input: BuildNotificationInput, verdicts: ValidationVerdict[], now: Date): string[] {
  const { state } = input;
  const lines = ['Stages:'];
  const catalog = state.catalog;
  if (catalog?.status) {
    const crawl = catalog.lastCrawl?.startTime ? `, crawl started ${catalog.lastCrawl.startTime}` : '';
    lines.push(`  catalog     ${catalog.status} after ${catalog.attempt ?? 0} check(s)${crawl}`);
  }
  const job = state.job;
  if (job) {
    const started = toMillis(job.StartedOn);
    const done = toMillis(job.CompletedOn);
    const took =
      job.ExecutionTime !== undefined
        ? ` in ${job.ExecutionTime} s`
        : started !== undefined && done !== undefined
          ? ` in ${seconds(done - started)}`
          : '';
    lines.push(`  job         ${state.plan?.job ?? ''} run ${job.Id ?? '?'} ${job.JobRunState ?? '?'}${took}`);
  }
  for (const v of verdicts) {
    lines.push(`  validation  ${v.name}${v.durationMs !== undefined ? ` in ${seconds(v.durationMs)}` : ''}`);
  }
  const start = toMillis(input.execution.startTime);
  if (start !== undefined) lines.push(`  total       ${seconds(now.getTime() - start)} so far`);
  return lines.length > 1 ? lines : [];
}

/** Row counts, when validations report them (rows_in, rows_out, rejected, duplicates columns). */
const ROW_COUNTS: ReadonlyArray<[string, string]> = [
  ['rows_in', 'read'],
  ['rows_out', 'written'],
  ['rejected', 'rejected'],
  ['duplicates', 'duplicates dropped'],
];

function rowsSection(verdicts: ValidationVerdict[]): string[] {
  const parts = ROW_COUNTS.flatMap(([column, label]) => {
    const value = verdicts.map((v) => v.details[column]).find((d) => d !== undefined && d !== null);
    return value === undefined || value === null ? [] : [`${label} ${value}`];
  });
  return parts.length > 0 ? [`Rows: ${parts.join(', ')}`] : [];
}

function validationsSection(verdicts: ValidationVerdict[], configured: number): string[] {
  if (verdicts.length === 0) return configured === 0 ? ['Validations: none configured for this dataset.'] : [];
  const lines = ['Validations:'];
  for (const v of verdicts) {
    const details = Object.entries(v.details)
      .map(([k, value]) => `${k}=${value ?? 'NULL'}`)
      .join(', ');
    lines.push(`  [${v.passed ? 'PASS' : 'FAIL'}] ${v.name}${details ? `: ${details}` : ''}`);
    if (v.problem) lines.push(`         the query ${v.problem}`);
    if (v.queryExecutionId) lines.push(`         Athena query execution ${v.queryExecutionId}`);
  }
  return lines;
}

/** Every message says how to re-run; a failed one also how to redrive (a success has nothing to resume). */
function rerunSection(input: BuildNotificationInput, outcome: Outcome): string[] {
  const name = input.execution.name;
  const smArn = stateMachineArn(input.execution.id);
  return [
    'How to re-run:',
    `  lakepipe rerun ${name}      a new execution with the same input (named ${name}-rerun-<n>)`,
    ...(outcome === 'SUCCEEDED'
      ? []
      : [`  lakepipe redrive ${name}    resume this execution from the state that failed`]),
    ...(smArn
      ? [
          `  On AWS: lakepipe rerun --aws --state-machine-arn ${smArn} ${name}`,
          `          or the Step Functions console: state machine ${input.execution.stateMachine ?? ''},`,
          `          execution ${name}, "New execution" with the same input.`,
          `  Execution ARN: ${input.execution.id}`,
        ]
      : []),
  ];
}

export function buildNotification(input: BuildNotificationInput, now: Date): Notification {
  const { state } = input;
  const dataset = state.dataset ?? state.plan?.dataset ?? 'unknown dataset';
  const files = state.objects?.length ?? 0;
  const verdicts = (state.validationResults ?? []).map(reduceValidation);
  const failedValidations = verdicts.filter((v) => !v.passed);
  const configured = state.plan?.validations?.length ?? 0;

  let outcome: Outcome;
  let subject: string;
  let summary: string;
  let headline: string[];
  if (input.kind === 'failed') {
    outcome = 'FAILED';
    const errorName = state.error?.Error ?? 'UnknownError';
    const stage = failedStage(state);
    summary = `${errorName} in the ${stage} stage`;
    subject = `[lakepipe] ${dataset} FAILED in ${stage}: ${errorName}`;
    headline = [
      `The pipeline FAILED for dataset ${dataset} in the ${stage} stage.`,
      '',
      `Error: ${errorName}`,
      `Cause: ${describeCause(state.error?.Cause ?? '(no cause given)')}`,
    ];
  } else if (failedValidations.length > 0) {
    outcome = 'VALIDATION_FAILED';
    const names = failedValidations.map((v) => v.name).join(', ');
    summary = `${failedValidations.length} of ${verdicts.length} validation(s) failed: ${names}`;
    subject = `[lakepipe] ${dataset} validation failed: ${names}`;
    headline = [
      `Validation FAILED for dataset ${dataset}: ${summary}.`,
      'The job has written its output; check the failed validations below before using it.',
    ];
  } else {
    outcome = 'SUCCEEDED';
    summary = verdicts.length > 0 ? `all ${verdicts.length} validation(s) passed` : 'no validations configured';
    subject = `[lakepipe] ${dataset} succeeded: ${files} file(s), ${summary}`;
    headline = [`The pipeline SUCCEEDED for dataset ${dataset}: ${summary}.`];
  }

  const sections = [
    headline,
    [
      `Execution: ${input.execution.name}`,
      ...(input.execution.startTime ? [`Started:   ${input.execution.startTime}`] : []),
      `Trigger:   ${state.trigger ?? '?'}${state.receivedAt ? `, received ${state.receivedAt}` : ''}`,
      ...(state.plan
        ? [`Database:  ${state.plan.database}, job ${state.plan.job}, crawler ${state.plan.crawler}`]
        : []),
    ],
    filesSection(state),
    rowsSection(verdicts),
    stagesSection(input, verdicts, now),
    validationsSection(verdicts, configured),
    rerunSection(input, outcome),
  ].filter((s) => s.length > 0);
  const message = `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
  return { outcome, subject: safeSubject(subject), message, summary, validations: verdicts };
}

// The state is what earlier states added, read field by field with defaults; only its being an object is required.
export const buildNotificationInputSchema = z.object({
  kind: z.enum(['completed', 'failed']),
  execution: z.looseObject({
    name: z.string().min(1),
    id: z.string().optional(),
    startTime: z.string().optional(),
    stateMachine: z.string().optional(),
  }),
  state: z.looseObject({}),
});

function parseInput(event: unknown): BuildNotificationInput {
  const input = parseTaskInput(
    buildNotificationInputSchema,
    event,
    'build-notification',
    '{ kind: completed|failed, execution: { name }, state }',
    (message) => new InvalidEventError(message),
  );
  return { ...input, state: input.state as PipelineState };
}

export function createHandler(deps: BuildNotificationDeps = {}) {
  const now = deps.now ?? (() => new Date());
  return middy<unknown, Notification>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const input = parseInput(event);
      const notification = buildNotification(input, now());
      logger.info('notification built', {
        executionName: input.execution.name,
        outcome: notification.outcome,
        validations: notification.validations.length,
      });
      return notification;
    });
}
