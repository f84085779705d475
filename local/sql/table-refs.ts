// Which tables a query names, found by DuckDB's own parser (json_serialize_sql), never by hand-parsing SQL.
// Used by local Athena (views for the tables a query names) and the job runner (views for the tables steps name).
import type { DuckDb } from '../duckdb';

export interface TableRef {
  /** '' when the query leaves it to the current database. */
  schema: string;
  table: string;
}

function collect(node: unknown, out: Map<string, TableRef>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') {
    const ref = {
      schema: typeof record.schema_name === 'string' ? record.schema_name.toLowerCase() : '',
      table: record.table_name.toLowerCase(),
    };
    out.set(`${ref.schema}.${ref.table}`, ref);
  }
  for (const value of Object.values(record)) collect(value, out);
}

/**
 * Table references of a SELECT (CTE names included; they are harmless extra candidates). Undefined when DuckDB's
 * serializer cannot handle the statement (not a SELECT, or a syntax error the query run will report anyway).
 */
export async function tableRefs(db: DuckDb, sql: string): Promise<TableRef[] | undefined> {
  try {
    const rows = await db.queryJson<{ ast: string }>('SELECT json_serialize_sql($1::VARCHAR) AS ast', [sql]);
    const ast = JSON.parse(rows[0]?.ast ?? '{}') as { error?: boolean; statements?: unknown };
    if (ast.error !== false) return undefined;
    const out = new Map<string, TableRef>();
    collect(ast.statements, out);
    return [...out.values()];
  } catch {
    return undefined;
  }
}
