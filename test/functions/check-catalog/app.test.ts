// check-catalog: the freshness decision, with aws-sdk-client-mock on the real Glue client.
import '../../fixtures/quiet-logs';
import {
  CrawlerRunningException,
  EntityNotFoundException,
  GetCrawlerCommand,
  type GetCrawlerResponse,
  GlueClient,
  StartCrawlerCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { type CheckCatalogInput, createHandler } from '../../../functions/check-catalog/app';
import { glueAdapter } from '../../../functions/shared/aws-ports';
import { lambdaContext } from '../../fixtures/lambda-context';

const glueMock = mockClient(GlueClient);
const handler = createHandler({ glue: glueAdapter(new GlueClient({ region: 'eu-west-1' })) });

const FILE_AT = '2026-11-24T10:00:00.000Z';
const plus = (seconds: number) => new Date(Date.parse(FILE_AT) + seconds * 1000);

function input(overrides: Partial<CheckCatalogInput> = {}): CheckCatalogInput {
  return {
    crawler: 'lakepipe-customer-transactions',
    objects: [{ eventTime: '2026-11-24T09:58:00.000Z' }, { eventTime: FILE_AT }],
    attempt: 3,
    ...overrides,
  };
}

function crawler(state: string, last?: { Status: string; StartTime: Date; ErrorMessage?: string }): GetCrawlerResponse {
  return {
    Crawler: {
      Name: 'lakepipe-customer-transactions',
      State: state as 'READY',
      ...(last
        ? { LastCrawl: { ...last, Status: last.Status as 'SUCCEEDED', LogGroup: '/aws-glue/crawlers', LogStream: 'c' } }
        : {}),
    },
  };
}

describe('check-catalog', () => {
  beforeEach(() => glueMock.reset());

  it('is FRESH when a crawl that started after the newest file succeeded; nothing is started', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(crawler('READY', { Status: 'SUCCEEDED', StartTime: plus(5) }));

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result).toMatchObject({
      status: 'FRESH',
      attempt: 4,
      crawlState: 'READY',
      newestEventTime: FILE_AT,
      startedCrawl: false,
      lastCrawl: { status: 'SUCCEEDED', startTime: '2026-11-24T10:00:05.000Z' },
    });
    expect(glueMock).toHaveReceivedCommandWith(GetCrawlerCommand, { Name: 'lakepipe-customer-transactions' });
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
  });

  it('counts a crawl that started exactly at the newest eventTime', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(crawler('READY', { Status: 'SUCCEEDED', StartTime: plus(0) }));

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result.status).toBe('FRESH');
  });

  it('uses the newest of the objects: a crawl between the two arrivals is stale, so the crawler is started', async () => {
    // Prepare: the crawl started 09:59, after the first file (09:58) but before the second (10:00).
    glueMock.on(GetCrawlerCommand).resolves(crawler('READY', { Status: 'SUCCEEDED', StartTime: plus(-60) }));
    glueMock.on(StartCrawlerCommand).resolves({});

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result).toMatchObject({ status: 'WAITING', startedCrawl: true, attempt: 4 });
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'lakepipe-customer-transactions' });
  });

  it('starts an idle crawler that has never crawled', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(crawler('READY'));
    glueMock.on(StartCrawlerCommand).resolves({});

    // Act
    const result = await handler(input({ attempt: 0 }), lambdaContext);

    // Assess
    expect(result).toMatchObject({ status: 'WAITING', startedCrawl: true, attempt: 1 });
    expect(result.lastCrawl).toBeUndefined();
  });

  it.each(['RUNNING', 'STOPPING'])('waits without starting while the crawler is %s', async (state) => {
    // Prepare: the running crawl may have started before the file; only its successor can count.
    glueMock.on(GetCrawlerCommand).resolves(crawler(state, { Status: 'SUCCEEDED', StartTime: plus(-3600) }));

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result).toMatchObject({ status: 'WAITING', crawlState: state, startedCrawl: false });
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
  });

  it('treats CrawlerRunningException from startCrawler as "wait"', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(crawler('READY', { Status: 'SUCCEEDED', StartTime: plus(-600) }));
    glueMock
      .on(StartCrawlerCommand)
      .rejects(new CrawlerRunningException({ message: 'Crawler with name c has already started', $metadata: {} }));

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result).toMatchObject({ status: 'WAITING', startedCrawl: false });
    expect(result.message).toContain('started by someone else');
  });

  it('is FAILED when the crawl that started after the file failed, with its error and logs', async () => {
    // Prepare
    glueMock
      .on(GetCrawlerCommand)
      .resolves(crawler('READY', { Status: 'FAILED', StartTime: plus(10), ErrorMessage: 'Access Denied' }));

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(
      'Crawl of lakepipe-customer-transactions started 2026-11-24T10:00:10.000Z ended FAILED: Access Denied (logs: /aws-glue/crawlers/c)',
    );
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
  });

  it('does not blame the execution for a crawl that failed before its file arrived: it starts a new one', async () => {
    // Prepare
    glueMock
      .on(GetCrawlerCommand)
      .resolves(crawler('READY', { Status: 'FAILED', StartTime: plus(-600), ErrorMessage: 'old failure' }));
    glueMock.on(StartCrawlerCommand).resolves({});

    // Act
    const result = await handler(input(), lambdaContext);

    // Assess
    expect(result).toMatchObject({ status: 'WAITING', startedCrawl: true });
  });

  it('lets other Glue errors fail the task with their own name', async () => {
    // Prepare
    glueMock
      .on(GetCrawlerCommand)
      .rejects(new EntityNotFoundException({ message: 'Crawler entry with name c does not exist', $metadata: {} }));

    // Act
    const act = handler(input(), lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it.each([
    ['objects[1].eventTime', { objects: [{ eventTime: FILE_AT }, { eventTime: 'yesterday' }] }],
    ['crawler', { crawler: '' }],
    ['attempt', { attempt: 1.5 }],
  ])('names the bad field %s of a malformed input', async (field, overrides) => {
    // Act
    const act = handler(input(overrides), lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining(`check-catalog input: ${field}:`),
    });
  });

  it.each([
    ['no objects', { objects: [] }],
    ['an eventTime that is not a time', { objects: [{ eventTime: 'yesterday' }] }],
  ])('refuses an input with %s', async (_case, overrides) => {
    // Act
    const act = handler(input(overrides), lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidEventError' });
    expect(glueMock).not.toHaveReceivedCommand(GetCrawlerCommand);
  });
});
