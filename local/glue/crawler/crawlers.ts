// Local Glue crawlers: definitions (createCrawler-like), startCrawler running the crawl in the background,
// getCrawler with State and LastCrawl, stopCrawler, getCrawlerMetrics (Glue's own place for the table counts).
// The full result of the last crawl (files read, unreadable files with their keys and reasons, schema changes)
// is a side method, `getLastCrawlReport`, and a JSON file `<home>/crawlers/<name>.last-crawl.json`.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { AwsServiceError } from '../../../functions/shared/errors';
import { DuckDb } from '../../duckdb';
import { allPartitions } from '../../paging';
import { parseS3Uri, pathToS3Uri, s3UriToPath } from '../../s3/s3-paths';
import { readdirIfExists, readJsonIfExists, type Workspace, writeJsonAtomic } from '../../workspace';
import { catalogName, type LocalGlueCatalog } from '../catalog/catalog';
import { isSameGlueType } from '../catalog/glue-types';
import { analyseFile, type CsvDialect, type FileAnalysis, type FileFormat, type InferredColumn } from './crawl-analyze';

export interface CrawlReport {
  crawler: string;
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  startTime: string;
  endTime: string;
  errorMessage?: string;
  filesRead: number;
  bytesSeen: number;
  tablesCreated: string[];
  tablesUpdated: string[];
  tablesDeleted: string[];
  partitionsCreated: number;
  /** Files that could not be read or did not fit their table; `uri` is `s3://bucket/key`. */
  unreadableFiles: { uri: string; bucket: string; key: string; reason: string }[];
  newColumns: { table: string; column: string; type: string }[];
  /** Type changes of existing columns; `applied` says whether the policy let the crawl update the catalog. */
  schemaChanges: { table: string; column: string; from: string; to: string; applied: boolean }[];
  /** Catalog tables this crawler made whose data is gone, and what the DeleteBehavior did. */
  missingTables: { table: string; action: 'deleted' | 'deprecated' | 'logged' }[];
}

interface CrawlerRecord {
  crawler: Glue.Crawler;
  metrics: { runtimesSeconds: number[]; tablesCreated: number; tablesUpdated: number; tablesDeleted: number };
}

interface CrawlerConfiguration {
  mergeNewColumns: boolean;
  partitionsInheritFromTable: boolean;
}

const SERDE = {
  lazy: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  openCsv: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
  json: 'org.openx.data.jsonserde.JsonSerDe',
  parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';

/** Glue's table naming: lowercase, every character other than a-z, 0-9 and _ becomes `_`. */
export function glueTableName(folder: string, prefix = ''): string {
  return `${prefix}${folder}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

const HIVE_SEGMENT = /^([^=]+)=(.*)$/;

function decodeHiveValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function parseConfiguration(configuration: string | undefined): CrawlerConfiguration {
  if (!configuration) return { mergeNewColumns: false, partitionsInheritFromTable: false };
  let parsed: {
    CrawlerOutput?: { Partitions?: { AddOrUpdateBehavior?: string }; Tables?: { AddOrUpdateBehavior?: string } };
  };
  try {
    parsed = JSON.parse(configuration);
  } catch (error) {
    throw new AwsServiceError('InvalidInputException', 'Crawler Configuration is not valid JSON.', 400, {
      cause: error,
    });
  }
  return {
    mergeNewColumns: parsed.CrawlerOutput?.Tables?.AddOrUpdateBehavior === 'MergeNewColumns',
    partitionsInheritFromTable: parsed.CrawlerOutput?.Partitions?.AddOrUpdateBehavior === 'InheritFromTable',
  };
}

interface FoundFile {
  file: string;
  uri: string;
  size: number;
  tableRoot: string; // s3 URI with trailing slash
  table: string;
  partitionKeys: string[];
  partitionValues: string[];
  partitionLocation: string;
}

interface AnalysedFile extends FoundFile {
  analysis: FileAnalysis;
}

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

export interface LocalCrawlersOptions {
  workspace: Workspace;
  catalog: LocalGlueCatalog;
  /** Clock for StartTime and elapsed times (tests). */
  now?: () => Date;
}

/** CreateCrawler's request; Role is optional locally (nothing assumes it). */
export type CrawlerDefinition = Omit<Glue.CreateCrawlerRequest, 'Role'> & { Role?: string };

export class LocalCrawlers {
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopRequested = new Set<string>();
  private readonly records = new Map<string, CrawlerRecord>();
  private readonly now: () => Date;
  private readonly workspace: Workspace;
  private readonly catalog: LocalGlueCatalog;

  constructor(options: LocalCrawlersOptions) {
    this.workspace = options.workspace;
    this.catalog = options.catalog;
    this.now = options.now ?? (() => new Date());
  }

  private recordFile(name: string) {
    return this.workspace.dir('crawlers', `${name}.json`);
  }
  private reportFile(name: string) {
    return this.workspace.dir('crawlers', `${name}.last-crawl.json`);
  }

  private static validName(name: string | undefined): string {
    if (!name || !/^[A-Za-z0-9_.-]{1,255}$/.test(name) || name.startsWith('.')) {
      throw new AwsServiceError('InvalidInputException', `Crawler name ${JSON.stringify(name)} is not valid.`);
    }
    return name;
  }

  private async load(name: string): Promise<CrawlerRecord> {
    const cached = this.records.get(name);
    if (cached) return cached;
    const stored = await readJsonIfExists<CrawlerRecord>(this.recordFile(name));
    if (!stored) throw new AwsServiceError('EntityNotFoundException', `Crawler entry with name ${name} does not exist`);
    const crawler = reviveCrawler(stored.crawler);
    // A crawl cannot survive its process: a stored RUNNING state means the twin stopped mid-crawl.
    if (crawler.State !== 'READY') {
      crawler.State = 'READY';
      crawler.LastCrawl = {
        ...crawler.LastCrawl,
        Status: 'FAILED',
        ErrorMessage: 'The crawl was interrupted (the local twin stopped while it ran).',
      };
    }
    const record = { ...stored, crawler };
    this.records.set(name, record);
    return record;
  }

  private async save(record: CrawlerRecord): Promise<void> {
    await writeJsonAtomic(this.recordFile(record.crawler.Name ?? ''), record);
  }

  /**
   * Registers a crawler (CreateCrawler's request shape). Defining an existing name replaces its definition and
   * keeps its history, so the twin can re-apply its configuration at every start.
   */
  async defineCrawler(input: CrawlerDefinition): Promise<void> {
    const name = LocalCrawlers.validName(input.Name);
    const targets = input.Targets?.S3Targets ?? [];
    if (targets.length === 0) throw new AwsServiceError('InvalidInputException', 'A crawler needs an S3 target.');
    for (const target of targets) parseS3Uri(target.Path ?? '');
    catalogName(input.DatabaseName, 'Database');
    parseConfiguration(input.Configuration);
    let existing: CrawlerRecord | undefined;
    try {
      existing = await this.load(name);
    } catch (error) {
      if ((error as Error).name !== 'EntityNotFoundException') throw error;
    }
    if (existing && existing.crawler.State !== 'READY') {
      throw new AwsServiceError('CrawlerRunningException', `Crawler with name ${name} is running.`);
    }
    const now = this.now();
    const crawler: Glue.Crawler = {
      Name: name,
      Role: input.Role,
      Targets: { S3Targets: targets },
      DatabaseName: input.DatabaseName,
      Description: input.Description,
      Classifiers: input.Classifiers ?? [],
      RecrawlPolicy: input.RecrawlPolicy ?? { RecrawlBehavior: 'CRAWL_EVERYTHING' },
      SchemaChangePolicy: {
        UpdateBehavior: input.SchemaChangePolicy?.UpdateBehavior ?? 'UPDATE_IN_DATABASE',
        DeleteBehavior: input.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE',
      },
      TablePrefix: input.TablePrefix,
      Configuration: input.Configuration,
      State: 'READY',
      CrawlElapsedTime: 0,
      CreationTime: existing?.crawler.CreationTime ?? now,
      LastUpdated: now,
      LastCrawl: existing?.crawler.LastCrawl,
      Version: (existing?.crawler.Version ?? 0) + 1,
    };
    const record: CrawlerRecord = {
      crawler,
      metrics: existing?.metrics ?? { runtimesSeconds: [], tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0 },
    };
    this.records.set(name, record);
    await this.save(record);
  }

  async getCrawler(input: Glue.GetCrawlerRequest): Promise<Glue.GetCrawlerResponse> {
    const record = await this.load(LocalCrawlers.validName(input.Name));
    const crawler = reviveCrawler(JSON.parse(JSON.stringify(record.crawler)) as Glue.Crawler);
    if (crawler.State !== 'READY' && crawler.LastCrawl?.StartTime) {
      crawler.CrawlElapsedTime = this.now().getTime() - new Date(crawler.LastCrawl.StartTime).getTime();
    }
    return { Crawler: crawler };
  }

  /** Returns at once; the crawl runs in the background (see `whenIdle`). */
  async startCrawler(input: Glue.StartCrawlerRequest): Promise<Glue.StartCrawlerResponse> {
    const name = LocalCrawlers.validName(input.Name);
    const record = await this.load(name);
    if (record.crawler.State !== 'READY' || this.running.has(name)) {
      throw new AwsServiceError('CrawlerRunningException', `Crawler with name ${name} has already started`);
    }
    const startTime = this.now();
    // Glue keeps the previous LastCrawl until the new crawl ends; only State changes now.
    record.crawler.State = 'RUNNING';
    this.stopRequested.delete(name);
    await this.save(record);
    const crawl = this.crawl(record, startTime)
      .catch(() => undefined)
      .finally(() => this.running.delete(name));
    this.running.set(name, crawl);
    return {};
  }

  async stopCrawler(input: Glue.StopCrawlerRequest): Promise<Glue.StopCrawlerResponse> {
    const name = LocalCrawlers.validName(input.Name);
    const record = await this.load(name);
    if (record.crawler.State === 'READY') {
      throw new AwsServiceError('CrawlerNotRunningException', `Crawler with name ${name} is not running`);
    }
    if (record.crawler.State === 'STOPPING') {
      throw new AwsServiceError('CrawlerStoppingException', `Crawler with name ${name} is stopping`);
    }
    record.crawler.State = 'STOPPING';
    this.stopRequested.add(name);
    await this.save(record);
    return {};
  }

  /** Resolves when the crawler's current crawl (if any) has finished. */
  async whenIdle(name: string): Promise<void> {
    await this.running.get(name);
  }

  async getCrawlerMetrics(input: Glue.GetCrawlerMetricsRequest = {}): Promise<Glue.GetCrawlerMetricsResponse> {
    const names = input.CrawlerNameList ?? [];
    const list: Glue.CrawlerMetrics[] = [];
    for (const name of names) {
      const { metrics } = await this.load(LocalCrawlers.validName(name));
      const runtimes = [...metrics.runtimesSeconds].sort((a, b) => a - b);
      list.push({
        CrawlerName: name,
        TimeLeftSeconds: 0,
        StillEstimating: false,
        LastRuntimeSeconds: metrics.runtimesSeconds.at(-1) ?? 0,
        MedianRuntimeSeconds: runtimes[Math.floor((runtimes.length - 1) / 2)] ?? 0,
        TablesCreated: metrics.tablesCreated,
        TablesUpdated: metrics.tablesUpdated,
        TablesDeleted: metrics.tablesDeleted,
      });
    }
    return { CrawlerMetricsList: list };
  }

  /** The last finished crawl's full report, or undefined before the first one. */
  async getLastCrawlReport(name: string): Promise<CrawlReport | undefined> {
    return readJsonIfExists<CrawlReport>(this.reportFile(LocalCrawlers.validName(name)));
  }

  // --- the crawl -----------------------------------------------------------------------------------------

  private async crawl(record: CrawlerRecord, startTime: Date): Promise<void> {
    const crawler = record.crawler;
    const name = crawler.Name ?? '';
    const report: CrawlReport = {
      crawler: name,
      status: 'SUCCEEDED',
      startTime: startTime.toISOString(),
      endTime: '',
      filesRead: 0,
      bytesSeen: 0,
      tablesCreated: [],
      tablesUpdated: [],
      tablesDeleted: [],
      partitionsCreated: 0,
      unreadableFiles: [],
      newColumns: [],
      schemaChanges: [],
      missingTables: [],
    };
    try {
      const found = await this.findFiles(crawler, report);
      const analysed = await this.analyse(found, report, name);
      if (this.stopRequested.has(name)) {
        report.status = 'CANCELLED';
      } else {
        await this.writeCatalog(crawler, analysed, report);
      }
    } catch (error) {
      report.status = 'FAILED';
      report.errorMessage = (error as Error).message;
    }
    const end = this.now();
    report.endTime = end.toISOString();
    await writeJsonAtomic(this.reportFile(name), report);
    crawler.State = 'READY';
    crawler.CrawlElapsedTime = 0;
    crawler.LastCrawl = {
      Status: report.status,
      StartTime: startTime,
      ErrorMessage: report.errorMessage,
      LogGroup: '/aws-glue/crawlers',
      LogStream: name,
      MessagePrefix: `local-${startTime.getTime()}`,
    };
    if (report.status === 'SUCCEEDED') {
      record.metrics.runtimesSeconds = [
        ...record.metrics.runtimesSeconds.slice(-99),
        (end.getTime() - startTime.getTime()) / 1000,
      ];
      record.metrics.tablesCreated += report.tablesCreated.length;
      record.metrics.tablesUpdated += report.tablesUpdated.length;
      record.metrics.tablesDeleted += report.tablesDeleted.length;
    }
    this.stopRequested.delete(name);
    await this.save(record);
  }

  private async findFiles(crawler: Glue.Crawler, report: CrawlReport): Promise<FoundFile[]> {
    const found: FoundFile[] = [];
    for (const target of crawler.Targets?.S3Targets ?? []) {
      const targetUri = (target.Path ?? '').endsWith('/') ? (target.Path ?? '') : `${target.Path}/`;
      const { bucket, key: prefix } = parseS3Uri(targetUri);
      const root = s3UriToPath(this.workspace, targetUri);
      const exclusions = (target.Exclusions ?? []).map(globToRegExp);
      const targetName = prefix.replace(/\/+$/, '').split('/').at(-1) || bucket;
      const walk = async (dir: string, segments: string[]) => {
        const entries = await readdirIfExists(dir);
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          // Hidden and marker files (`_SUCCESS`, `.crc`, temp files of atomic writes) are not data.
          if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            await walk(full, [...segments, entry.name]);
            continue;
          }
          if (!entry.isFile()) continue;
          if (exclusions.some((re) => re.test([...segments, entry.name].join('/')))) continue;
          const info = await stat(full);
          report.bytesSeen += info.size;
          const first = segments[0];
          // Data right under the target, or in key=value folders there: the target folder is the table.
          const targetIsTable = first === undefined || HIVE_SEGMENT.test(first);
          const tableSegments = targetIsTable ? [] : [first];
          const partitionSegments = targetIsTable ? segments : segments.slice(1);
          const tableRoot = `${targetUri}${tableSegments.map((s) => `${s}/`).join('')}`;
          found.push({
            file: full,
            uri: pathToS3Uri(this.workspace, full),
            size: info.size,
            tableRoot,
            table: glueTableName(targetIsTable ? targetName : (first ?? ''), crawler.TablePrefix ?? ''),
            partitionKeys: partitionSegments.map((s, i) => {
              const m = HIVE_SEGMENT.exec(s);
              return m ? (m[1] ?? '').toLowerCase() : `partition_${i}`;
            }),
            partitionValues: partitionSegments.map((s) => {
              const m = HIVE_SEGMENT.exec(s);
              return m ? decodeHiveValue(m[2] ?? '') : s;
            }),
            partitionLocation: `${tableRoot}${partitionSegments.map((s) => `${s}/`).join('')}`,
          });
        }
      };
      await walk(root, []);
    }
    return found;
  }

  private async analyse(found: FoundFile[], report: CrawlReport, name: string): Promise<AnalysedFile[]> {
    const analysed: AnalysedFile[] = [];
    const db = await DuckDb.open({ threads: 2, memoryLimit: '1GB' });
    try {
      for (const file of found) {
        if (this.stopRequested.has(name)) break;
        const analysis = await analyseFile(db, file.file);
        if (analysis.readable) report.filesRead++;
        else this.unreadable(report, file.uri, analysis.reason);
        analysed.push({ ...file, analysis });
      }
    } finally {
      db.close();
    }
    return analysed;
  }

  private unreadable(report: CrawlReport, uri: string, reason: string): void {
    const { bucket, key } = parseS3Uri(uri);
    report.unreadableFiles.push({ uri, bucket, key, reason });
  }

  private async writeCatalog(crawler: Glue.Crawler, files: AnalysedFile[], report: CrawlReport): Promise<void> {
    const database = crawler.DatabaseName ?? '';
    await this.catalog.ensureDatabase(database);
    const config = parseConfiguration(crawler.Configuration);
    const byTable = new Map<string, AnalysedFile[]>();
    for (const f of files) {
      const group = byTable.get(f.table);
      if (group) group.push(f);
      else byTable.set(f.table, [f]);
    }

    for (const [table, tableFiles] of [...byTable].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await this.writeTable(crawler, config, database, table, tableFiles, report);
    }
    await this.handleMissingTables(crawler, database, new Set(byTable.keys()), report);
  }

  private async writeTable(
    crawler: Glue.Crawler,
    config: CrawlerConfiguration,
    database: string,
    table: string,
    files: AnalysedFile[],
    report: CrawlReport,
  ): Promise<void> {
    const readable = files.filter(
      (f): f is AnalysedFile & { analysis: Extract<FileAnalysis, { readable: true }> } => f.analysis.readable,
    );
    const format = mostCommon(readable, (f) => f.analysis.format) as FileFormat | undefined;
    if (!format) return; // nothing readable: the table is neither created nor changed
    const layout = mostCommon(readable, (f) => JSON.stringify(f.partitionKeys)) ?? '[]';
    const fitting = readable.filter((f) => {
      if (f.analysis.format !== format) {
        this.unreadable(report, f.uri, `format ${f.analysis.format} differs from the table's ${format}`);
        return false;
      }
      if (JSON.stringify(f.partitionKeys) !== layout) {
        this.unreadable(report, f.uri, `folder layout differs from the table's partitions ${layout}`);
        return false;
      }
      return true;
    });

    // Columns across this crawl's files: union in order of first appearance, conflicting types widened.
    const inferred: InferredColumn[] = [];
    for (const f of fitting) {
      for (const column of f.analysis.columns) {
        const existing = inferred.find((c) => c.name === column.name);
        if (!existing) inferred.push({ ...column });
        else existing.type = widen(existing.type, column.type);
      }
    }
    const partitionKeyNames = JSON.parse(layout) as string[];
    const dataColumns = inferred.filter((c) => !partitionKeyNames.includes(c.name));

    const current = await this.catalog
      .getTable({ DatabaseName: database, Name: table })
      .then((r) => r.Table)
      .catch((error: Error) => {
        if (error.name === 'EntityNotFoundException') return undefined;
        throw error;
      });
    const update = crawler.SchemaChangePolicy?.UpdateBehavior !== 'LOG';
    let columns: Glue.Column[];
    let changed = false;
    if (!current) {
      columns = dataColumns.map((c) => ({ Name: c.name, Type: c.type }));
    } else {
      const old = current.StorageDescriptor?.Columns ?? [];
      columns = old.map((c) => ({ ...c }));
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
    }

    const tableRoot = fitting[0]?.tableRoot ?? '';
    const storage = storageFor(format, fitting, columns, tableRoot);
    const totalBytes = fitting.reduce((n, f) => n + f.size, 0);
    const averageRecordSize = Math.max(
      1,
      Math.round(fitting.reduce((n, f) => n + f.analysis.averageRecordSize, 0) / Math.max(1, fitting.length)),
    );
    const parameters: Record<string, string> = {
      ...(current?.Parameters ?? {}),
      ...storage.tableParameters,
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
    const partitionKeys: Glue.Column[] =
      current?.PartitionKeys && current.PartitionKeys.length > 0
        ? current.PartitionKeys
        : partitionKeyNames.map((k) => ({ Name: k, Type: 'string' }));
    if (current && JSON.stringify(partitionKeys.map((k) => k.Name)) !== layout) {
      for (const f of fitting) {
        this.unreadable(report, f.uri, `folder layout ${layout} differs from the table's partition keys`);
      }
      return;
    }
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
      await this.catalog.createTable({ DatabaseName: database, TableInput: tableInput });
      report.tablesCreated.push(table);
    } else {
      await this.catalog.updateTable({ DatabaseName: database, TableInput: tableInput });
    }

    const partitionsChanged = await this.writePartitions(crawler, config, database, table, sd, fitting, report);
    if (current && (changed || partitionsChanged)) report.tablesUpdated.push(table);
  }

  /** Registers one Partition per folder; with InheritFromTable, every partition carries the table's schema. */
  private async writePartitions(
    crawler: Glue.Crawler,
    config: CrawlerConfiguration,
    database: string,
    table: string,
    sd: Glue.StorageDescriptor,
    files: AnalysedFile[],
    report: CrawlReport,
  ): Promise<boolean> {
    if ((files[0]?.partitionKeys.length ?? 0) === 0) return false;
    const wanted = new Map<string, { values: string[]; location: string; files: AnalysedFile[] }>();
    for (const f of files) {
      const key = JSON.stringify(f.partitionValues);
      const entry = wanted.get(key) ?? { values: f.partitionValues, location: f.partitionLocation, files: [] };
      entry.files.push(f);
      wanted.set(key, entry);
    }
    const existing = await allPartitions(this.catalog, database, table);
    const existingKeys = new Map(existing.map((p) => [JSON.stringify(p.Values ?? []), p]));
    // InheritFromTable: a partition carries the table's schema; otherwise the schema of its own files.
    const partitionSd = (location: string, own: AnalysedFile[]): Glue.StorageDescriptor => {
      if (config.partitionsInheritFromTable) return { ...sd, Location: location };
      const columns: Glue.Column[] = [];
      for (const f of own) {
        if (!f.analysis.readable) continue;
        for (const c of f.analysis.columns) {
          const match = columns.find((x) => x.Name === c.name);
          if (!match) columns.push({ Name: c.name, Type: c.type });
          else match.Type = widen(match.Type ?? 'string', c.type);
        }
      }
      const keys = own[0]?.partitionKeys ?? [];
      return { ...sd, Location: location, Columns: columns.filter((c) => !keys.includes(c.Name ?? '')) };
    };

    // Only a schema/SerDe change rewrites an existing partition (statistics in Parameters do not), in batches.
    const schemaOf = (d: Glue.StorageDescriptor | undefined) =>
      JSON.stringify([d?.Columns, d?.SerdeInfo, d?.InputFormat, d?.OutputFormat, d?.Location]);
    let changed = false;
    const toCreate: Glue.PartitionInput[] = [];
    const toUpdate: Glue.BatchUpdatePartitionRequestEntry[] = [];
    for (const [key, p] of wanted) {
      const nextSd = partitionSd(p.location, p.files);
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
    for (let i = 0; i < toUpdate.length; i += 100) {
      await this.catalog.batchUpdatePartition({
        DatabaseName: database,
        TableName: table,
        Entries: toUpdate.slice(i, i + 100),
      });
    }
    if (toUpdate.length > 0) changed = true;
    for (let i = 0; i < toCreate.length; i += 100) {
      const result = await this.catalog.batchCreatePartition({
        DatabaseName: database,
        TableName: table,
        PartitionInputList: toCreate.slice(i, i + 100),
      });
      report.partitionsCreated += toCreate.slice(i, i + 100).length - (result.Errors?.length ?? 0);
    }
    if (toCreate.length > 0) changed = true;

    const gone = existing.filter((p) => !wanted.has(JSON.stringify(p.Values ?? [])));
    if (gone.length > 0 && crawler.SchemaChangePolicy?.DeleteBehavior === 'DELETE_FROM_DATABASE') {
      await this.catalog.batchDeletePartition({
        DatabaseName: database,
        TableName: table,
        PartitionsToDelete: gone.map((p) => ({ Values: p.Values ?? [] })),
      });
      changed = true;
    }
    return changed;
  }

  /** Tables this crawler made under its targets whose data has gone: DeleteBehavior decides. */
  private async handleMissingTables(
    crawler: Glue.Crawler,
    database: string,
    present: Set<string>,
    report: CrawlReport,
  ): Promise<void> {
    const targets = (crawler.Targets?.S3Targets ?? []).map((t) => (t.Path ?? '').replace(/\/?$/, '/'));
    const { TableList = [] } = await this.catalog.getTables({ DatabaseName: database });
    for (const t of TableList) {
      const name = t.Name ?? '';
      if (present.has(name) || t.Parameters?.UPDATED_BY_CRAWLER !== crawler.Name) continue;
      const location = t.StorageDescriptor?.Location ?? '';
      if (!targets.some((target) => location.startsWith(target))) continue;
      const behavior = crawler.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE';
      if (behavior === 'DELETE_FROM_DATABASE') {
        await this.catalog.deleteTable({ DatabaseName: database, Name: name });
        report.tablesDeleted.push(name);
        report.missingTables.push({ table: name, action: 'deleted' });
      } else if (behavior === 'DEPRECATE_IN_DATABASE') {
        await this.catalog.updateTable({
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
}

function reviveCrawler(crawler: Glue.Crawler): Glue.Crawler {
  const revived = { ...crawler };
  if (revived.CreationTime) revived.CreationTime = new Date(revived.CreationTime);
  if (revived.LastUpdated) revived.LastUpdated = new Date(revived.LastUpdated);
  if (revived.LastCrawl?.StartTime) {
    revived.LastCrawl = { ...revived.LastCrawl, StartTime: new Date(revived.LastCrawl.StartTime) };
  }
  return revived;
}

/** The SerDe, formats and CSV table parameters for a table of `format`, from its files' dialects. */
function storageFor(
  format: FileFormat,
  files: { analysis: FileAnalysis }[],
  columns: Glue.Column[],
  location: string,
): { sd: Glue.StorageDescriptor; tableParameters: Record<string, string> } {
  const base = {
    Columns: columns,
    Location: location,
    Compressed: false,
    NumberOfBuckets: -1,
    BucketColumns: [],
    SortColumns: [],
    StoredAsSubDirectories: false,
  };
  if (format === 'parquet') {
    return {
      sd: {
        ...base,
        InputFormat: PARQUET_INPUT,
        OutputFormat: PARQUET_OUTPUT,
        SerdeInfo: { SerializationLibrary: SERDE.parquet, Parameters: { 'serialization.format': '1' } },
      },
      tableParameters: {},
    };
  }
  if (format === 'json') {
    return {
      sd: {
        ...base,
        InputFormat: TEXT_INPUT,
        OutputFormat: TEXT_OUTPUT,
        SerdeInfo: {
          SerializationLibrary: SERDE.json,
          Parameters: { paths: columns.map((c) => c.Name).join(',') },
        },
      },
      tableParameters: {},
    };
  }
  const dialects = files
    .map((f) => (f.analysis.readable ? f.analysis.csv : undefined))
    .filter((d): d is CsvDialect => d !== undefined);
  const first = dialects[0] ?? { delimiter: ',', quote: '', escape: '', hasHeader: true, encoding: 'UTF-8' };
  const quote = dialects.find((d) => d.quote !== '')?.quote ?? '';
  const hasHeader = dialects.filter((d) => d.hasHeader).length * 2 >= dialects.length;
  const latin1 = dialects.some((d) => d.encoding === 'ISO-8859-1');
  const encoding: Record<string, string> = latin1 ? { 'serialization.encoding': 'ISO-8859-1' } : {};
  // Quoted fields need OpenCSVSerde (as Glue's CSV classifier decides); plain text keeps LazySimpleSerDe.
  const serde: Glue.SerDeInfo =
    quote !== ''
      ? {
          SerializationLibrary: SERDE.openCsv,
          Parameters: {
            separatorChar: first.delimiter,
            quoteChar: quote,
            // RFC 4180 doubles the quote to escape it; record that rather than OpenCSVSerde's backslash default.
            escapeChar: dialects.find((d) => d.escape !== '')?.escape ?? quote,
            ...encoding,
          },
        }
      : {
          SerializationLibrary: SERDE.lazy,
          Parameters: { 'field.delim': first.delimiter, 'serialization.format': first.delimiter, ...encoding },
        };
  return {
    sd: { ...base, InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: serde },
    tableParameters: {
      delimiter: first.delimiter,
      areColumnsQuoted: String(quote !== ''),
      columnsOrdered: 'true',
      ...(hasHeader ? { 'skip.header.line.count': '1' } : {}),
    },
  };
}
