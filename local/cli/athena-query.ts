// Athena queries as the CLI (and the end-to-end tests) run them: start, poll, page through the results.
import type * as Athena from '@aws-sdk/client-athena';
import type { AthenaPort } from '../../functions/shared/ports';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Runs one query through an Athena port and returns its rows as objects (values as Athena gives them: text). */
export async function runQuery(
  athena: AthenaPort,
  request: Athena.StartQueryExecutionInput,
  maxRows = Number.POSITIVE_INFINITY,
  pollMs = 20,
): Promise<{ columns: Athena.ColumnInfo[]; rows: Record<string, string | null>[]; execution: Athena.QueryExecution }> {
  const { QueryExecutionId } = await athena.startQueryExecution(request);
  let execution: Athena.QueryExecution | undefined;
  for (;;) {
    execution = (await athena.getQueryExecution({ QueryExecutionId })).QueryExecution;
    if (TERMINAL.has(execution?.Status?.State ?? '')) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (execution?.Status?.State !== 'SUCCEEDED') {
    throw new QueryFailedError(execution?.Status?.StateChangeReason ?? 'query failed', execution ?? {});
  }
  const rows: Record<string, string | null>[] = [];
  let columns: Athena.ColumnInfo[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.getQueryResults({ QueryExecutionId, NextToken: nextToken, MaxResults: 1000 });
    columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? columns;
    const names = columns.map((c) => c.Name ?? '');
    // Athena's first page starts with a header row for SELECT statements.
    const data = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
    first = false;
    for (const row of data) {
      if (rows.length >= maxRows) break;
      rows.push(Object.fromEntries(names.map((n, i) => [n, row.Data?.[i]?.VarCharValue ?? null])));
    }
    nextToken = page.NextToken;
  } while (nextToken && rows.length < maxRows);
  return { columns, rows, execution };
}

export class QueryFailedError extends Error {
  constructor(
    message: string,
    readonly execution: Athena.QueryExecution,
  ) {
    super(message);
    this.name = 'QueryFailedError';
  }
}

export function formatTable(columns: string[], rows: Record<string, string | null>[]): string[] {
  const widths = columns.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => (r[c] ?? 'NULL').length))));
  const cell = (v: string, i: number) =>
    v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0);
  return [
    columns.map(cell).join(' | '),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map((r) => columns.map((c, i) => cell(r[c] ?? 'NULL', i)).join(' | ')),
  ];
}
