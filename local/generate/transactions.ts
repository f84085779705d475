// Realistic customer transactions for the reference workload: a skewed customer distribution (a few
// customers buy a lot), dates over many months, and a share of dirty rows of every kind the ETL job
// must reject or deduplicate. Deterministic for a seed, streamed so 10 million rows fit in little memory.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export const TRANSACTION_COLUMNS = [
  'transaction_id',
  'customer_id',
  'transaction_amount',
  'transaction_date',
  'store_id',
  'channel',
  'product_category',
] as const;

export type DirtyKind = 'null_customer' | 'non_positive_amount' | 'non_numeric_amount' | 'bad_date' | 'duplicate_id';
const DIRTY_KINDS: readonly DirtyKind[] = [
  'null_customer',
  'non_positive_amount',
  'non_numeric_amount',
  'bad_date',
  'duplicate_id',
];

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** Share of rows that are dirty, 0..1 (default 0.02). */
  dirtyRate?: number;
  /** Distinct customers (default: rows / 20, at least 10). */
  customers?: number;
  /** First day of the date range, ISO (default 2024-01-01), and how many days it spans (default 540). */
  startDate?: string;
  days?: number;
  /** Prefix of transaction ids, so several files never collide by accident (default 'T'). */
  idPrefix?: string;
}

export interface GenerateStats {
  rows: number;
  bytes: number;
  dirty: Record<DirtyKind, number>;
}

export class GenerateOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerateOptionsError';
  }
}

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; good enough for test data, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANNELS = ['store', 'web', 'app'] as const;
const CATEGORIES = ['grocery', 'electronics', 'clothing', 'home', 'beauty', 'sports', 'toys'] as const;
const DAY_MS = 86_400_000;

/** The options every generator takes, checked: rows, and the dirty rate (default 0.02). */
export function rowsAndDirtyRate(options: { rows: number; dirtyRate?: number }): { rows: number; dirtyRate: number } {
  const { rows } = options;
  if (!Number.isInteger(rows) || rows < 0)
    throw new GenerateOptionsError(`--rows must be a whole number >= 0, got ${rows}`);
  const dirtyRate = options.dirtyRate ?? 0.02;
  if (!(dirtyRate >= 0 && dirtyRate <= 1))
    throw new GenerateOptionsError(`--dirty-rate must be between 0 and 1, got ${dirtyRate}`);
  return { rows, dirtyRate };
}

function validate(options: GenerateOptions): Required<GenerateOptions> {
  const { rows, dirtyRate } = rowsAndDirtyRate(options);
  const startDate = options.startDate ?? '2024-01-01';
  if (Number.isNaN(Date.parse(`${startDate}T00:00:00Z`))) throw new GenerateOptionsError(`bad start date ${startDate}`);
  const idPrefix = options.idPrefix ?? 'T';
  if (!/^[A-Za-z0-9_-]{0,20}$/.test(idPrefix)) throw new GenerateOptionsError(`bad id prefix ${idPrefix}`);
  return {
    rows,
    seed: options.seed ?? 42,
    dirtyRate,
    customers: Math.max(10, options.customers ?? Math.floor(rows / 20)),
    startDate,
    days: options.days ?? 540,
    idPrefix,
  };
}

export function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length) % items.length] as T;
}

/** Yields CSV lines (header first), one chunk of many lines at a time. */
export function* transactionLines(options: GenerateOptions, stats?: GenerateStats): Generator<string> {
  const o = validate(options);
  const rand = seededRandom(o.seed);
  const start = Date.parse(`${o.startDate}T00:00:00Z`);
  const dates = Array.from({ length: o.days }, (_, d) => new Date(start + d * DAY_MS).toISOString().slice(0, 10));
  yield `${TRANSACTION_COLUMNS.join(',')}\n`;
  const recentIds: string[] = [];
  let chunk = '';
  for (let i = 0; i < o.rows; i++) {
    // Skew: squaring a uniform draw puts most purchases on the low customer numbers.
    const customer = 1 + Math.floor(rand() ** 2.5 * o.customers);
    let id = `${o.idPrefix}${String(i + 1).padStart(9, '0')}`;
    let customerId = `C${String(customer).padStart(7, '0')}`;
    const cents = Math.max(1, Math.round(Math.exp(rand() * 6.5) * 100 * (0.5 + rand())));
    let amount = (cents / 100).toFixed(2);
    let date = pick(dates, rand());
    const channel = pick(CHANNELS, rand());
    const category = pick(CATEGORIES, rand());
    const store = channel === 'store' ? `S${String(1 + Math.floor(rand() * 120)).padStart(3, '0')}` : '';
    if (rand() < o.dirtyRate) {
      const kind = recentIds.length > 0 ? pick(DIRTY_KINDS, rand()) : pick(DIRTY_KINDS.slice(0, 4), rand());
      if (stats) stats.dirty[kind]++;
      switch (kind) {
        case 'null_customer':
          customerId = '';
          break;
        case 'non_positive_amount':
          amount = rand() < 0.5 ? '0.00' : `-${amount}`;
          break;
        case 'non_numeric_amount':
          // A decimal comma is a real-world non-numeric amount; quoted, as a CSV writer must quote it.
          amount = pick(['abc', 'N/A', '"12,50"', 'twelve'], rand());
          break;
        case 'bad_date':
          date = pick(['2024-13-45', 'not a date', '31/02/2024', ''], rand());
          break;
        case 'duplicate_id':
          id = pick(recentIds, rand());
          break;
      }
    }
    if (recentIds.length < 1000) recentIds.push(id);
    else recentIds[i % 1000] = id;
    chunk += `${id},${customerId},${amount},${date},${store},${channel},${category}\n`;
    if (stats) stats.rows++;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export function emptyStats(): GenerateStats {
  return {
    rows: 0,
    bytes: 0,
    dirty: { null_customer: 0, non_positive_amount: 0, non_numeric_amount: 0, bad_date: 0, duplicate_id: 0 },
  };
}

/** Writes a generated CSV to `file`, reporting progress every million rows. */
export async function generateTransactionsFile(
  file: string,
  options: GenerateOptions,
  onProgress?: (rowsDone: number) => void,
): Promise<GenerateStats> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stats = emptyStats();
  const out = createWriteStream(file);
  let nextReport = 1_000_000;
  for (const chunk of transactionLines(options, stats)) {
    stats.bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    if (onProgress && stats.rows >= nextReport) {
      onProgress(stats.rows);
      nextReport += 1_000_000;
    }
  }
  out.end();
  await once(out, 'finish');
  return stats;
}
