// One RunValidations iteration reduced to { name, passed, details }: the query must return exactly one row
// with a boolean `passed`; anything else fails the validation with the problem named.

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

export function toMillis(value: number | string | undefined): number | undefined {
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
