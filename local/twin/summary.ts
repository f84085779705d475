// What an operator sees at the end of a local run: status, files, rows read/written/rejected, tables,
// each validation with its details, and where the notification e-mail is. Built from the persisted
// execution (record + history), so `lakepipe run` and `lakepipe describe --summary` agree.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeFailure } from '../../functions/shared/error-cause';
import type { ExecutionInput } from '../../functions/shared/pipeline-input';
import { type ExecutionRecord, type HistoryEvent, summarizeStates } from '../sfn/execution-store';
import type { Twin } from './twin';

export interface ValidationLine {
  name: string;
  passed: boolean;
  details: Record<string, unknown>;
}

export interface RunSummary {
  name: string;
  status: ExecutionRecord['status'];
  error?: string;
  cause?: string;
  files: string[];
  rowsRead?: number;
  rowsWritten?: Record<string, number>;
  rowsRejected?: number;
  tables: { name: string; partitions: number }[];
  validations: ValidationLine[];
  notificationFile?: string;
  notificationSubject?: string;
  stages: { state: string; status: string; durationMs?: number }[];
  durationMs?: number;
}

type Json = Record<string, unknown>;

function lastOutput(history: HistoryEvent[], states: string[]): Json | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i];
    if (e?.type === 'StateExited' && e.index === undefined && e.state && states.includes(e.state)) {
      return e.output as Json | undefined;
    }
  }
  return undefined;
}

function get(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Json)[key] : undefined;
  return node;
}

/** LocalSns names each message `<stamp>-<MessageId>.eml` in the outbox. */
async function outboxFile(twin: Twin, messageId: string): Promise<string | undefined> {
  const names = await readdir(twin.sns.outbox).catch(() => [] as string[]);
  const name = names.find((n) => n.endsWith(`-${messageId}.eml`));
  return name ? path.join(twin.sns.outbox, name) : undefined;
}

export async function summarize(twin: Twin, record: ExecutionRecord): Promise<RunSummary> {
  const history = await twin.store.history(record.name);
  const input = record.input as Partial<ExecutionInput>;
  const summary: RunSummary = {
    name: record.name,
    status: record.status,
    error: record.error,
    cause: record.cause,
    files: (input.objects ?? []).map((o) => o.key),
    tables: [],
    validations: [],
    stages: summarizeStates(history).map((s) => ({ state: s.state, status: s.status, durationMs: s.durationMs })),
    durationMs: record.stopDate ? Date.parse(record.stopDate) - Date.parse(record.startDate) : undefined,
  };

  const jobRunId = get(lastOutput(history, ['RunJob']), 'job', 'Id');
  if (typeof jobRunId === 'string' && input.plan) {
    const stats = await twin.jobs.getRunStats(input.plan.job, jobRunId);
    if (stats) {
      summary.rowsRead = stats.rowsRead;
      summary.rowsWritten = Object.fromEntries(stats.outputs.map((o) => [o.table, o.rowsWritten]));
      // The rows a job kept aside go to a table named for it in every dataset (rejected_transactions, orders_rejected).
      const rejected = stats.outputs.filter((o) => /(^|_)rejected(_|$)/.test(o.table));
      if (rejected.length > 0) summary.rowsRejected = rejected.reduce((n, o) => n + o.rowsWritten, 0);
    }
  }

  const notified = lastOutput(history, ['PublishNotification', 'PublishFailureNotification']);
  const verdicts = get(notified, 'notification', 'validations');
  if (Array.isArray(verdicts)) {
    summary.validations = verdicts.map((v) => ({
      name: String(get(v, 'name')),
      passed: get(v, 'passed') === true,
      details: (get(v, 'details') as Record<string, unknown>) ?? {},
    }));
  }
  const subject = get(notified, 'notification', 'subject');
  if (typeof subject === 'string') summary.notificationSubject = subject;
  const messageId = get(notified, 'published', 'MessageId');
  if (typeof messageId === 'string') summary.notificationFile = await outboxFile(twin, messageId);

  if (input.plan) {
    const tables = await twin.catalog.getTables({ DatabaseName: input.plan.database });
    for (const table of tables.TableList ?? []) {
      const name = table.Name ?? '';
      const partitions = table.PartitionKeys?.length
        ? ((await twin.catalog.getPartitions({ DatabaseName: input.plan.database, TableName: name })).Partitions ?? [])
            .length
        : 0;
      summary.tables.push({ name, partitions });
    }
  }
  return summary;
}

/** Repeated visits of a state (the crawler poll loop) become one entry with a count and the total time. */
export function foldStages(stages: RunSummary['stages']): { state: string; count: number; durationMs: number }[] {
  const folded = new Map<string, { state: string; count: number; durationMs: number }>();
  for (const st of stages) {
    const entry = folded.get(st.state) ?? { state: st.state, count: 0, durationMs: 0 };
    entry.count++;
    entry.durationMs += st.durationMs ?? 0;
    folded.set(st.state, entry);
  }
  return [...folded.values()];
}

export function formatSummary(s: RunSummary): string[] {
  const lines: string[] = [];
  const took = s.durationMs === undefined ? '' : ` in ${(s.durationMs / 1000).toFixed(1)} s`;
  lines.push(`${s.status === 'SUCCEEDED' ? '✓' : '✗'} ${s.name}: ${s.status}${took}`);
  if (s.error) lines.push(`  error: ${describeFailure(s.error, s.cause).slice(0, 600)}`);
  lines.push(`  files: ${s.files.length} (${s.files.slice(0, 3).join(', ')}${s.files.length > 3 ? ', …' : ''})`);
  if (s.rowsRead !== undefined) {
    const written = Object.entries(s.rowsWritten ?? {})
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ');
    lines.push(
      `  rows: read ${s.rowsRead.toLocaleString('en-US')}, rejected ${(s.rowsRejected ?? 0).toLocaleString('en-US')}`,
    );
    lines.push(`  written: ${written}`);
  }
  if (s.tables.length) {
    lines.push(
      `  tables: ${s.tables.map((t) => (t.partitions ? `${t.name} (${t.partitions} partitions)` : t.name)).join(', ')}`,
    );
  }
  for (const v of s.validations) {
    const details = Object.entries(v.details)
      .filter(([, val]) => val !== null && val !== undefined)
      .map(([k, val]) => `${k}=${val}`)
      .join(' ');
    lines.push(`  ${v.passed ? '✓' : '✗'} validation ${v.name}${details ? `: ${details}` : ''}`);
  }
  const stages = foldStages(s.stages)
    .filter((st) => st.durationMs >= 5)
    .map((st) => `${st.state}${st.count > 1 ? ` x${st.count}` : ''} ${(st.durationMs / 1000).toFixed(2)} s`);
  if (stages.length) lines.push(`  stages: ${stages.join(', ')}`);
  if (s.notificationFile) lines.push(`  notification: ${s.notificationSubject ?? ''}\n    ${s.notificationFile}`);
  return lines;
}
