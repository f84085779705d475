// Local Glue Data Catalog: databases, tables and partitions in Glue's own shapes, persisted as JSON under
// `<home>/catalog/<database>/` with atomic writes, so a crash leaves the last good state.
//   <database>/database.json             Database
//   <database>/tables/<table>.json       Table
//   <database>/partitions/<table>.json   Partition[]

import { rm } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { AwsServiceError, hasErrorName } from '../../../functions/shared/errors';
import type { GluePort } from '../../../functions/shared/ports';
import { pageOf } from '../../paging';
import { readdirIfExists, readJsonIfExists, type Workspace, writeJsonAtomic } from '../../workspace';
import { parsePartitionExpression } from './partition-expression';

const entityNotFound = (what: string) => new AwsServiceError('EntityNotFoundException', `${what} not found.`);
const alreadyExists = (what: string) => new AwsServiceError('AlreadyExistsException', `${what} already exists.`);
const invalidInput = (message: string) => new AwsServiceError('InvalidInputException', message);

// Glue stores names lowercased; we also use them as file names, so they must be file-safe.
const NAME = /^[a-z0-9_][a-z0-9_-]{0,254}$/;

/** Lowercases a database/table name as Glue does and validates it. */
export function catalogName(name: string | undefined, what: string): string {
  const lowered = (name ?? '').toLowerCase();
  if (!NAME.test(lowered)) throw invalidInput(`${what} name ${JSON.stringify(name)} is not valid.`);
  return lowered;
}

type CatalogOps = Pick<
  GluePort,
  | 'getDatabase'
  | 'createDatabase'
  | 'getTable'
  | 'getTables'
  | 'createTable'
  | 'updateTable'
  | 'deleteTable'
  | 'getPartitions'
  | 'batchCreatePartition'
  | 'batchDeletePartition'
>;

const DATE_FIELDS = new Set(['CreateTime', 'UpdateTime', 'LastAccessTime', 'LastAnalyzedTime', 'CreationTime']);

// JSON keeps dates as ISO strings; the SDK hands out Date objects, so revive them.
function reviveDates<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    DATE_FIELDS.has(key) && typeof v === 'string' ? new Date(v) : v,
  ) as T;
}

export class LocalGlueCatalog implements CatalogOps {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly workspace: Workspace) {}

  // --- storage -------------------------------------------------------------------------------------------

  private dbFile(db: string) {
    return this.workspace.dir('catalog', db, 'database.json');
  }
  private tableFile(db: string, table: string) {
    return this.workspace.dir('catalog', db, 'tables', `${table}.json`);
  }
  private partitionsFile(db: string, table: string) {
    return this.workspace.dir('catalog', db, 'partitions', `${table}.json`);
  }

  /** Serialises read-modify-write cycles on one file within this process (no lost updates). */
  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  private async requireDatabase(name: string | undefined): Promise<{ db: string; database: Glue.Database }> {
    const db = catalogName(name, 'Database');
    const database = await readJsonIfExists<Glue.Database>(this.dbFile(db));
    if (!database) throw entityNotFound(`Database ${db}`);
    return { db, database };
  }

  private async readTable(db: string, table: string): Promise<Glue.Table> {
    const stored = await readJsonIfExists<Glue.Table>(this.tableFile(db, table));
    if (!stored) throw entityNotFound(`Table ${table}`);
    return reviveDates(stored);
  }

  private async readPartitions(db: string, table: string): Promise<Glue.Partition[]> {
    return reviveDates((await readJsonIfExists<Glue.Partition[]>(this.partitionsFile(db, table))) ?? []);
  }

  // --- databases -----------------------------------------------------------------------------------------

  async createDatabase(input: Glue.CreateDatabaseRequest): Promise<Glue.CreateDatabaseResponse> {
    const db = catalogName(input.DatabaseInput?.Name, 'Database');
    return this.locked(`db:${db}`, async () => {
      if (await readJsonIfExists(this.dbFile(db))) throw alreadyExists(`Database ${db}`);
      const database: Glue.Database = {
        ...input.DatabaseInput,
        Name: db,
        CreateTime: new Date(),
        Parameters: input.DatabaseInput?.Parameters ?? {},
      };
      await writeJsonAtomic(this.dbFile(db), database);
      return {};
    });
  }

  async getDatabase(input: Glue.GetDatabaseRequest): Promise<Glue.GetDatabaseResponse> {
    const { database } = await this.requireDatabase(input.Name);
    return { Database: reviveDates(database) };
  }

  async getDatabases(input: Glue.GetDatabasesRequest = {}): Promise<Glue.GetDatabasesResponse> {
    const names = await this.listNames(this.workspace.dir('catalog'), true);
    const databases: Glue.Database[] = [];
    for (const name of names) {
      const database = await readJsonIfExists<Glue.Database>(this.dbFile(name));
      if (database) databases.push(reviveDates(database));
    }
    const { page, next } = pageOf(databases, input.NextToken, input.MaxResults ?? 1000);
    return { DatabaseList: page, NextToken: next };
  }

  async deleteDatabase(input: Glue.DeleteDatabaseRequest): Promise<Glue.DeleteDatabaseResponse> {
    const { db } = await this.requireDatabase(input.Name);
    await this.locked(`db:${db}`, () => rm(this.workspace.dir('catalog', db), { recursive: true, force: true }));
    return {};
  }

  /** Creates the database unless it exists (what the crawler and job runner need). */
  async ensureDatabase(name: string): Promise<void> {
    try {
      await this.createDatabase({ DatabaseInput: { Name: name } });
    } catch (error) {
      if (!hasErrorName(error, 'AlreadyExistsException')) throw error;
    }
  }

  // --- tables --------------------------------------------------------------------------------------------

  async createTable(input: Glue.CreateTableRequest): Promise<Glue.CreateTableResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const table = catalogName(input.TableInput?.Name, 'Table');
    return this.locked(`t:${db}.${table}`, async () => {
      if (await readJsonIfExists(this.tableFile(db, table))) throw alreadyExists(`Table ${table}`);
      const now = new Date();
      const stored: Glue.Table = {
        ...input.TableInput,
        Name: table,
        DatabaseName: db,
        CreateTime: now,
        UpdateTime: now,
        PartitionKeys: input.TableInput?.PartitionKeys ?? [],
        Parameters: input.TableInput?.Parameters ?? {},
        VersionId: '0',
        IsRegisteredWithLakeFormation: false,
      };
      await writeJsonAtomic(this.tableFile(db, table), stored);
      return {};
    });
  }

  async getTable(input: Glue.GetTableRequest): Promise<Glue.GetTableResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    return { Table: await this.readTable(db, catalogName(input.Name, 'Table')) };
  }

  /** Expression: Glue's table-name pattern; we support `*` wildcards and `|` alternatives. */
  async getTables(input: Glue.GetTablesRequest): Promise<Glue.GetTablesResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const names = (await this.listNames(this.workspace.dir('catalog', db, 'tables'), false))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
    const pattern = input.Expression ? tableNamePattern(input.Expression) : undefined;
    const tables: Glue.Table[] = [];
    for (const name of names.sort()) {
      if (pattern && !pattern.test(name)) continue;
      const stored = await readJsonIfExists<Glue.Table>(this.tableFile(db, name));
      if (stored) tables.push(reviveDates(stored));
    }
    const { page, next } = pageOf(tables, input.NextToken, input.MaxResults ?? 1000);
    return { TableList: page, NextToken: next };
  }

  async updateTable(input: Glue.UpdateTableRequest): Promise<Glue.UpdateTableResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const table = catalogName(input.TableInput?.Name, 'Table');
    return this.locked(`t:${db}.${table}`, async () => {
      const existing = await this.readTable(db, table);
      const updated: Glue.Table = {
        ...input.TableInput,
        Name: table,
        DatabaseName: db,
        CreateTime: existing.CreateTime,
        UpdateTime: new Date(),
        PartitionKeys: input.TableInput?.PartitionKeys ?? [],
        Parameters: input.TableInput?.Parameters ?? {},
        VersionId: String(Number(existing.VersionId ?? '0') + 1),
        IsRegisteredWithLakeFormation: false,
      };
      await writeJsonAtomic(this.tableFile(db, table), updated);
      return {};
    });
  }

  async deleteTable(input: Glue.DeleteTableRequest): Promise<Glue.DeleteTableResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const table = catalogName(input.Name, 'Table');
    return this.locked(`t:${db}.${table}`, async () => {
      await this.readTable(db, table);
      // Partitions first: a crash in between leaves a table without partitions, never orphans.
      await rm(this.partitionsFile(db, table), { force: true });
      await rm(this.tableFile(db, table), { force: true });
      return {};
    });
  }

  // --- partitions ----------------------------------------------------------------------------------------

  /**
   * Expression support (Glue's partition predicate, a subset): comparisons `=`, `<>`, `!=`, `<`, `<=`, `>`,
   * `>=` between a partition key and a 'string' or number literal, `IN (...)`, combined with AND / OR and
   * parentheses. Numbers compare numerically when both sides are numeric, otherwise as strings.
   * Segment is not supported. Anything else throws InvalidInputException.
   */
  async getPartitions(input: Glue.GetPartitionsRequest): Promise<Glue.GetPartitionsResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    const table = await this.readTable(db, tableName);
    let partitions = await this.readPartitions(db, tableName);
    if (input.Expression?.trim()) {
      const keys = (table.PartitionKeys ?? []).map((k) => (k.Name ?? '').toLowerCase());
      const predicate = parsePartitionExpression(input.Expression, keys);
      partitions = partitions.filter((p) => predicate(p.Values ?? []));
    }
    const { page, next } = pageOf(partitions, input.NextToken, input.MaxResults ?? 1000);
    return { Partitions: page, NextToken: next };
  }

  async getPartition(input: Glue.GetPartitionRequest): Promise<Glue.GetPartitionResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    await this.readTable(db, tableName);
    const key = valuesKey(input.PartitionValues ?? []);
    const found = (await this.readPartitions(db, tableName)).find((p) => valuesKey(p.Values ?? []) === key);
    if (!found) throw entityNotFound(`Partition ${JSON.stringify(input.PartitionValues)}`);
    return { Partition: found };
  }

  async batchCreatePartition(input: Glue.BatchCreatePartitionRequest): Promise<Glue.BatchCreatePartitionResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    if ((input.PartitionInputList?.length ?? 0) > 100) {
      throw invalidInput('PartitionInputList may hold at most 100 partitions.');
    }
    return this.locked(`t:${db}.${tableName}`, async () => {
      const table = await this.readTable(db, tableName);
      const keyCount = table.PartitionKeys?.length ?? 0;
      const partitions = await this.readPartitions(db, tableName);
      const existing = new Set(partitions.map((p) => valuesKey(p.Values ?? [])));
      const errors: Glue.PartitionError[] = [];
      const now = new Date();
      for (const partition of input.PartitionInputList ?? []) {
        const values = partition.Values ?? [];
        const key = valuesKey(values);
        if (values.length !== keyCount) {
          errors.push(
            partitionError(values, 'InvalidInputException', 'The number of partition values does not match.'),
          );
        } else if (existing.has(key)) {
          errors.push(partitionError(values, 'AlreadyExistsException', 'Partition already exists.'));
        } else {
          existing.add(key);
          partitions.push({
            ...partition,
            Values: values,
            DatabaseName: db,
            TableName: tableName,
            CreationTime: now,
            Parameters: partition.Parameters ?? {},
          });
        }
      }
      await writeJsonAtomic(this.partitionsFile(db, tableName), partitions);
      return errors.length > 0 ? { Errors: errors } : {};
    });
  }

  async updatePartition(input: Glue.UpdatePartitionRequest): Promise<Glue.UpdatePartitionResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    return this.locked(`t:${db}.${tableName}`, async () => {
      await this.readTable(db, tableName);
      const partitions = await this.readPartitions(db, tableName);
      const key = valuesKey(input.PartitionValueList ?? []);
      const index = partitions.findIndex((p) => valuesKey(p.Values ?? []) === key);
      const current = partitions[index];
      if (!current) throw entityNotFound(`Partition ${JSON.stringify(input.PartitionValueList)}`);
      partitions[index] = updatedPartition(current, input.PartitionInput, db, tableName);
      await writeJsonAtomic(this.partitionsFile(db, tableName), partitions);
      return {};
    });
  }

  /** Glue's BatchUpdatePartition: up to 100 entries, one atomic write; a missing partition is an entry error. */
  async batchUpdatePartition(input: Glue.BatchUpdatePartitionRequest): Promise<Glue.BatchUpdatePartitionResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    if ((input.Entries?.length ?? 0) > 100) throw invalidInput('Entries may hold at most 100 partitions.');
    return this.locked(`t:${db}.${tableName}`, async () => {
      await this.readTable(db, tableName);
      const partitions = await this.readPartitions(db, tableName);
      const index = new Map(partitions.map((p, i) => [valuesKey(p.Values ?? []), i]));
      const errors: Glue.BatchUpdatePartitionFailureEntry[] = [];
      for (const entry of input.Entries ?? []) {
        const at = index.get(valuesKey(entry.PartitionValueList ?? []));
        const current = at === undefined ? undefined : partitions[at];
        if (at === undefined || !current) {
          errors.push({
            PartitionValueList: entry.PartitionValueList,
            ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Partition not found.' },
          });
          continue;
        }
        partitions[at] = updatedPartition(current, entry.PartitionInput, db, tableName);
      }
      await writeJsonAtomic(this.partitionsFile(db, tableName), partitions);
      return errors.length > 0 ? { Errors: errors } : {};
    });
  }

  async batchDeletePartition(input: Glue.BatchDeletePartitionRequest): Promise<Glue.BatchDeletePartitionResponse> {
    const { db } = await this.requireDatabase(input.DatabaseName);
    const tableName = catalogName(input.TableName, 'Table');
    if ((input.PartitionsToDelete?.length ?? 0) > 25) {
      throw invalidInput('PartitionsToDelete may hold at most 25 partitions.');
    }
    return this.locked(`t:${db}.${tableName}`, async () => {
      await this.readTable(db, tableName);
      const partitions = await this.readPartitions(db, tableName);
      const doomed = new Set((input.PartitionsToDelete ?? []).map((p) => valuesKey(p.Values ?? [])));
      const present = new Set(partitions.map((p) => valuesKey(p.Values ?? [])));
      const errors = (input.PartitionsToDelete ?? [])
        .filter((p) => !present.has(valuesKey(p.Values ?? [])))
        .map((p) => partitionError(p.Values ?? [], 'EntityNotFoundException', 'Partition not found.'));
      await writeJsonAtomic(
        this.partitionsFile(db, tableName),
        partitions.filter((p) => !doomed.has(valuesKey(p.Values ?? []))),
      );
      return errors.length > 0 ? { Errors: errors } : {};
    });
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private async listNames(dir: string, directories: boolean): Promise<string[]> {
    return (await readdirIfExists(dir))
      .filter((e) => (directories ? e.isDirectory() : e.isFile()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  /** Where the catalog keeps its files (for tests and the twin's `describe`). */
  get root(): string {
    return path.join(this.workspace.home, 'catalog');
  }
}

function valuesKey(values: string[]): string {
  return JSON.stringify(values);
}

/** A partition after UpdatePartition: the input replaces it, keeping where it lives and when it was created. */
function updatedPartition(
  current: Glue.Partition,
  input: Glue.PartitionInput | undefined,
  db: string,
  tableName: string,
): Glue.Partition {
  return {
    ...current,
    ...input,
    Values: input?.Values ?? current.Values,
    DatabaseName: db,
    TableName: tableName,
    CreationTime: current.CreationTime,
  };
}

function partitionError(values: string[], code: string, message: string): Glue.PartitionError {
  return { PartitionValues: values, ErrorDetail: { ErrorCode: code, ErrorMessage: message } };
}

function tableNamePattern(expression: string): RegExp {
  const alternatives = expression
    .toLowerCase()
    .split('|')
    .map((alt) => alt.replace(/[.+?^${}()[\]\\]/g, '\\$&').replaceAll('*', '.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}
