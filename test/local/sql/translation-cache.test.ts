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

  it('remembers a validation once for every run: the run id is masked, and put back', () => {
    // Prepare
    const query = (runId: string) => `SELECT count(*) / 2 AS half FROM t WHERE run_id = '${runId}' AND note <> 'x'`;
    const first = 'customer_transactions-20261203T100000Z-0123456789';
    const second = 'customer_transactions-20261204T100000Z-abcdef0123';
    // Act
    const answers = [translateTrinoCached(query(first)), translateTrinoCached(query(second))];
    // Assess
    expect(answers).toEqual([translateTrino(query(first)), translateTrino(query(second))]);
    expect(answers[1]).toContain(`'${second}'`);
    expect(answers[1]).not.toContain(first);
    expect(entries('trino-sql')).toBe(1);
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
