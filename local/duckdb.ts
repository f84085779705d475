// One way to open DuckDB for the local services: bounded threads and memory (the twin shares a laptop), and
// parameterised queries. SQL that must name files or strings goes through `sqlString`, identifiers
// through `sqlIdentifier`; nothing else is spliced into SQL.
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** Worker threads; default 2 (the twin's target machine). */
  threads?: number;
  /** DuckDB memory_limit, e.g. '1GB'; default '2GB'. */
  memoryLimit?: string;
  /** Database file; default in-memory. */
  path?: string;
}

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export class InvalidSqlIdentifierError extends Error {
  constructor(readonly identifier: string) {
    super(`not a valid SQL identifier: ${JSON.stringify(identifier)}`);
    this.name = 'InvalidSqlIdentifierError';
  }
}

/**
 * Escapes glob characters in a file path for DuckDB's readers, which treat `*`, `?` and `[` in any path as a
 * pattern: the key `z[1].csv` would otherwise read `z1.csv`, and `x*.csv` every `x...csv`. `[c]` matches c literally.
 */
export function escapeGlob(filePath: string): string {
  return filePath.replace(/[[*?]/g, (c) => `[${c}]`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A validated identifier, double-quoted so reserved words (e.g. `year`, `month`) still work. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new InvalidSqlIdentifierError(name);
  return `"${name}"`;
}

/** A connection plus its instance; `close()` releases both. */
export class DuckDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DuckDbOptions = {}): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(options.path ?? ':memory:', {
      threads: String(options.threads ?? 2),
      memory_limit: options.memoryLimit ?? '2GB',
      // The twin reads only local files; never reach out for extensions at query time.
      autoinstall_known_extensions: 'false',
    });
    const connection = await instance.connect();
    return new DuckDb(instance, connection);
  }

  /** Runs a statement (or several, unparameterised) for its effect. */
  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT as bigint, DATE/TIMESTAMP as DuckDB values). */
  async query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  /** Rows with JSON-safe values (BIGINT and DECIMAL as strings, dates as ISO text). */
  async queryJson<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Opens DuckDB, runs `fn`, and always closes it. */
export async function withDuckDb<T>(fn: (db: DuckDb) => Promise<T>, options?: DuckDbOptions): Promise<T> {
  const db = await DuckDb.open(options);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
