// The one quoting helper for SQL string literals built in code (validation placeholders, file paths handed to
// DuckDB). Identifiers have their own check in local/duckdb.ts; nothing else is spliced into SQL.

export class InvalidSqlLiteralError extends Error {
  constructor() {
    super('a SQL string literal cannot hold a NUL character');
    this.name = 'InvalidSqlLiteralError';
  }
}

/** Quotes a string as a SQL literal: wraps it in single quotes and doubles any inside. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new InvalidSqlLiteralError();
  return `'${value.replaceAll("'", "''")}'`;
}
