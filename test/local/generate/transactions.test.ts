import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  emptyStats,
  GenerateOptionsError,
  generateTransactionsFile,
  TRANSACTION_COLUMNS,
  transactionLines,
} from '../../../local/generate/transactions';

function rowsOf(options: Parameters<typeof transactionLines>[0]): string[][] {
  const text = [...transactionLines(options)].join('');
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

describe('transaction generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = [...transactionLines({ rows: 500, seed: 7 })].join('');
    const b = [...transactionLines({ rows: 500, seed: 7 })].join('');
    const c = [...transactionLines({ rows: 500, seed: 8 })].join('');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('writes the header and one line per row with every column', () => {
    const text = [...transactionLines({ rows: 100, seed: 1 })].join('');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(TRANSACTION_COLUMNS.join(','));
    expect(lines).toHaveLength(101);
    for (const line of lines) expect(line.split(',')).toHaveLength(TRANSACTION_COLUMNS.length);
  });

  it('produces only clean rows at dirty rate 0', () => {
    const rows = rowsOf({ rows: 2000, seed: 3, dirtyRate: 0 });
    const ids = new Set(rows.map((r) => r[0]));
    expect(ids.size).toBe(2000);
    for (const [, customer, amount, date] of rows) {
      expect(customer).toMatch(/^C\d{7}$/);
      expect(Number(amount)).toBeGreaterThan(0);
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('makes about the requested share of dirty rows, of every kind, and counts them', () => {
    const stats = emptyStats();
    const rows = [...transactionLines({ rows: 20_000, seed: 5, dirtyRate: 0.1 }, stats)];
    expect(rows.length).toBeGreaterThan(0);
    const dirty = Object.values(stats.dirty).reduce((a, b) => a + b, 0);
    expect(dirty / 20_000).toBeGreaterThan(0.08);
    expect(dirty / 20_000).toBeLessThan(0.12);
    for (const count of Object.values(stats.dirty)) expect(count).toBeGreaterThan(0);
    const parsed = rowsOf({ rows: 20_000, seed: 5, dirtyRate: 0.1 });
    const emptyCustomers = parsed.filter((r) => r[1] === '').length;
    expect(emptyCustomers).toBe(stats.dirty.null_customer);
  });

  it('skews purchases toward a few customers and spreads dates over many months', () => {
    const rows = rowsOf({ rows: 20_000, seed: 9, dirtyRate: 0, customers: 1000 });
    const perCustomer = new Map<string, number>();
    for (const r of rows) perCustomer.set(r[1] ?? '', (perCustomer.get(r[1] ?? '') ?? 0) + 1);
    const counts = [...perCustomer.values()].sort((a, b) => b - a);
    const top10pct = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    expect(top10pct / rows.length).toBeGreaterThan(0.3);
    const months = new Set(rows.map((r) => (r[3] ?? '').slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it('writes valid CSV: every line has every column once quoted fields are honoured', () => {
    const text = [...transactionLines({ rows: 20_000, seed: 5, dirtyRate: 0.3 })].join('');
    const lines = text.trimEnd().split('\n');
    const fieldsOf = (line: string) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.filter((f) => f !== '').length ?? 0;
    expect(lines.filter((line) => fieldsOf(line) !== TRANSACTION_COLUMNS.length)).toEqual([]);
    expect(text).toContain('"12,50"');
  });

  it('rejects bad options with a named error', () => {
    expect(() => [...transactionLines({ rows: -1 })]).toThrow(GenerateOptionsError);
    expect(() => [...transactionLines({ rows: 10, dirtyRate: 2 })]).toThrow(/dirty-rate/);
  });

  it('streams to a file and reports the bytes written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-gen-'));
    const file = path.join(dir, 'sub', 'tx.csv');
    const stats = await generateTransactionsFile(file, { rows: 1234, seed: 2 });
    const text = await readFile(file, 'utf8');
    expect(stats.rows).toBe(1234);
    expect(stats.bytes).toBe(Buffer.byteLength(text));
    expect(text.trimEnd().split('\n')).toHaveLength(1235);
  });
});
