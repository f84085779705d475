// Benchmark (not a test): crawl and catalog a ~1 GB folder of customer-transaction CSVs (several files in Hive
// partitions) with the local crawler. Reports crawl wall time (startCrawler -> READY) and peak RSS sampled during
// the crawl. The data is generated once into bench/out/crawl-<bytes>/ and reused (hard-linked into a fresh
// workspace each run, so every crawl is a first crawl).
//
//   node bin/run-ts.cjs bench/crawl.ts [--files 8] [--rows-per-file 2500000]
import { link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateTransactionsFile } from '../local/generate/transactions';
import { LocalGlueCatalog } from '../local/glue/catalog/catalog';
import { LocalCrawlers } from '../local/glue/crawler/crawlers';
import { CRAWLER_SCHEMA_SETTINGS } from '../local/twin/config';
import { Workspace } from '../local/workspace';

export interface CrawlBenchmarkOptions {
  files?: number;
  rowsPerFile?: number;
  /** Where generated data is kept between runs. */
  outDir?: string;
  log?: (line: string) => void;
}

export interface CrawlBenchmarkResult {
  files: number;
  bytes: number;
  crawlMs: number;
  peakRssMiB: number;
  status: string | undefined;
  tables: string[];
  partitions: number;
  columns: string[];
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Generates (once) and crawls the folder; returns the measurements. */
export async function runCrawlBenchmark(options: CrawlBenchmarkOptions = {}): Promise<CrawlBenchmarkResult> {
  const files = options.files ?? 8;
  const rowsPerFile = options.rowsPerFile ?? 2_500_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.join(options.outDir ?? path.resolve(__dirname, 'out'), `crawl-${files}x${rowsPerFile}`);

  // Two files per monthly partition, as an arrival pattern would leave them.
  const layout = Array.from({ length: files }, (_, i) => ({
    relative: path.join(`year=2024`, `month=${String(Math.floor(i / 2) + 1).padStart(2, '0')}`, `part-${i}.csv`),
    seed: 100 + i,
    idPrefix: `B${i}-`,
  }));
  let bytes = 0;
  for (const file of layout) {
    const target = path.join(dataDir, file.relative);
    if (!(await exists(target))) {
      const started = Date.now();
      const stats = await generateTransactionsFile(target, {
        rows: rowsPerFile,
        seed: file.seed,
        idPrefix: file.idPrefix,
      });
      log(
        `generated ${file.relative}: ${stats.rows} rows, ${Math.round(stats.bytes / 1e6)} MB in ${Date.now() - started} ms`,
      );
    }
    bytes += (await stat(target)).size;
  }

  const home = await mkdtemp(path.join(path.dirname(dataDir), 'crawl-home-'));
  try {
    const workspace = await Workspace.open(home);
    for (const file of layout) {
      const target = path.join(workspace.dir('buckets', 'lakepipe-raw'), 'raw', 'customer_transactions', file.relative);
      await mkdir(path.dirname(target), { recursive: true });
      await link(path.join(dataDir, file.relative), target);
    }
    const catalog = new LocalGlueCatalog(workspace);
    const crawlers = new LocalCrawlers({ workspace, catalog });
    await crawlers.defineCrawler({
      Name: 'bench-crawler',
      DatabaseName: 'bench',
      Targets: { S3Targets: [{ Path: 's3://lakepipe-raw/raw/' }] },
      ...CRAWLER_SCHEMA_SETTINGS,
    });

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 10);
    const started = performance.now();
    await crawlers.startCrawler({ Name: 'bench-crawler' });
    await crawlers.whenIdle('bench-crawler');
    const crawlMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const crawler = (await crawlers.getCrawler({ Name: 'bench-crawler' })).Crawler;
    const { TableList = [] } = await catalog.getTables({ DatabaseName: 'bench' });
    const first = TableList[0];
    const { Partitions = [] } = first
      ? await catalog.getPartitions({ DatabaseName: 'bench', TableName: first.Name ?? '' })
      : { Partitions: [] };
    return {
      files,
      bytes,
      crawlMs: Math.round(crawlMs),
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
      status: crawler?.LastCrawl?.Status,
      tables: TableList.map((t) => t.Name ?? ''),
      partitions: Partitions.length,
      columns: (first?.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name}:${c.Type}`),
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Run when invoked as the entry (bin/run-ts.cjs sets argv[1] to it); importing only exports the function.
if (path.resolve(process.argv[1] ?? '') === __filename) {
  runCrawlBenchmark({
    files: option('files') ? Number(option('files')) : undefined,
    rowsPerFile: option('rows-per-file') ? Number(option('rows-per-file')) : undefined,
  })
    .then((r) => {
      console.log(
        `crawl: ${r.files} files, ${(r.bytes / 1e9).toFixed(2)} GB -> ${r.status} in ${r.crawlMs} ms, ` +
          `peak RSS during crawl ${r.peakRssMiB} MiB; tables ${r.tables.join(', ')}, ${r.partitions} partitions`,
      );
      console.log(`columns: ${r.columns.join(', ')}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
