// Local Athena: queries run in the background on DuckDB over the catalog's tables, translated from Trino SQL first
// (local/sql/trino: what the twin cannot reproduce ends FAILED, naming it),
// each persisted under `<home>/queries/<id>.json` with its results, plus Athena's CSV result file at the output
// location. A bad query ends FAILED with DuckDB's message; only unknown ids and bad requests throw.

import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type * as Athena from '@aws-sdk/client-athena';
import type * as Glue from '@aws-sdk/client-glue';
import type { DuckDBValue } from '@duckdb/node-api';
import { AwsServiceError, hasErrorName } from '../../functions/shared/errors';
import type { AthenaPort, GluePort } from '../../functions/shared/ports';
import { DuckDb, sqlIdentifier } from '../duckdb';
import { buildTableScan } from '../glue/catalog/table-scan';
import { wasInterrupted } from '../interrupted-runs';
import { allPartitions, allTables } from '../paging';
import { s3UriToPath } from '../s3/s3-paths';
import { TRINO_COMPAT_SQL } from '../sql/load-shims';
import { type TableRef, tableRefs } from '../sql/table-refs';
import { translateTrinoCached } from '../sql/translation-cache';
import { prepareTrinoSession } from '../sql/trino/session';
import { refusalFromDuckDb, SqlSyntaxError } from '../sql/unsupported';
import { readJsonIfExists, type Workspace, writeFileAtomic, writeJsonAtomic } from '../workspace';
import { athenaValue, columnInfo, resultCsv } from './result-format';

const invalidRequest = (message: string) => new AwsServiceError('InvalidRequestException', message);

export interface LocalWorkgroup {
  /** The workgroup's default result location, e.g. `s3://lakepipe-athena-results/`. */
  OutputLocation?: string;
}

export interface LocalAthenaOptions {
  workspace: Workspace;
  catalog: Pick<GluePort, 'getTable' | 'getTables' | 'getPartitions'>;
  /** Known workgroups besides `primary`. */
  workgroups?: Record<string, LocalWorkgroup>;
  clock?: () => Date;
  threads?: number;
  memoryLimit?: string;
  /** Trino-compat macro file; a missing file is tolerated (see loadShims). */
  shimsFile?: string;
}

type StoredExecution = Omit<Athena.QueryExecution, 'Status'> & {
  /** The process running the query, while it runs (not part of Athena's QueryExecution). */
  OwnerPid?: number;
  Status: Omit<Athena.QueryExecutionStatus, 'SubmissionDateTime' | 'CompletionDateTime'> & {
    SubmissionDateTime?: string;
    CompletionDateTime?: string;
  };
};

interface StoredResults {
  columns: Athena.ColumnInfo[];
  rows: (string | null)[][];
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const QUERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_PAGE = 1000;

function toQueryExecution({ OwnerPid: _owner, ...stored }: StoredExecution): Athena.QueryExecution {
  const { SubmissionDateTime, CompletionDateTime, ...status } = stored.Status;
  return {
    ...stored,
    Status: {
      ...status,
      ...(SubmissionDateTime ? { SubmissionDateTime: new Date(SubmissionDateTime) } : {}),
      ...(CompletionDateTime ? { CompletionDateTime: new Date(CompletionDateTime) } : {}),
    },
  };
}

/**
 * Athena ExecutionParameters are SQL literals: `'text'` (quotes doubled inside), numbers, true/false, NULL.
 * Each becomes a bound DuckDB parameter for the query's `?` placeholders; anything else binds as its text.
 */
export function parseExecutionParameter(literal: string): DuckDBValue {
  const text = literal.trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return (quoted[1] ?? '').replaceAll("''", "'");
  if (/^[-+]?\d+$/.test(text)) return BigInt(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (/^null$/i.test(text)) return null;
  return text;
}

function messageOf(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : String(error);
  // The node binding wraps parser errors; the operator wants DuckDB's own words.
  return message.replace(/^Failed to extract statements: /, '');
}

export class LocalAthena implements AthenaPort {
  private readonly active = new Map<string, Promise<Athena.QueryExecution>>();
  private readonly clock: () => Date;

  constructor(private readonly options: LocalAthenaOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  private file(id: string, suffix = ''): string {
    return this.options.workspace.dir('queries', `${id}${suffix}.json`);
  }

  private async read(id: string | undefined): Promise<StoredExecution> {
    // Whether it runs here is decided before reading: a query that ends while the file is read must not
    // look like one left behind by a stopped twin.
    const runsHere = this.active.has(id ?? '');
    const stored = id && QUERY_ID.test(id) ? await readJsonIfExists<StoredExecution>(this.file(id)) : undefined;
    if (!stored) throw invalidRequest(`QueryExecution ${id} was not found`);
    const state = stored.Status.State ?? '';
    if (!TERMINAL.has(state) && wasInterrupted(stored.OwnerPid, runsHere)) {
      // Left QUEUED/RUNNING by a twin that stopped: it will never finish.
      stored.Status = {
        ...stored.Status,
        State: 'FAILED',
        StateChangeReason: 'The local twin stopped while this query was running; start it again.',
      };
    }
    return stored;
  }

  async startQueryExecution(input: Athena.StartQueryExecutionInput): Promise<Athena.StartQueryExecutionOutput> {
    const query = input.QueryString ?? '';
    if (query.trim() === '') throw invalidRequest('QueryString must not be empty');
    const workGroup = input.WorkGroup ?? 'primary';
    const group = this.options.workgroups?.[workGroup];
    if (!group && workGroup !== 'primary') throw invalidRequest(`WorkGroup ${workGroup} is not found.`);
    const base = input.ResultConfiguration?.OutputLocation ?? group?.OutputLocation;
    if (!base) {
      throw invalidRequest(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    }
    const id = randomUUID();
    const outputLocation = `${base.endsWith('/') ? base : `${base}/`}${id}.csv`;
    s3UriToPath(this.options.workspace, outputLocation); // rejects a location outside any bucket before we accept
    const database = input.QueryExecutionContext?.Database ?? 'default';
    const stored: StoredExecution = {
      OwnerPid: process.pid,
      QueryExecutionId: id,
      Query: query,
      StatementType: /^\s*(select|with|values|\()/i.test(query) ? 'DML' : 'UTILITY',
      ResultConfiguration: { OutputLocation: outputLocation },
      QueryExecutionContext: { Database: database, Catalog: input.QueryExecutionContext?.Catalog ?? 'AwsDataCatalog' },
      Status: { State: 'QUEUED', SubmissionDateTime: this.clock().toISOString() },
      Statistics: { EngineExecutionTimeInMillis: 0, DataScannedInBytes: 0, TotalExecutionTimeInMillis: 0 },
      WorkGroup: workGroup,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      ...(input.ExecutionParameters ? { ExecutionParameters: input.ExecutionParameters } : {}),
    };
    const persisted = writeJsonAtomic(this.file(id), stored);
    const done = persisted.then(() => this.execute(stored));
    this.active.set(id, done);
    done.then(
      () => this.active.delete(id),
      () => this.active.delete(id),
    );
    await persisted;
    return { QueryExecutionId: id };
  }

  /** Resolves with the final QueryExecution (never rejects for a bad query: that is State FAILED). */
  async whenDone(id: string): Promise<Athena.QueryExecution> {
    return this.active.get(id) ?? toQueryExecution(await this.read(id));
  }

  async getQueryExecution(input: Athena.GetQueryExecutionInput): Promise<Athena.GetQueryExecutionOutput> {
    return { QueryExecution: toQueryExecution(await this.read(input.QueryExecutionId)) };
  }

  async getQueryResults(input: Athena.GetQueryResultsInput): Promise<Athena.GetQueryResultsOutput> {
    const stored = await this.read(input.QueryExecutionId);
    const state = stored.Status.State;
    if (state === 'QUEUED' || state === 'RUNNING') {
      throw invalidRequest(`Query has not yet finished. Current state: ${state}`);
    }
    if (state !== 'SUCCEEDED') throw invalidRequest(`Query did not finish successfully. Final query state: ${state}`);
    const maxResults = input.MaxResults ?? MAX_PAGE;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) {
      throw invalidRequest(`MaxResults must be between 1 and ${MAX_PAGE}`);
    }
    const results = await readJsonIfExists<StoredResults>(this.file(stored.QueryExecutionId ?? '', '.results'));
    if (!results) throw invalidRequest(`Results of ${stored.QueryExecutionId} are gone`);
    // Row 0 is the header (column names), on the first page only, and counts toward MaxResults as in Athena.
    const all = [results.columns.map((c) => c.Name ?? null), ...results.rows];
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (input.NextToken !== undefined && !(Number.isInteger(start) && start >= 1 && start < all.length)) {
      throw invalidRequest('NextToken is not valid');
    }
    const page = all.slice(start, start + maxResults);
    const next = start + maxResults < all.length ? String(start + maxResults) : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: { ColumnInfo: results.columns },
      },
      ...(next ? { NextToken: next } : {}),
    };
  }

  private async execute(stored: StoredExecution): Promise<Athena.QueryExecution> {
    const id = stored.QueryExecutionId ?? '';
    const submitted = Date.parse(stored.Status.SubmissionDateTime ?? '') || Date.now();
    const startedAt = performance.now();
    let current: StoredExecution = { ...stored, Status: { ...stored.Status, State: 'RUNNING' } };
    let scanned = 0;
    try {
      await writeJsonAtomic(this.file(id), current);
      const db = await DuckDb.open({ threads: this.options.threads ?? 2, memoryLimit: this.options.memoryLimit });
      try {
        await prepareTrinoSession(db.connection, this.options.shimsFile ?? TRINO_COMPAT_SQL);
        const placeholder = /\$\{[^}]*\}/.exec(stored.Query ?? '');
        if (placeholder) throw new Error(`unrendered placeholder ${placeholder[0]} in the query`);
        const query = await this.translate(db, stored.Query ?? '');
        scanned = await this.defineTables(db, query, stored.QueryExecutionContext?.Database ?? 'default');
        const params = (stored.ExecutionParameters ?? []).map(parseExecutionParameter);
        const reader = await db.connection
          .runAndReadAll(query, params.length > 0 ? params : undefined)
          .catch((error: unknown) => {
            throw refusalFromDuckDb(error, 'trino') ?? error;
          });
        const names = reader.columnNames();
        const types = reader.columnTypes();
        const rows = reader
          .getRows()
          .map((row) => row.map((v, i) => athenaValue(v, types[i] as (typeof types)[number])));
        const results: StoredResults = {
          columns: names.map((n, i) => columnInfo(n, types[i] as (typeof types)[number])),
          rows,
        };
        await writeJsonAtomic(this.file(id, '.results'), results);
        await writeFileAtomic(
          s3UriToPath(this.options.workspace, stored.ResultConfiguration?.OutputLocation ?? ''),
          resultCsv(names, rows),
        );
      } finally {
        db.close();
      }
      current = this.finished(current, 'SUCCEEDED', submitted, startedAt, scanned);
    } catch (error) {
      current = this.finished(current, 'FAILED', submitted, startedAt, scanned);
      const reason = messageOf(error);
      current.Status.StateChangeReason = reason;
      current.Status.AthenaError = { ErrorCategory: 2, ErrorType: 1100, Retryable: false, ErrorMessage: reason };
    }
    await writeJsonAtomic(this.file(id), current);
    return toQueryExecution(current);
  }

  /** Trino SQL as DuckDB SQL; a statement neither grammar parses fails with DuckDB's own parser message. */
  private async translate(db: DuckDb, query: string): Promise<string> {
    try {
      return translateTrinoCached(query);
    } catch (error) {
      if (error instanceof SqlSyntaxError) await db.connection.extractStatements(query);
      throw error;
    }
  }

  private finished(
    current: StoredExecution,
    state: Athena.QueryExecutionState,
    submitted: number,
    startedAt: number,
    scanned: number,
  ): StoredExecution {
    const completion = this.clock();
    const engine = Math.round(performance.now() - startedAt);
    return {
      ...current,
      Status: { ...current.Status, State: state, CompletionDateTime: completion.toISOString() },
      Statistics: {
        EngineExecutionTimeInMillis: engine,
        DataScannedInBytes: scanned,
        TotalExecutionTimeInMillis: Math.max(engine, completion.getTime() - submitted),
        QueryQueueTimeInMillis: 0,
      },
    };
  }

  /**
   * Defines a view `<database>.<table>` for every catalog table the query names (DuckDB's parser finds them; for
   * statements it cannot serialise, every table of the current database), and makes the query's database the
   * current schema so unqualified names resolve like in Athena. Returns the bytes of the files behind those views:
   * the DataScannedInBytes estimate (whole files; no credit for column or partition pruning).
   */
  private async defineTables(db: DuckDb, query: string, database: string): Promise<number> {
    const refs: TableRef[] =
      (await tableRefs(db, query)) ?? (await this.allTables(database)).map((table) => ({ schema: database, table }));
    let bytes = 0;
    for (const ref of refs) {
      const schema = ref.schema || database;
      let table: Glue.Table | undefined;
      try {
        table = (await this.options.catalog.getTable({ DatabaseName: schema, Name: ref.table })).Table;
      } catch (error) {
        if ((error as Error).name === 'EntityNotFoundException') continue; // a CTE, or DuckDB reports the name
        throw error;
      }
      if (!table) continue;
      const partitions = await this.partitions(schema, ref.table);
      const scan = await buildTableScan(db, this.options.workspace, { table, partitions });
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(schema)}`);
      await db.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(schema)}.${sqlIdentifier(ref.table)} AS ${scan.sql}`);
      for (const f of scan.files) bytes += (await stat(f.path)).size;
    }
    await db.run(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(database)}`);
    await db.run(`USE ${sqlIdentifier(database)}`);
    return bytes;
  }

  private async allTables(database: string): Promise<string[]> {
    try {
      const tables = await allTables(this.options.catalog, database);
      return tables.map((t) => t.Name ?? '').filter((n) => n !== '');
    } catch (error) {
      if (!hasErrorName(error, 'EntityNotFoundException')) throw error;
      return [];
    }
  }

  private async partitions(database: string, table: string): Promise<Glue.Partition[]> {
    return allPartitions(this.options.catalog, database, table);
  }
}
