// Translations remembered across runs (local/sql/translation-cache.ts): the same answer as the translator, stored
// once per statement, and a refusal is never stored.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { translateSpark } from '../../../local/sql/spark/translate';
import { translateSparkCached, translateTrinoCached } from '../../../local/sql/translation-cache';
import { translateTrino } from '../../../local/sql/trino/translate';

let dir: string;
const saved = process.env.LAKEPIPE_CACHE_DIR;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lakepipe-sql-cache-'));
  process.env.LAKEPIPE_CACHE_DIR = dir;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.LAKEPIPE_CACHE_DIR;
  else process.env.LAKEPIPE_CACHE_DIR = saved;
});

const entries = (namespace: string) => readdirSync(path.join(dir, namespace)).length;

describe('translation cache', () => {
  it('answers as the translators do, from the cache the second time', () => {
    // Act
    const trino = [translateTrinoCached('SELECT 7 / 2'), translateTrinoCached('SELECT 7 / 2')];
    const spark = [translateSparkCached('SELECT 7 div 2'), translateSparkCached('SELECT 7 div 2')];
    // Assess
    expect(trino).toEqual([translateTrino('SELECT 7 / 2'), translateTrino('SELECT 7 / 2')]);
    expect(spark).toEqual([translateSpark('SELECT 7 div 2'), translateSpark('SELECT 7 div 2')]);
    expect(entries('trino-sql')).toBe(1);
    expect(entries('spark-sql')).toBe(1);
  });

  it('refuses every time and stores nothing for a statement the twin cannot run with its meaning', () => {
    // Act
    const first = () => translateTrinoCached('SELECT no_such_function(1)');
    // Assess
    expect(first).toThrow(/not supported locally/);
    expect(first).toThrow(/not supported locally/);
    expect(readdirSync(dir)).not.toContain('trino-sql');
  });
});
