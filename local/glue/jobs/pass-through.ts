// Pass-through columns: raw columns that no step names, carried from the source to the outputs that ask for
// them (the manifest's `source.passThrough` and an output's `passThrough: true`). A step writes the placeholder
// `${pass_through}` (or `${pass_through:alias}`) where the columns go; it stands for `col, ` per column (each with
// its comma, so it is written before another select item, and an empty list leaves valid SQL). The PySpark runner
// expands the same placeholder with Spark's quoting (glue-jobs/runner/lakepipe_runner.py).
import { IDENTIFIER, type JobManifest, PASS_THROUGH_PLACEHOLDER } from './job-manifest';

/**
 * The source columns that pass through, in source order: every column that is a plain identifier, not listed in
 * `source.passThrough.except`, not `source_file`, and not declared by any output (a raw `year` must not collide
 * with a computed one). Empty when the manifest does not ask for pass-through.
 */
export function passThroughColumns(manifest: JobManifest, sourceColumns: string[]): string[] {
  if (!manifest.passThroughExcept) return [];
  const taken = new Set([
    ...manifest.passThroughExcept,
    'source_file',
    ...manifest.outputs.flatMap((o) => o.columns.map((c) => c.name)),
  ]);
  const seen = new Set<string>();
  return sourceColumns.filter((name) => {
    if (!IDENTIFIER.test(name) || taken.has(name) || seen.has(name)) return false;
    seen.add(name);
    return true;
  });
}

/**
 * The step's SQL with each placeholder replaced by the columns, quoted as DuckDB quotes identifiers (or with
 * Spark's backtick, for the syntax gates). The columns are plain identifiers (passThroughColumns), never raw text.
 */
export function expandPassThrough(sql: string, columns: string[], quote: '"' | '`' = '"'): string {
  return sql.replace(new RegExp(PASS_THROUGH_PLACEHOLDER, 'g'), (_, alias: string | undefined) =>
    columns.map((c) => `${alias ? `${alias}.` : ''}${quote}${c}${quote}, `).join(''),
  );
}
