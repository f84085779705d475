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

// A run id as the validations quote it (functions/shared/execution-name.ts: `<name>-<yyyyMMddTHHmmssZ>-<hash>`): the
// one literal that differs in every run's otherwise identical validation queries.
const RUN_ID_LITERAL = /'[A-Za-z0-9_-]+-\d{8}T\d{6}Z-[0-9a-f]{10}'/g;
const MASK = (i: number) => `'__lakepipe_run_id_${i}__'`;

/**
 * translateTrino (local/sql/trino/translate.ts), remembered. A statement is remembered with its run ids masked, so
 * the next run's validations hit the cache; a masked form is kept only when translating it and putting the run ids
 * back gives exactly the statement's own translation (checked once, on the miss).
 */
export function translateTrinoCached(sql: string): string {
  const translate = (text: string) => (require('./trino/translate') as TrinoTranslator).translateTrino(text);
  const runIds = sql.match(RUN_ID_LITERAL) ?? [];
  if (runIds.length === 0) return cachedPure('trino-sql', translatorVersion(), sql, () => translate(sql));
  let i = 0;
  const masked = sql.replace(RUN_ID_LITERAL, () => MASK(i++));
  const unmask = (text: string) => runIds.reduce((out, id, n) => out.split(MASK(n)).join(id), text);
  let own: string | undefined;
  const translatedMasked = cachedPure(
    'trino-sql',
    translatorVersion(),
    masked,
    () => {
      own = translate(sql);
      try {
        return translate(masked);
      } catch {
        return ''; // not kept: the statement's own translation answers
      }
    },
    (answer) => runIds.every((_, n) => answer.includes(MASK(n))) && unmask(answer) === own,
  );
  return own ?? unmask(translatedMasked);
}

/** translateSpark (local/sql/spark/translate.ts), remembered. */
export function translateSparkCached(sql: string): string {
  return cachedPure('spark-sql', translatorVersion(), sql, () =>
    (require('./spark/translate') as SparkTranslator).translateSpark(sql),
  );
}
