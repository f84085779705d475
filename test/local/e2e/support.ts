// Helpers for end-to-end tests on the twin: a fresh workspace, generated files, a run to the end, and an
// independent model of what the job must produce (computed from the CSV here, never from the engine).
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runQuery } from '../../../local/cli/athena-query';
import { type GenerateOptions, generateTransactionsFile } from '../../../local/generate/transactions';
import type { ExecutionRecord } from '../../../local/sfn/execution-store';
import { defaultSettings, type TwinSettings } from '../../../local/twin/config';
import { deliverArrivals, landFiles, waitForExecutions } from '../../../local/twin/pipeline-run';
import { createTwin, type Twin } from '../../../local/twin/twin';

export async function tempDir(prefix = 'lakepipe-e2e-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function newTwin(overrides: Partial<TwinSettings> = {}, home?: string): Promise<Twin> {
  const settings: TwinSettings = {
    ...defaultSettings(home ?? (await tempDir())),
    alertEmail: 'ops@example.com',
    smtpUrl: undefined,
    syncPollMs: 10,
    asOf: '2025-07-01',
    ...overrides,
  };
  return createTwin(settings);
}

export async function generated(dir: string, name: string, options: GenerateOptions): Promise<string> {
  const file = path.join(dir, name);
  await generateTransactionsFile(file, options);
  return file;
}

/** Lands the files, delivers their notifications, and waits for every execution started. */
export async function runFiles(twin: Twin, files: string[], batchSize?: number): Promise<ExecutionRecord[]> {
  const arrival = await deliverArrivals(twin, await landFiles(twin, files), batchSize);
  return waitForExecutions(twin, arrival.started);
}

export async function sql(twin: Twin, query: string): Promise<Record<string, string | null>[]> {
  const out = await runQuery(twin.athena, {
    QueryString: query,
    QueryExecutionContext: { Database: twin.plan.database },
    WorkGroup: twin.plan.workgroup,
  });
  return out.rows;
}

export interface ExpectedLoad {
  rowsIn: number;
  /** Distinct transaction ids among valid rows (the first valid occurrence is kept). */
  enriched: number;
  /** Sum of kept amounts, in cents. */
  enrichedCents: number;
  /** Distinct year-month of kept rows. */
  months: number;
  customers: number;
}

/**
 * The job's rules, written independently: a row is valid with a customer id, a positive numeric amount and a
 * real ISO date; among valid rows sharing a transaction id the one kept is the first by (file, date, amount),
 * as the job's 04-checked.sql documents.
 */
export function expectedLoad(files: string[]): ExpectedLoad {
  const kept = new Map<string, { file: number; date: string; cents: number; customer: string }>();
  let rowsIn = 0;
  files.forEach((file, fileIndex) => {
    const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
    const cols = (header ?? '').split(',');
    const at = (name: string) => cols.indexOf(name);
    for (const line of lines) {
      rowsIn++;
      const cells = line.split(',');
      const id = cells[at('transaction_id')] ?? '';
      const customer = cells[at('customer_id')] ?? '';
      const amount = cells[at('transaction_amount')] ?? '';
      const date = cells[at('transaction_date')] ?? '';
      const validAmount = /^-?\d+(\.\d+)?$/.test(amount) && Number(amount) > 0;
      const validDate =
        /^\d{4}-\d{2}-\d{2}$/.test(date) &&
        !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) &&
        new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
      if (!customer || !validAmount || !validDate || id === '') continue;
      const row = { file: fileIndex, date, cents: Math.round(Number(amount) * 100), customer };
      const previous = kept.get(id);
      const earlier =
        !previous ||
        row.file < previous.file ||
        (row.file === previous.file &&
          (row.date < previous.date || (row.date === previous.date && row.cents < previous.cents)));
      if (earlier) kept.set(id, row);
    }
  });
  const rows = [...kept.values()];
  return {
    rowsIn,
    enriched: rows.length,
    enrichedCents: rows.reduce((sum, r) => sum + r.cents, 0),
    months: new Set(rows.map((r) => r.date.slice(0, 7))).size,
    customers: new Set(rows.map((r) => r.customer)).size,
  };
}

/** Reads an .eml as a mail client shows it: unfolded headers, and the body decoded from quoted-printable. */
export function readEml(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  if (headers['content-transfer-encoding']?.toLowerCase() === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

/** Status with error and cause, so a failed expectation shows why the execution ended as it did. */
export function outcome(record: ExecutionRecord | undefined): { status?: string; error?: string; cause?: string } {
  return { status: record?.status, error: record?.error, cause: record?.cause?.slice(0, 1500) };
}
