// A Step Functions Cause made readable in one line: a Lambda error payload (errorType, errorMessage, trace),
// a Glue JobRun or an Athena query execution is unpacked; anything else is shown as it is, bounded.
const MAX_CAUSE_CHARS = 2000;

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

/** One line for an error and its cause, as an operator reads them: the error's name once, no stack trace. */
export function describeFailure(error: string | undefined, cause: string | undefined): string {
  const described = cause ? describeCause(cause).replace(/\s+/g, ' ').trim() : '';
  if (!error) return described;
  if (!described) return error;
  return described.startsWith(`${error}:`) ? described : `${error}: ${described}`;
}
