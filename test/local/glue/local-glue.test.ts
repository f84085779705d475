// LocalGlue as the state machine and the Lambdas see it: one GluePort over crawler, catalog and jobs. A crawl of
// raw CSV feeds a job run that is started and polled through the port alone.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GluePort } from '../../../functions/shared/ports';
import { LocalGlueCatalog } from '../../../local/glue/catalog/catalog';
import { LocalCrawlers } from '../../../local/glue/crawler/crawlers';
import { LocalGlueJobs } from '../../../local/glue/jobs/jobs';
import { LocalGlue } from '../../../local/glue/local-glue';
import { Workspace } from '../../../local/workspace';
import { CURATED, FIXTURES, HEADER } from './jobs/job-world';

async function poll<T>(fn: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await fn();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('gave up polling');
}

describe('LocalGlue', () => {
  it('crawls raw CSV, then runs a job on the crawled table, all through GluePort', async () => {
    // Prepare
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-glue-')));
    const catalog = new LocalGlueCatalog(workspace);
    await catalog.ensureDatabase('lake');
    const crawlers = new LocalCrawlers({ workspace, catalog });
    await crawlers.defineCrawler({
      Name: 'raw-crawler',
      DatabaseName: 'lake',
      Targets: { S3Targets: [{ Path: 's3://lake-raw/raw/' }] },
    });
    const jobs = new LocalGlueJobs({ workspace, catalog });
    jobs.registerJob({
      Name: 'totals',
      manifestPath: path.join(FIXTURES, 'customer-totals', 'job.yml'),
      DefaultArguments: { '--curated_location': CURATED },
    });
    const glue: GluePort = new LocalGlue(catalog, crawlers, jobs);
    const raw = workspace.dir('buckets', 'lake-raw', 'raw', 'orders');
    await mkdir(raw, { recursive: true });
    await writeFile(
      path.join(raw, 'a.csv'),
      `${HEADER}\n1,alice,10.50,2024-01-15\n2,bob,20.00,2024-01-20\n3,alice,5.25,2024-02-01\n`,
    );

    // Act
    await glue.startCrawler({ Name: 'raw-crawler' });
    const crawler = await poll(
      () => glue.getCrawler({ Name: 'raw-crawler' }),
      (r) => r.Crawler?.State === 'READY' && r.Crawler?.LastCrawl !== undefined,
    );
    const { JobRunId } = await glue.startJobRun({
      JobName: 'totals',
      Arguments: { '--database': 'lake', '--source_table': 'orders' },
    });
    const run = await poll(
      () => glue.getJobRun({ JobName: 'totals', RunId: JobRunId }),
      (r) => ['SUCCEEDED', 'FAILED', 'TIMEOUT'].includes(r.JobRun?.JobRunState ?? ''),
    );
    const output = await glue.getTable({ DatabaseName: 'lake', Name: 'customer_totals' });

    // Assess
    expect(crawler.Crawler?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(run.JobRun?.JobRunState).toBe('SUCCEEDED');
    expect(await jobs.getRunStats('totals', JobRunId ?? '')).toMatchObject({
      rowsRead: 3,
      outputs: [{ table: 'customer_totals', rowsWritten: 2 }],
    });
    expect(output.Table?.StorageDescriptor?.Location).toBe(`${CURATED}customer_totals/`);
  });
});
