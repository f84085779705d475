// An independent, plain TypeScript statement of what the customer-analytics job must produce, used to work out
// the golden tests' expected outputs without running the job's SQL. Amounts are integer cents throughout.
import { readFileSync } from 'node:fs';

export interface RawRow {
  transaction_id: string | null;
  customer_id: string | null;
  amount: string | null;
  date: string | null;
  store_id: string | null;
  channel: string | null;
  product_category: string | null;
  source_file: string;
}

/** Reads a fixture CSV (no quoted fields); an empty field is NULL, as the crawled CSV table reads it. */
export function readFixture(file: string, uri: string): RawRow[] {
  const [, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.map((line) => {
    const f = line.split(',').map((v) => (v === '' ? null : v));
    return {
      transaction_id: f[0] ?? null,
      customer_id: f[1] ?? null,
      amount: f[2] ?? null,
      date: f[3] ?? null,
      store_id: f[4] ?? null,
      channel: f[5] ?? null,
      product_category: f[6] ?? null,
      source_file: uri,
    };
  });
}

const blankToNull = (v: string | null): string | null => (v === null || v.trim() === '' ? null : v.trim());

/** Decimal text -> cents, rounding half away from zero; null when not a plain decimal number. */
export function toCents(text: string | null): number | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec((text ?? '').trim());
  if (!m || `${m[2]}${m[3] ?? ''}` === '') return null;
  const frac = `${m[3] ?? ''}000`;
  const abs = Number(m[2] || '0') * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  return m[1] === '-' ? -abs : abs;
}

/** Spark's string-to-date: yyyy[-m[m][-d[d][ |T...]]]; null when not a real calendar date. */
export function toDate(text: string | null): string | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?$/.exec((text ?? '').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export interface Enriched {
  transaction_id: string;
  customer_id: string;
  cents: number;
  date: string;
  day_of_week: number;
  amount_category: string;
  year: number;
  month: number;
  source_file: string;
  run_id: string;
}

export interface Rejected {
  transaction_id: string | null;
  reject_reason: string;
  cents: number | null;
  source_file: string;
  run_id: string;
}

export interface RunResult {
  enriched: Enriched[];
  rejected: Rejected[];
  rowsIn: number;
  validCents: number;
}

function reasonFor(r: RawRow, cents: number | null, date: string | null): string | null {
  if (blankToNull(r.transaction_id) === null) return 'missing_transaction_id';
  if (blankToNull(r.customer_id) === null) return 'missing_customer_id';
  if (cents === null) return 'non_numeric_amount';
  if (cents <= 0) return 'non_positive_amount';
  if (blankToNull(r.date) === null) return 'missing_date';
  if (date === null) return 'unparseable_date';
  return null;
}

/** One run: validity, de-duplication against `loadedIds` and within the run, enrichment. */
export function runModel(rows: RawRow[], runId: string, loadedIds: Set<string>): RunResult {
  const enriched: Enriched[] = [];
  const rejected: Rejected[] = [];
  let validCents = 0;
  const valid: Array<{ r: RawRow; cents: number; date: string }> = [];
  for (const r of rows) {
    const cents = toCents(r.amount);
    const date = toDate(r.date);
    const reason = reasonFor(r, cents, date);
    if (reason !== null) {
      rejected.push({
        transaction_id: blankToNull(r.transaction_id),
        reject_reason: reason,
        cents,
        source_file: r.source_file,
        run_id: runId,
      });
    } else if (cents !== null && date !== null) {
      valid.push({ r, cents, date });
      validCents += cents;
    }
  }
  // The kept row of an id is the first by source_file, date, amount, customer, pass-through columns.
  const key = (v: (typeof valid)[number]): string =>
    [
      v.r.source_file,
      v.date,
      String(v.cents).padStart(15, '0'),
      v.r.customer_id,
      v.r.store_id ?? '',
      v.r.channel ?? '',
      v.r.product_category ?? '',
    ].join('\u0001');
  valid.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const seen = new Set<string>();
  for (const { r, cents, date } of valid) {
    const id = (r.transaction_id ?? '').trim();
    if (loadedIds.has(id) || seen.has(id)) {
      rejected.push({
        transaction_id: id,
        reject_reason: 'duplicate_transaction_id',
        cents,
        source_file: r.source_file,
        run_id: runId,
      });
      continue;
    }
    seen.add(id);
    enriched.push({
      transaction_id: id,
      customer_id: (r.customer_id ?? '').trim(),
      cents,
      date,
      day_of_week: new Date(`${date}T00:00:00Z`).getUTCDay() + 1,
      amount_category: cents < 5000 ? 'low' : cents < 20000 ? 'medium' : 'high',
      year: Number(date.slice(0, 4)),
      month: Number(date.slice(5, 7)),
      source_file: r.source_file,
      run_id: runId,
    });
  }
  return { enriched, rejected, rowsIn: rows.length, validCents };
}

export interface TransactionMetric {
  customer_id: string;
  transaction_id: string;
  transaction_rank: number;
  running_total_cents: number;
  days_since_previous: number | null;
}

export interface CustomerSegment {
  customer_id: string;
  total_cents: number;
  avg_amount: number;
  transaction_count: number;
  first_date: string;
  last_date: string;
  volatility: number | null;
  lifetime_days: number;
  avg_days_between: number | null;
  recency_days: number;
  segment: string;
}

const byDateThenId = (a: Enriched, b: Enriched): number =>
  a.date === b.date ? (a.transaction_id < b.transaction_id ? -1 : 1) : a.date < b.date ? -1 : 1;

export function transactionMetrics(all: Enriched[]): TransactionMetric[] {
  const out: TransactionMetric[] = [];
  const customers = new Map<string, Enriched[]>();
  for (const e of all) customers.set(e.customer_id, [...(customers.get(e.customer_id) ?? []), e]);
  for (const [customer, txs] of customers) {
    let total = 0;
    let previous: string | null = null;
    [...txs].sort(byDateThenId).forEach((t, i) => {
      total += t.cents;
      out.push({
        customer_id: customer,
        transaction_id: t.transaction_id,
        transaction_rank: i + 1,
        running_total_cents: total,
        days_since_previous: previous === null ? null : daysBetween(previous, t.date),
      });
      previous = t.date;
    });
  }
  return out;
}

/** Spark percentile_approx on exact data: the value at 1-based rank ceil(p * n) of the sorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
  if (v === undefined) throw new Error('no values');
  return v;
}

export function customerSegments(all: Enriched[], asOf: string): CustomerSegment[] {
  const customers = new Map<string, Enriched[]>();
  for (const e of all) customers.set(e.customer_id, [...(customers.get(e.customer_id) ?? []), e]);
  const base = [...customers].map(([customer, txs]) => {
    const amounts = txs.map((t) => t.cents / 100);
    const n = txs.length;
    const mean = amounts.reduce((s, a) => s + a, 0) / n;
    const dates = txs.map((t) => t.date).sort();
    const first = dates[0] ?? '';
    const last = dates[n - 1] ?? '';
    const lifetime = daysBetween(first, last);
    return {
      customer_id: customer,
      total_cents: txs.reduce((s, t) => s + t.cents, 0),
      avg_amount: mean,
      transaction_count: n,
      first_date: first,
      last_date: last,
      volatility: n > 1 ? Math.sqrt(amounts.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1)) : null,
      lifetime_days: lifetime,
      avg_days_between: n > 1 ? lifetime / (n - 1) : null,
      recency_days: daysBetween(last, asOf),
    };
  });
  const m80 = percentile(
    base.map((c) => c.total_cents),
    0.8,
  );
  const f80 = percentile(
    base.map((c) => c.transaction_count),
    0.8,
  );
  const r20 = percentile(
    base.map((c) => c.recency_days),
    0.2,
  );
  return base.map((c) => {
    const [r, f, m] = [c.recency_days <= r20, c.transaction_count >= f80, c.total_cents >= m80];
    const segment =
      r && f && m
        ? 'champion'
        : r && f
          ? 'loyal_customer'
          : m
            ? 'big_spender'
            : f
              ? 'frequent_buyer'
              : 'regular_customer';
    return { ...c, segment };
  });
}
