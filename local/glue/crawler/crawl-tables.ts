// What a crawl writes into the catalog: one table per group of placed files (schema merged by the policies),
// its partitions, and what happens to tables whose data is gone (DeleteBehavior).
import type * as Glue from '@aws-sdk/client-glue';
import { hasErrorName } from '../../../functions/shared/errors';
import { allPartitions } from '../../paging';
import type { LocalGlueCatalog } from '../catalog/catalog';
import { isSameGlueType } from '../catalog/glue-types';
import type { FileAnalysis, FileFormat, InferredColumn } from './crawl-analyze';
import type { PlacedFile } from './crawl-files';
import { type CrawlReport, reportUnreadable } from './crawl-report';
import type { CrawlerConfiguration } from './crawler-config';
import { storageFor } from './table-storage';

/** What every write of one crawl shares. */
export interface CrawlContext {
  catalog: LocalGlueCatalog;
  crawler: Glue.Crawler;
  config: CrawlerConfiguration;
  database: string;
  report: CrawlReport;
}

type ReadableFile = PlacedFile & { analysis: Extract<FileAnalysis, { readable: true }> };

/** Wider of two Glue types for files of one crawl: integers widen to double, date to timestamp, else string. */
function widen(a: string, b: string): string {
  if (isSameGlueType(a, b)) return a;
  const ints = ['tinyint', 'smallint', 'int', 'bigint'];
  if (ints.includes(a) && ints.includes(b)) return ints[Math.max(ints.indexOf(a), ints.indexOf(b))] ?? 'bigint';
  const numeric = (t: string) => ints.includes(t) || t === 'double' || t === 'float' || t.startsWith('decimal');
  if (numeric(a) && numeric(b)) return 'double';
  if ((a === 'date' && b === 'timestamp') || (a === 'timestamp' && b === 'date')) return 'timestamp';
  return 'string';
}

function mostCommon<T>(items: T[], key: (t: T) => string): string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, c] of counts) {
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  return best;
}

/** Union of the files' columns in order of first appearance, conflicting types widened. */
function unionColumns(files: { analysis: FileAnalysis }[]): InferredColumn[] {
  const columns: InferredColumn[] = [];
  for (const f of files) {
    if (!f.analysis.readable) continue;
    for (const column of f.analysis.columns) {
      const existing = columns.find((c) => c.name === column.name);
      if (!existing) columns.push({ ...column });
      else existing.type = widen(existing.type, column.type);
    }
  }
  return columns;
}

/** Writes every table of the crawl, then applies DeleteBehavior to this crawler's tables whose data is gone. */
export async function writeCatalog(context: CrawlContext, files: PlacedFile[]): Promise<void> {
  await context.catalog.ensureDatabase(context.database);
  const byTable = new Map<string, PlacedFile[]>();
  for (const f of files) {
    const group = byTable.get(f.table);
    if (group) group.push(f);
    else byTable.set(f.table, [f]);
  }
  for (const [table, tableFiles] of [...byTable].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await writeTable({ context, table, files: tableFiles });
  }
  await handleMissingTables(context, new Set(byTable.keys()));
}

/** The files of the table's most common format and folder layout; the others are reported as not fitting. */
function fittingFiles(
  files: PlacedFile[],
  report: CrawlReport,
): { format: FileFormat; layout: string; fitting: ReadableFile[] } | undefined {
  const readable = files.filter((f): f is ReadableFile => f.analysis.readable);
  const format = mostCommon(readable, (f) => f.analysis.format) as FileFormat | undefined;
  if (!format) return undefined;
  const layout = mostCommon(readable, (f) => JSON.stringify(f.partitionKeys)) ?? '[]';
  const fitting = readable.filter((f) => {
    if (f.analysis.format !== format) {
      reportUnreadable(report, f.uri, `format ${f.analysis.format} differs from the table's ${format}`);
      return false;
    }
    if (JSON.stringify(f.partitionKeys) !== layout) {
      reportUnreadable(report, f.uri, `folder layout differs from the table's partitions ${layout}`);
      return false;
    }
    return true;
  });
  return { format, layout, fitting };
}

/** The table's next columns from its current ones and the crawl's, as UpdateBehavior and MergeNewColumns say. */
function mergeColumns(
  context: CrawlContext,
  table: string,
  current: Glue.Table | undefined,
  dataColumns: InferredColumn[],
): { columns: Glue.Column[]; changed: boolean } {
  if (!current) return { columns: dataColumns.map((c) => ({ Name: c.name, Type: c.type })), changed: false };
  const { config, report } = context;
  const update = context.crawler.SchemaChangePolicy?.UpdateBehavior !== 'LOG';
  let columns = (current.StorageDescriptor?.Columns ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const column of dataColumns) {
    const match = columns.find((c) => c.Name === column.name);
    if (!match) {
      if (config.mergeNewColumns || update) {
        columns.push({ Name: column.name, Type: column.type });
        report.newColumns.push({ table, column: column.name, type: column.type });
        changed = true;
      }
    } else if (!isSameGlueType(match.Type ?? '', column.type)) {
      report.schemaChanges.push({
        table,
        column: column.name,
        from: match.Type ?? '',
        to: column.type,
        applied: update,
      });
      if (update) {
        match.Type = column.type;
        changed = true;
      }
    }
  }
  // Without MergeNewColumns an UPDATE_IN_DATABASE crawl replaces the schema: columns no file has are dropped.
  if (update && !config.mergeNewColumns) {
    const kept = columns.filter((c) => dataColumns.some((d) => d.name === c.Name));
    if (kept.length !== columns.length) changed = true;
    columns = kept;
  }
  return { columns, changed };
}

/** The table Parameters a crawler records: classification, sizes, counts and who updated it. */
function tableParameters(
  crawler: Glue.Crawler,
  current: Glue.Table | undefined,
  format: FileFormat,
  fitting: ReadableFile[],
  storageParameters: Record<string, string>,
): Record<string, string> {
  const totalBytes = fitting.reduce((n, f) => n + f.size, 0);
  const averageRecordSize = Math.max(
    1,
    Math.round(fitting.reduce((n, f) => n + f.analysis.averageRecordSize, 0) / Math.max(1, fitting.length)),
  );
  const parameters: Record<string, string> = {
    ...(current?.Parameters ?? {}),
    ...storageParameters,
    classification: format,
    compressionType: fitting.some((f) => f.analysis.compression === 'gzip') ? 'gzip' : 'none',
    typeOfData: 'file',
    objectCount: String(fitting.length),
    sizeKey: String(totalBytes),
    recordCount: String(Math.round(totalBytes / averageRecordSize)),
    averageRecordSize: String(averageRecordSize),
    UPDATED_BY_CRAWLER: crawler.Name ?? '',
    CrawlerSchemaSerializerVersion: '1.0',
    CrawlerSchemaDeserializerVersion: '1.0',
  };
  delete parameters.DEPRECATED_BY_CRAWLER;
  return parameters;
}

async function currentTable(context: CrawlContext, table: string): Promise<Glue.Table | undefined> {
  try {
    return (await context.catalog.getTable({ DatabaseName: context.database, Name: table })).Table;
  } catch (error) {
    if (hasErrorName(error, 'EntityNotFoundException')) return undefined;
    throw error;
  }
}

/** Creates or updates one table from its files, then its partitions. */
async function writeTable({ context, table, files }: { context: CrawlContext; table: string; files: PlacedFile[] }) {
  const { catalog, crawler, database, report } = context;
  const fit = fittingFiles(files, report);
  if (!fit) return; // nothing readable: the table is neither created nor changed
  const { format, layout, fitting } = fit;
  const partitionKeyNames = JSON.parse(layout) as string[];
  const dataColumns = unionColumns(fitting).filter((c) => !partitionKeyNames.includes(c.name));
  const current = await currentTable(context, table);
  const { columns, changed } = mergeColumns(context, table, current, dataColumns);
  const storage = storageFor(format, fitting, columns, fitting[0]?.tableRoot ?? '');
  const parameters = tableParameters(crawler, current, format, fitting, storage.tableParameters);
  const partitionKeys: Glue.Column[] =
    current?.PartitionKeys && current.PartitionKeys.length > 0
      ? current.PartitionKeys
      : partitionKeyNames.map((k) => ({ Name: k, Type: 'string' }));
  if (current && JSON.stringify(partitionKeys.map((k) => k.Name)) !== layout) {
    for (const f of fitting)
      reportUnreadable(report, f.uri, `folder layout ${layout} differs from the table's partition keys`);
    return;
  }
  const update = crawler.SchemaChangePolicy?.UpdateBehavior !== 'LOG';
  // With LOG, an existing table keeps its SerDe: only the data-describing statistics move.
  const sd: Glue.StorageDescriptor =
    current && !update && !changed
      ? { ...current.StorageDescriptor, Columns: columns }
      : { ...storage.sd, Columns: columns, Parameters: { ...parameters } };
  const tableInput: Glue.TableInput = {
    Name: table,
    StorageDescriptor: sd,
    PartitionKeys: partitionKeys,
    TableType: 'EXTERNAL_TABLE',
    Parameters: parameters,
    Retention: 0,
    Owner: 'owner',
  };
  if (!current) {
    await catalog.createTable({ DatabaseName: database, TableInput: tableInput });
    report.tablesCreated.push(table);
  } else {
    await catalog.updateTable({ DatabaseName: database, TableInput: tableInput });
  }
  const partitionsChanged = await writePartitions({ context, table, sd, files: fitting });
  if (current && (changed || partitionsChanged)) report.tablesUpdated.push(table);
}

/** A partition's StorageDescriptor: the table's schema with InheritFromTable, else that of its own files. */
function partitionStorage(
  config: CrawlerConfiguration,
  sd: Glue.StorageDescriptor,
  location: string,
  own: PlacedFile[],
) {
  if (config.partitionsInheritFromTable) return { ...sd, Location: location };
  const keys = own[0]?.partitionKeys ?? [];
  const columns = unionColumns(own)
    .filter((c) => !keys.includes(c.name))
    .map((c) => ({ Name: c.name, Type: c.type }));
  return { ...sd, Location: location, Columns: columns };
}

// Only a schema/SerDe change rewrites an existing partition; statistics in Parameters do not.
const schemaOf = (d: Glue.StorageDescriptor | undefined) =>
  JSON.stringify([d?.Columns, d?.SerdeInfo, d?.InputFormat, d?.OutputFormat, d?.Location]);

interface PartitionWrite {
  context: CrawlContext;
  table: string;
  sd: Glue.StorageDescriptor;
  files: PlacedFile[];
}

/** Registers one Partition per folder, in batches of 100; returns whether any partition changed. */
async function writePartitions({ context, table, sd, files }: PartitionWrite): Promise<boolean> {
  const { catalog, crawler, config, database, report } = context;
  if ((files[0]?.partitionKeys.length ?? 0) === 0) return false;
  const wanted = new Map<string, { values: string[]; location: string; files: PlacedFile[] }>();
  for (const f of files) {
    const key = JSON.stringify(f.partitionValues);
    const entry = wanted.get(key) ?? { values: f.partitionValues, location: f.partitionLocation, files: [] };
    entry.files.push(f);
    wanted.set(key, entry);
  }
  const existing = await allPartitions(catalog, database, table);
  const existingKeys = new Map(existing.map((p) => [JSON.stringify(p.Values ?? []), p]));
  const toCreate: Glue.PartitionInput[] = [];
  const toUpdate: Glue.BatchUpdatePartitionRequestEntry[] = [];
  for (const [key, p] of wanted) {
    const nextSd = partitionStorage(config, sd, p.location, p.files);
    const found = existingKeys.get(key);
    if (!found) {
      toCreate.push({ Values: p.values, StorageDescriptor: nextSd, Parameters: { ...(sd.Parameters ?? {}) } });
    } else if (schemaOf(found.StorageDescriptor) !== schemaOf(nextSd)) {
      toUpdate.push({
        PartitionValueList: p.values,
        PartitionInput: { Values: p.values, StorageDescriptor: nextSd, Parameters: found.Parameters },
      });
    }
  }
  const names = { DatabaseName: database, TableName: table };
  for (let i = 0; i < toUpdate.length; i += 100) {
    await catalog.batchUpdatePartition({ ...names, Entries: toUpdate.slice(i, i + 100) });
  }
  for (let i = 0; i < toCreate.length; i += 100) {
    const batch = toCreate.slice(i, i + 100);
    const result = await catalog.batchCreatePartition({ ...names, PartitionInputList: batch });
    report.partitionsCreated += batch.length - (result.Errors?.length ?? 0);
  }
  const gone = existing.filter((p) => !wanted.has(JSON.stringify(p.Values ?? [])));
  const deleteGone = gone.length > 0 && crawler.SchemaChangePolicy?.DeleteBehavior === 'DELETE_FROM_DATABASE';
  if (deleteGone) {
    await catalog.batchDeletePartition({ ...names, PartitionsToDelete: gone.map((p) => ({ Values: p.Values ?? [] })) });
  }
  return toUpdate.length > 0 || toCreate.length > 0 || deleteGone;
}

/** Tables this crawler made under its targets whose data has gone: DeleteBehavior decides. */
async function handleMissingTables(context: CrawlContext, present: Set<string>): Promise<void> {
  const { catalog, crawler, database, report } = context;
  const targets = (crawler.Targets?.S3Targets ?? []).map((t) => (t.Path ?? '').replace(/\/?$/, '/'));
  const { TableList = [] } = await catalog.getTables({ DatabaseName: database });
  for (const t of TableList) {
    const name = t.Name ?? '';
    if (present.has(name) || t.Parameters?.UPDATED_BY_CRAWLER !== crawler.Name) continue;
    const location = t.StorageDescriptor?.Location ?? '';
    if (!targets.some((target) => location.startsWith(target))) continue;
    const behavior = crawler.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE';
    if (behavior === 'DELETE_FROM_DATABASE') {
      await catalog.deleteTable({ DatabaseName: database, Name: name });
      report.tablesDeleted.push(name);
      report.missingTables.push({ table: name, action: 'deleted' });
    } else if (behavior === 'DEPRECATE_IN_DATABASE') {
      await catalog.updateTable({
        DatabaseName: database,
        TableInput: {
          Name: name,
          StorageDescriptor: t.StorageDescriptor,
          PartitionKeys: t.PartitionKeys,
          TableType: t.TableType,
          Parameters: { ...(t.Parameters ?? {}), DEPRECATED_BY_CRAWLER: '1' },
        },
      });
      report.missingTables.push({ table: name, action: 'deprecated' });
    } else {
      report.missingTables.push({ table: name, action: 'logged' });
    }
  }
}
