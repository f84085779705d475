import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  emptyProfileStats,
  generateProfilesFile,
  PROFILE_COLUMNS,
  profileLines,
} from '../../../local/generate/profiles';
import { GenerateOptionsError } from '../../../local/generate/transactions';

type Profile = Record<(typeof PROFILE_COLUMNS)[number], string | null>;

function profilesOf(options: Parameters<typeof profileLines>[0]): Profile[] {
  return [...profileLines(options)]
    .join('')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Profile);
}

describe('profile generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    // Act
    const a = [...profileLines({ rows: 300, seed: 7 })].join('');
    const b = [...profileLines({ rows: 300, seed: 7 })].join('');
    const c = [...profileLines({ rows: 300, seed: 8 })].join('');
    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('writes one JSON object per line with every column', () => {
    // Act
    const profiles = profilesOf({ rows: 50, seed: 1, dirtyRate: 0 });
    // Assess
    expect(profiles).toHaveLength(50);
    for (const p of profiles) {
      expect(Object.keys(p)).toEqual([...PROFILE_COLUMNS]);
      expect(p.email).toMatch(/^[a-z]+\.\d+@[a-z.]+$/);
      expect(p.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  it('updates customers more than once, each change later than the one before, with the same signup day', () => {
    // Act
    const profiles = profilesOf({ rows: 600, seed: 3, dirtyRate: 0 });
    // Assess
    const byCustomer = new Map<string, Profile[]>();
    for (const p of profiles) byCustomer.set(p.customer_id ?? '', [...(byCustomer.get(p.customer_id ?? '') ?? []), p]);
    const updated = [...byCustomer.values()].filter((lines) => lines.length > 1);
    expect(updated.length).toBeGreaterThan(byCustomer.size / 2);
    for (const lines of updated) {
      const times = lines.map((p) => Date.parse(p.updated_at ?? ''));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(new Set(lines.map((p) => p.signup_date)).size).toBe(1);
    }
  });

  it('writes dirty rows of every kind at about the requested rate, and counts them', () => {
    // Prepare
    const stats = emptyProfileStats();
    // Act
    const profiles = [...profileLines({ rows: 5000, seed: 11, dirtyRate: 0.1 }, stats)]
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Profile);
    // Assess
    const dirty = Object.values(stats.dirty).reduce((a, b) => a + b, 0);
    expect(dirty).toBeGreaterThan(400);
    expect(dirty).toBeLessThan(600);
    for (const count of Object.values(stats.dirty)) expect(count).toBeGreaterThan(0);
    expect(profiles.filter((p) => !p.customer_id).length).toBe(stats.dirty.missing_customer_id);
    expect(profiles.filter((p) => p.email === null).length).toBe(stats.dirty.missing_email);
    expect(profiles.filter((p) => p.email !== null && !/^.+@.+$/.test(p.email)).length).toBeGreaterThan(0);
    expect(stats.rows).toBe(5000);
  });

  it('refuses bad options', () => {
    // Act / Assess
    expect(() => [...profileLines({ rows: -1 })]).toThrow(GenerateOptionsError);
    expect(() => [...profileLines({ rows: 5, dirtyRate: 2 })]).toThrow(GenerateOptionsError);
  });

  it('writes a file and reports its size and the customers changed more than once', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-profiles-gen-'));
    try {
      const file = path.join(dir, 'profiles.jsonl');
      // Act
      const stats = await generateProfilesFile(file, { rows: 200, seed: 5 });
      // Assess
      const text = await readFile(file, 'utf8');
      expect(stats.bytes).toBe(Buffer.byteLength(text));
      expect(text.trimEnd().split('\n')).toHaveLength(200);
      expect(stats.updatedCustomers).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
