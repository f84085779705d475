// Two lakepipe processes on one workspace share crawler records through their files: a crawl another live process
// runs is RUNNING here (CrawlerRunningException, so an execution waits), and when it ends this process sees READY.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { LocalCrawlers } from '../../../../local/glue/crawler/crawlers';
import { Workspace, writeJsonAtomic } from '../../../../local/workspace';

async function liveProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

describe('a crawler record another process is crawling with', () => {
  it('is RUNNING while that process lives, and READY here once that process ends its crawl', async () => {
    // Prepare: this process knows the crawler; then another process's crawl is written to its file.
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-crawl-procs-')));
    const crawlers = new LocalCrawlers({ workspace, catalog: new LocalGlueCatalog(workspace) });
    await crawlers.defineCrawler({
      Name: 'raw',
      DatabaseName: 'lake',
      Targets: { S3Targets: [{ Path: 's3://raw/x/' }] },
    });
    const file = workspace.dir('crawlers', 'raw.json');
    const idle = JSON.parse(await readFile(file, 'utf8'));
    const other = await liveProcess();
    try {
      await writeJsonAtomic(file, { ...idle, pid: other.pid, crawler: { ...idle.crawler, State: 'RUNNING' } });

      // Act and Assess: the other process's crawl is seen and waited for.
      expect((await crawlers.getCrawler({ Name: 'raw' })).Crawler?.State).toBe('RUNNING');
      await expect(crawlers.startCrawler({ Name: 'raw' })).rejects.toMatchObject({ name: 'CrawlerRunningException' });

      // A process starting meanwhile defines the same crawler: nothing fails and the crawl stays RUNNING.
      await crawlers.defineCrawler({
        Name: 'raw',
        DatabaseName: 'lake',
        Targets: { S3Targets: [{ Path: 's3://raw/x/' }] },
      });
      expect((await crawlers.getCrawler({ Name: 'raw' })).Crawler?.State).toBe('RUNNING');

      // The other process ends its crawl.
      await writeJsonAtomic(file, { ...idle, crawler: { ...idle.crawler, State: 'READY' } });

      expect((await crawlers.getCrawler({ Name: 'raw' })).Crawler?.State).toBe('READY');
      await expect(crawlers.startCrawler({ Name: 'raw' })).resolves.toEqual({});
      await crawlers.whenIdle('raw');
    } finally {
      other.kill('SIGKILL');
    }
  });
});
