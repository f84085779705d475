// Task Lambda of the state machine's CheckCatalog state: decides whether the catalog is fresh for an execution.
// Fresh means a crawl that STARTED at or after the newest object's eventTime has SUCCEEDED; a crawl that was
// already running when the file landed does not count. Starts the crawler when it is idle and no such crawl
// exists; CrawlerRunningException means someone else started it: wait. Returns a small object for a Choice. Once
// fresh, it compares the raw table's column types with the last run's and returns any change for the notification.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { hasErrorName, InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import type { GluePort } from '../shared/ports';
import { columnTypeChanges, type TypeChange } from './type-changes';

export const checkCatalogInputSchema = z
  .object({
    crawler: z.string().min(1),
    /** The execution's objects; only their eventTime is read. */
    objects: z
      .array(z.object({ eventTime: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not an ISO 8601 time') }))
      .min(1, 'check-catalog needs at least one object'),
    /** Polls so far (0 on the first check). */
    attempt: z.number().int().nonnegative().default(0),
    /** The raw table (database and name) whose column types are compared once the catalog is fresh. */
    database: z.string().min(1).optional(),
    table: z.string().min(1).optional(),
  })
  .refine((input) => (input.database === undefined) === (input.table === undefined), {
    message: 'database and table go together',
    path: ['table'],
  });

export type CheckCatalogInput = z.output<typeof checkCatalogInputSchema>;

export type CatalogStatus = 'FRESH' | 'WAITING' | 'FAILED';

export interface LastCrawlSummary {
  status: string;
  startTime?: string;
  errorMessage?: string;
}

export interface CheckCatalogResult {
  status: CatalogStatus;
  /** Polls including this one; the ASL bounds it. */
  attempt: number;
  /** READY | RUNNING | STOPPING, as getCrawler reported it before any start. */
  crawlState: string;
  newestEventTime: string;
  /** True when this check started the crawler. */
  startedCrawl: boolean;
  lastCrawl?: LastCrawlSummary;
  /** One line for the operator; becomes the Cause of CrawlFailed / CrawlerTimeout. */
  message: string;
  /** Columns of the raw table whose crawled type changed since the last run; absent when none. */
  typeChanges?: TypeChange[];
}

export interface CheckCatalogDeps {
  glue: Pick<GluePort, 'getCrawler' | 'startCrawler' | 'getTable' | 'updateTable'>;
}

/** Newest eventTime of the objects, as epoch milliseconds; the input is refused when a time is not ISO 8601. */
export function newestEventTime(objects: CheckCatalogInput['objects']): number {
  if (objects.length === 0) throw new InvalidEventError('check-catalog needs at least one object');
  return Math.max(
    ...objects.map((o) => {
      const millis = Date.parse(o.eventTime);
      if (Number.isNaN(millis))
        throw new InvalidEventError(`not an ISO 8601 eventTime: ${JSON.stringify(o.eventTime)}`);
      return millis;
    }),
  );
}

/** The freshness decision: one getCrawler, at most one startCrawler. */
export async function checkCatalog(deps: CheckCatalogDeps, input: CheckCatalogInput): Promise<CheckCatalogResult> {
  const newest = newestEventTime(input.objects);
  const newestIso = new Date(newest).toISOString();
  const { Crawler } = await deps.glue.getCrawler({ Name: input.crawler });
  const crawlState = Crawler?.State ?? 'READY';
  const last = Crawler?.LastCrawl;
  const lastCrawl: LastCrawlSummary | undefined = last
    ? {
        status: last.Status ?? 'UNKNOWN',
        ...(last.StartTime ? { startTime: last.StartTime.toISOString() } : {}),
        ...(last.ErrorMessage ? { errorMessage: last.ErrorMessage } : {}),
      }
    : undefined;
  const base = { attempt: input.attempt + 1, crawlState, newestEventTime: newestIso, lastCrawl };
  const startedAfterFile = last?.StartTime !== undefined && last.StartTime.getTime() >= newest;

  if (startedAfterFile && last?.Status === 'SUCCEEDED') {
    const message = `Crawl of ${input.crawler} started ${lastCrawl?.startTime} (file at ${newestIso}) succeeded`;
    const typeChanges =
      input.database !== undefined && input.table !== undefined
        ? await columnTypeChanges(deps.glue, input.database, input.table)
        : [];
    return { ...base, status: 'FRESH', startedCrawl: false, message, ...(typeChanges.length ? { typeChanges } : {}) };
  }
  if (startedAfterFile && (last?.Status === 'FAILED' || last?.Status === 'CANCELLED')) {
    const reason = last.ErrorMessage ? `: ${last.ErrorMessage}` : '';
    const logs = last.LogGroup ? ` (logs: ${last.LogGroup}/${last.LogStream ?? ''})` : '';
    const message = `Crawl of ${input.crawler} started ${lastCrawl?.startTime} ended ${last.Status}${reason}${logs}`;
    return { ...base, status: 'FAILED', startedCrawl: false, message };
  }
  if (crawlState !== 'READY') {
    const message = `Crawler ${input.crawler} is ${crawlState}; waiting for a crawl that starts after ${newestIso}`;
    return { ...base, status: 'WAITING', startedCrawl: false, message };
  }
  try {
    await deps.glue.startCrawler({ Name: input.crawler });
  } catch (error) {
    if (!hasErrorName(error, 'CrawlerRunningException')) throw error;
    // Someone else started it just now, after the file landed: that crawl counts once it succeeds.
    const message = `Crawler ${input.crawler} was started by someone else; waiting for it`;
    return { ...base, status: 'WAITING', startedCrawl: false, message };
  }
  const message = `Started crawler ${input.crawler}; waiting for a crawl that starts after ${newestIso}`;
  return { ...base, status: 'WAITING', startedCrawl: true, message };
}

export function createHandler(deps: CheckCatalogDeps) {
  return middy<unknown, CheckCatalogResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const input = parseTaskInput(
        checkCatalogInputSchema,
        event,
        'check-catalog',
        '{ crawler, objects: [{ eventTime }], attempt, database, table }',
        (message) => new InvalidEventError(message),
      );
      const result = await checkCatalog(deps, input);
      logger.info('catalog checked', {
        crawler: input.crawler,
        status: result.status,
        attempt: result.attempt,
        crawlState: result.crawlState,
        startedCrawl: result.startedCrawl,
        typeChanges: result.typeChanges?.length ?? 0,
      });
      return result;
    });
}
