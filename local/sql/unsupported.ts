// The one error a dialect translator throws for SQL the twin refuses to run, rather than run with another meaning.

export type Dialect = 'trino' | 'spark';

const ENGINE: Record<Dialect, string> = { trino: 'Trino (Athena)', spark: 'Spark SQL (Glue)' };

export class UnsupportedSqlError extends Error {
  constructor(
    readonly feature: string,
    readonly dialect: Dialect,
    reason?: string,
  ) {
    super(
      `${feature} is not supported locally: the twin cannot reproduce ${ENGINE[dialect]}'s meaning${reason ? ` (${reason})` : ''}`,
    );
    this.name = 'UnsupportedSqlError';
  }
}

export class SqlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

/**
 * DuckDB's "function does not exist" errors become refusals that name the function, so an engine function the
 * twin lacks reads the same whether the translator or DuckDB found it missing.
 */
export function refusalFromDuckDb(error: unknown, dialect: Dialect): UnsupportedSqlError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /(?:Scalar|Aggregate|Table) Function with name "?([\w.]+)"? does not exist/i.exec(message);
  if (missing?.[1]) return new UnsupportedSqlError(`function ${missing[1]}`, dialect, 'no local equivalent');
  return undefined;
}
