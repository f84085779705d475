// Customer profiles for the customer_profiles dataset: JSON lines a CRM exports, one line per profile change, so
// most customers appear several times with later `updated_at` values, and a share of dirty rows of every kind
// the job rejects. Deterministic for a seed.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pick, rowsAndDirtyRate, seededRandom } from './transactions';

export const PROFILE_COLUMNS = [
  'customer_id',
  'email',
  'country',
  'loyalty_tier',
  'signup_date',
  'updated_at',
] as const;

export type ProfileDirtyKind =
  | 'missing_customer_id'
  | 'missing_email'
  | 'invalid_email'
  | 'unparseable_updated_at'
  | 'unparseable_signup_date';
const DIRTY_KINDS: readonly ProfileDirtyKind[] = [
  'missing_customer_id',
  'missing_email',
  'invalid_email',
  'unparseable_updated_at',
  'unparseable_signup_date',
];

export interface ProfileOptions {
  rows: number;
  seed?: number;
  /** Share of rows that are dirty, 0..1 (default 0.02). */
  dirtyRate?: number;
  /** Distinct customers (default: rows / 3, at least 1), so most customers change more than once. */
  customers?: number;
}

export interface ProfileStats {
  rows: number;
  bytes: number;
  /** Customers with more than one line. */
  updatedCustomers: number;
  dirty: Record<ProfileDirtyKind, number>;
}

const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'GB', 'US', 'PL'] as const;
const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
const NAMES = ['ana', 'ben', 'chloe', 'dev', 'eva', 'farid', 'greta', 'hugo', 'ines', 'jon'] as const;
const DOMAINS = ['example.com', 'example.org', 'mail.example.net'] as const;
const DAY_MS = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');

function validate(options: ProfileOptions): Required<ProfileOptions> {
  const { rows, dirtyRate } = rowsAndDirtyRate(options);
  return {
    rows,
    seed: options.seed ?? 42,
    dirtyRate,
    customers: Math.max(1, options.customers ?? Math.floor(rows / 3)),
  };
}

/** Yields JSON lines, many at a time; a customer's later lines carry later `updated_at` values. */
export function* profileLines(options: ProfileOptions, stats?: ProfileStats): Generator<string> {
  const o = validate(options);
  const rand = seededRandom(o.seed);
  const changes = new Map<number, number>();
  let chunk = '';
  for (let i = 0; i < o.rows; i++) {
    const customer = 1 + Math.floor(rand() * o.customers);
    const seen = changes.get(customer) ?? 0;
    changes.set(customer, seen + 1);
    // A customer's signup day is fixed by its number, so its lines agree on it.
    const signup = new Date(START + ((customer * 7919) % 400) * DAY_MS);
    // Each change of a customer comes later than the one before, with some spread between customers.
    const updated = new Date(signup.getTime() + (seen * 30 + rand() * 29) * DAY_MS + Math.floor(rand() * DAY_MS));
    const profile: Record<(typeof PROFILE_COLUMNS)[number], string | null> = {
      customer_id: `C${String(customer).padStart(7, '0')}`,
      email: `${pick(NAMES, rand())}.${customer}@${pick(DOMAINS, rand())}`,
      country: pick(COUNTRIES, rand()),
      loyalty_tier: pick(TIERS, Math.min(0.999, seen / 4 + rand() / 4)),
      signup_date: signup.toISOString().slice(0, 10),
      updated_at: `${updated.toISOString().slice(0, 19)}Z`,
    };
    if (rand() < o.dirtyRate) {
      const kind = pick(DIRTY_KINDS, rand());
      if (stats) stats.dirty[kind]++;
      switch (kind) {
        case 'missing_customer_id':
          profile.customer_id = rand() < 0.5 ? null : '';
          break;
        case 'missing_email':
          profile.email = null;
          break;
        case 'invalid_email':
          profile.email = pick(['not-an-email', 'ana.example.com', '@example.com'], rand());
          break;
        case 'unparseable_updated_at':
          profile.updated_at = pick(['yesterday', '2024-13-45T00:00:00Z', '31/02/2024 10:00'], rand());
          break;
        case 'unparseable_signup_date':
          profile.signup_date = pick(['2024-02-30x', 'soon', '31/12/2023'], rand());
          break;
      }
    }
    chunk += `${JSON.stringify(profile)}\n`;
    if (stats) stats.rows++;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (stats) stats.updatedCustomers = [...changes.values()].filter((n) => n > 1).length;
  if (chunk) yield chunk;
}

export function emptyProfileStats(): ProfileStats {
  return {
    rows: 0,
    bytes: 0,
    updatedCustomers: 0,
    dirty: {
      missing_customer_id: 0,
      missing_email: 0,
      invalid_email: 0,
      unparseable_updated_at: 0,
      unparseable_signup_date: 0,
    },
  };
}

/** Writes generated profiles (JSON lines) to `file`. */
export async function generateProfilesFile(file: string, options: ProfileOptions): Promise<ProfileStats> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stats = emptyProfileStats();
  const out = createWriteStream(file);
  for (const chunk of profileLines(options, stats)) {
    stats.bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return stats;
}
