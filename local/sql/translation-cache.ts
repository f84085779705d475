// A translation depends only on the statement and the translator: remembered across runs (local/pure-cache.ts), a
// statement translated before costs no grammar load, which is most of a short run's fixed cost (the grammars load
// in about a second each). The translators are required only on a miss. A refusal is never remembered: it is
// computed again, with its message, every time.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cachedPure } from '../pure-cache';

type TrinoTranslator = typeof import('./trino/translate');
type SparkTranslator = typeof import('./spark/translate');

let fingerprint: string | undefined;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** What a translation depends on besides the statement: every file of local/sql and the grammar package's version. */
function translatorVersion(): string {
  if (fingerprint === undefined) {
    const hash = createHash('sha256');
    for (const file of filesUnder(__dirname).sort()) {
      hash.update(path.relative(__dirname, file)).update('\0').update(readFileSync(file)).update('\0');
    }
    hash.update(`dt-sql-parser@${(require('dt-sql-parser/package.json') as { version: string }).version}`);
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

/** translateTrino (local/sql/trino/translate.ts), remembered. */
export function translateTrinoCached(sql: string): string {
  return cachedPure('trino-sql', translatorVersion(), sql, () =>
    (require('./trino/translate') as TrinoTranslator).translateTrino(sql),
  );
}

/** translateSpark (local/sql/spark/translate.ts), remembered. */
export function translateSparkCached(sql: string): string {
  return cachedPure('spark-sql', translatorVersion(), sql, () =>
    (require('./spark/translate') as SparkTranslator).translateSpark(sql),
  );
}
