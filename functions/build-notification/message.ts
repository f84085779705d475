// The notification an operator reads: the outcome, an SNS subject (< 100 printable ASCII characters) and a
// plain-text body with dataset, files, schema drift and column type changes, rows, stage timings, validations
// with details, error and cause, re-run.
import type { TypeChange } from '../check-catalog/type-changes';
import type { FileDrift } from '../screen-files/drift';
import { describeCause } from '../shared/error-cause';
import type { ExecutionInput } from '../shared/pipeline-input';
import { reduceValidation, toMillis, type ValidationIteration, type ValidationVerdict } from './validation-verdict';

export const SUBJECT_MAX = 99;
const MAX_FILES_LISTED = 20;

/** The state as the ASL passes it: the execution input plus what earlier states added. */
export interface PipelineState extends Partial<ExecutionInput> {
  /** screen-files' result: accepted keys, files quarantined by an earlier attempt, drift under a warn contract. */
  screening?: {
    accepted?: string[];
    previouslyQuarantined?: Array<{ key: string; location: string }>;
    drift?: FileDrift[];
  };
  catalog?: {
    status?: string;
    attempt?: number;
    message?: string;
    lastCrawl?: { status?: string; startTime?: string };
    /** check-catalog: raw-table columns whose crawled type changed since the last run. */
    typeChanges?: TypeChange[];
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

/** SNS subjects: printable ASCII, no line breaks, under 100 characters. */
export function safeSubject(text: string): string {
  // Line breaks become spaces first, then anything else outside printable ASCII becomes '?'.
  const ascii = text
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?')
    .trim();
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
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

/** What the files carry that the contract does not, accepted under the dataset's `warn` policy. */
function driftSection(state: PipelineState): string[] {
  const drift = state.screening?.drift ?? [];
  if (drift.length === 0) return [];
  const lines = ['Schema drift (accepted: the schema change policy is warn):'];
  for (const file of drift.slice(0, MAX_FILES_LISTED)) {
    lines.push(`  ${file.key}:`);
    if (file.newColumns.length > 0) {
      const more = file.moreNewColumns ? ` and ${file.moreNewColumns} more` : '';
      lines.push(`    new columns, not in the contract: ${file.newColumns.join(', ')}${more}`);
    }
    for (const m of file.misfits) {
      lines.push(
        m.fileType !== undefined
          ? `    ${m.column}: the file's type ${m.fileType} does not fit ${m.type} (${m.values} row(s))`
          : `    ${m.column}: ${m.values} value(s) do not fit ${m.type}, first on line ${m.firstLine}: ${JSON.stringify(m.sample)}`,
      );
    }
  }
  if (drift.length > MAX_FILES_LISTED) lines.push(`  ... and ${drift.length - MAX_FILES_LISTED} more file(s)`);
  return lines;
}

/** Columns whose crawled type changed: a later query or job reading the old type would break on them. */
function typeChangesSection(state: PipelineState): string[] {
  const changes = state.catalog?.typeChanges ?? [];
  if (changes.length === 0) return [];
  return [
    `Column types changed in the raw table ${state.dataset ?? ''} (by the crawler, since the last run):`,
    ...changes.map((c) => `  ${c.column}: ${c.from} -> ${c.to}`),
  ];
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
    const changed = state.screening?.drift?.length || state.catalog?.typeChanges?.length ? ', schema changed' : '';
    subject = `[lakepipe] ${dataset} succeeded${changed}: ${files} file(s), ${summary}`;
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
    typeChangesSection(state),
    driftSection(state),
    rowsSection(verdicts),
    stagesSection(input, verdicts, now),
    validationsSection(verdicts, configured),
    rerunSection(input, outcome),
  ].filter((s) => s.length > 0);
  const message = `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
  return { outcome, subject: safeSubject(subject), message, summary, validations: verdicts };
}
