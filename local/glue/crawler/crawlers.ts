// Local Glue crawlers: createCrawler (its Configuration honoured, see crawler-config.ts), createClassifier (a CSV
// classifier's delimiter, quote and header replace the sniffer's guesses), startCrawler running the
// crawl in the background, getCrawler with State and LastCrawl, stopCrawler, getCrawlerMetrics (table counts).
// The full result of the last crawl (files read, unreadable files with their keys and reasons, schema changes)
// is a side method, `getLastCrawlReport`, and a JSON file `<home>/crawlers/<name>.last-crawl.json`.

import type * as Glue from '@aws-sdk/client-glue';
import { AwsServiceError, errorMessage, hasErrorName } from '../../../functions/shared/errors';
import { DuckDb } from '../../duckdb';
import { wasInterrupted } from '../../interrupted-runs';
import { parseS3Uri } from '../../s3/s3-paths';
import { readJsonIfExists, type Workspace, writeJsonAtomic } from '../../workspace';
import { catalogName, type LocalGlueCatalog } from '../catalog/catalog';
import { analyseFile, type CsvClassifierDialect } from './crawl-analyze';
import { type AnalysedFile, type FoundFile, findFiles, placeFiles } from './crawl-files';
import { type CrawlReport, newCrawlReport, reportUnreadable } from './crawl-report';
import { writeCatalog } from './crawl-tables';
import { checkTableLevel, parseConfiguration } from './crawler-config';

export { glueTableName } from './crawl-files';
export type { CrawlReport } from './crawl-report';

interface CrawlerRecord {
  crawler: Glue.Crawler;
  /** The process running its crawl, while one runs. */
  pid?: number;
  metrics: { runtimesSeconds: number[]; tablesCreated: number; tablesUpdated: number; tablesDeleted: number };
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
  private classifierFile(name: string) {
    return this.workspace.dir('crawlers', 'classifiers', `${name}.json`);
  }

  /**
   * Glue's CreateClassifier for a CSV classifier, except that an existing name is redefined, so the twin can apply
   * the deployment's definition at every start. Other kinds (grok, XML, JSON) are refused: the crawler reads none.
   */
  async createClassifier(input: Glue.CreateClassifierRequest): Promise<Glue.CreateClassifierResponse> {
    const csv = input.CsvClassifier;
    if (!csv || input.GrokClassifier || input.XMLClassifier || input.JsonClassifier) {
      throw new AwsServiceError('InvalidInputException', 'Only a CsvClassifier is supported locally.');
    }
    const name = LocalCrawlers.validName(csv.Name);
    for (const [field, value] of [
      ['Delimiter', csv.Delimiter],
      ['QuoteSymbol', csv.QuoteSymbol],
    ] as const) {
      if (value !== undefined && value.length !== 1) {
        throw new AwsServiceError('InvalidInputException', `CsvClassifier ${name}: ${field} must be one character.`);
      }
    }
    const stored: Glue.CsvClassifier = { ...csv, Name: name };
    await writeJsonAtomic(this.classifierFile(name), stored);
    return {};
  }

  /** The dialect of the crawler's first CSV classifier; a classifier that is not defined fails the crawl. */
  private async csvDialect(crawler: Glue.Crawler): Promise<CsvClassifierDialect | undefined> {
    const name = crawler.Classifiers?.[0];
    if (name === undefined) return undefined;
    const csv = await readJsonIfExists<Glue.CsvClassifier>(this.classifierFile(LocalCrawlers.validName(name)));
    if (!csv) throw new AwsServiceError('EntityNotFoundException', `Classifier ${name} does not exist`);
    const header = csv.ContainsHeader === 'PRESENT' || csv.ContainsHeader === 'ABSENT' ? csv.ContainsHeader : 'UNKNOWN';
    return { delimiter: csv.Delimiter, quote: csv.QuoteSymbol, header };
  }

  private static validName(name: string | undefined): string {
    if (!name || !/^[A-Za-z0-9_.-]{1,255}$/.test(name) || name.startsWith('.')) {
      throw new AwsServiceError('InvalidInputException', `Crawler name ${JSON.stringify(name)} is not valid.`);
    }
    return name;
  }

  private async load(name: string): Promise<CrawlerRecord> {
    // A crawl this process runs is the record's truth; otherwise the file is (another process may have crawled).
    const cached = this.records.get(name);
    if (cached && this.running.has(name)) return cached;
    const stored = await readJsonIfExists<CrawlerRecord>(this.recordFile(name));
    if (!stored) throw new AwsServiceError('EntityNotFoundException', `Crawler entry with name ${name} does not exist`);
    const crawler = reviveCrawler(stored.crawler);
    if (crawler.State !== 'READY' && wasInterrupted(stored.pid, this.running.has(name))) {
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
   * Glue's CreateCrawler, except that an existing name is redefined (history kept) rather than refused, so the twin
   * can apply the deployment's definition at every start. The Configuration is parsed here: a value the local
   * crawler cannot honour is an InvalidInputException.
   */
  async createCrawler(input: CrawlerDefinition): Promise<Glue.CreateCrawlerResponse> {
    await this.defineCrawler(input);
    return {};
  }

  /** Registers a crawler, or replaces an existing one's definition and keeps its history (see `createCrawler`). */
  async defineCrawler(input: CrawlerDefinition): Promise<void> {
    const name = LocalCrawlers.validName(input.Name);
    const targets = input.Targets?.S3Targets ?? [];
    if (targets.length === 0) throw new AwsServiceError('InvalidInputException', 'A crawler needs an S3 target.');
    for (const target of targets) parseS3Uri(target.Path ?? '');
    catalogName(input.DatabaseName, 'Database');
    checkTableLevel(
      parseConfiguration(input.Configuration),
      targets.map((t) => t.Path ?? ''),
    );
    let existing: CrawlerRecord | undefined;
    try {
      existing = await this.load(name);
    } catch (error) {
      if (!hasErrorName(error, 'EntityNotFoundException')) throw error;
    }
    const definition = {
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
    } satisfies Glue.Crawler;
    // Every twin defines its crawler at start; the same definition leaves the record alone, so a process that
    // starts while another one crawls neither fails nor overwrites that crawl's state.
    if (existing && sameDefinition(existing.crawler, definition)) return;
    if (existing && existing.crawler.State !== 'READY') {
      throw new AwsServiceError('CrawlerRunningException', `Crawler with name ${name} is running.`);
    }
    const now = this.now();
    const crawler: Glue.Crawler = {
      ...definition,
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
    record.pid = process.pid;
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
    const report = newCrawlReport(name, startTime);
    try {
      const config = parseConfiguration(crawler.Configuration);
      const found = await findFiles(this.workspace, crawler, report);
      const analysed = await this.analyse(found, report, name, await this.csvDialect(crawler));
      if (this.stopRequested.has(name)) {
        report.status = 'CANCELLED';
      } else {
        const placed = placeFiles(analysed, config, crawler.TablePrefix ?? '', report);
        const database = crawler.DatabaseName ?? '';
        await writeCatalog({ catalog: this.catalog, crawler, config, database, report }, placed);
      }
    } catch (error) {
      report.status = 'FAILED';
      report.errorMessage = errorMessage(error);
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

  private async analyse(
    found: FoundFile[],
    report: CrawlReport,
    name: string,
    csv: CsvClassifierDialect | undefined,
  ): Promise<AnalysedFile[]> {
    const analysed: AnalysedFile[] = [];
    const db = await DuckDb.open({ threads: 2, memoryLimit: '1GB' });
    try {
      for (const file of found) {
        if (this.stopRequested.has(name)) break;
        const analysis = await analyseFile(db, file.file, csv);
        if (analysis.readable) report.filesRead++;
        else reportUnreadable(report, file.uri, analysis.reason);
        analysed.push({ ...file, analysis });
      }
    } finally {
      db.close();
    }
    return analysed;
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

/** Whether a stored crawler has exactly this definition (what CreateCrawler sets, not its state or history). */
function sameDefinition(stored: Glue.Crawler, definition: Glue.Crawler): boolean {
  const keys = Object.keys(definition) as (keyof Glue.Crawler)[];
  return keys.every((k) => JSON.stringify(stored[k]) === JSON.stringify(definition[k]));
}
