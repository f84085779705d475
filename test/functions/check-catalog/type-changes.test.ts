// A column whose crawled type changes between runs is reported, never silent: the check-catalog handler on the
// twin's real crawler and catalog, its result handed to the build-notification handler as the ASL does; and the
// catalog calls on the real Glue client under aws-sdk-client-mock.
import '../../fixtures/quiet-logs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConcurrentModificationException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetTableCommand,
  GlueClient,
  type Table,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as buildNotificationHandler } from '../../../functions/build-notification/app';
import { type CheckCatalogResult, createHandler } from '../../../functions/check-catalog/app';
import { COLUMN_TYPES_PARAMETER } from '../../../functions/check-catalog/type-changes';
import { glueAdapter } from '../../../functions/shared/aws-ports';
import { LocalGlueCatalog } from '../../../local/glue/catalog/catalog';
import { LocalCrawlers } from '../../../local/glue/crawler/crawlers';
import { Workspace } from '../../../local/workspace';
import { lambdaContext } from '../../fixtures/lambda-context';

const LONG_AGO = '2020-01-01T00:00:00.000Z';

function catalogInput() {
  return { crawler: 'raw-crawler', objects: [{ eventTime: LONG_AGO }], attempt: 0, database: 'lake', table: 'events' };
}

describe('check-catalog on the twin crawler: crawled type changes', () => {
  async function setup() {
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-type-change-')));
    const catalog = new LocalGlueCatalog(workspace);
    await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
    const crawlers = new LocalCrawlers({ workspace, catalog });
    await crawlers.createCrawler({
      Name: 'raw-crawler',
      DatabaseName: 'lake',
      Targets: { S3Targets: [{ Path: 's3://raw/raw/events/' }] },
    });
    const glue = {
      getCrawler: crawlers.getCrawler.bind(crawlers),
      startCrawler: crawlers.startCrawler.bind(crawlers),
      getTable: catalog.getTable.bind(catalog),
      updateTable: catalog.updateTable.bind(catalog),
    };
    /** Lands a file, crawls, and runs the check-catalog handler as the ASL's CheckCatalog state. */
    const run = async (name: string, content: string): Promise<CheckCatalogResult> => {
      const file = path.join(workspace.dir('buckets', 'raw'), 'raw/events', name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      await crawlers.startCrawler({ Name: 'raw-crawler' });
      await crawlers.whenIdle('raw-crawler');
      return createHandler({ glue })(catalogInput(), lambdaContext);
    };
    return { run, catalog };
  }

  it('reports bigint -> string after a file with N/A values, by name in the notification, once', async () => {
    // Prepare
    const { run, catalog } = await setup();
    const first = await run('a.csv', 'id,quantity,note\n1,5,x\n2,7,y\n');

    // Act
    const second = await run('b.csv', 'id,quantity,note\n3,N/A,z\n');
    const third = await run('c.csv', 'id,quantity,note\n4,1,w\n');
    const notification = await buildNotificationHandler()(
      {
        kind: 'completed',
        execution: { name: 'events-20260101T000000Z-0123456789' },
        state: { dataset: 'events', objects: [], catalog: second, validationResults: [] },
      },
      lambdaContext,
    );

    // Assess
    expect(first).toMatchObject({ status: 'FRESH' });
    expect(first.typeChanges).toBeUndefined();
    expect(second).toMatchObject({
      status: 'FRESH',
      typeChanges: [{ column: 'quantity', from: 'bigint', to: 'string' }],
    });
    expect(third.typeChanges).toBeUndefined();
    expect(notification.message).toContain(
      'Column types changed in the raw table events (by the crawler, since the last run):\n  quantity: bigint -> string',
    );
    expect(notification.subject).toContain('schema changed');
    const table = (await catalog.getTable({ DatabaseName: 'lake', Name: 'events' })).Table;
    expect(JSON.parse(table?.Parameters?.[COLUMN_TYPES_PARAMETER] ?? '{}')).toEqual({
      id: 'bigint',
      quantity: 'string',
      note: 'string',
    });
    expect(table?.Parameters?.classification).toBe('csv');
  });
});

describe('check-catalog column types on the Glue API', () => {
  const glueMock = mockClient(GlueClient);
  const handler = createHandler({ glue: glueAdapter(new GlueClient({ region: 'eu-west-1' })) });
  beforeEach(() => {
    glueMock.reset();
    glueMock.on(GetCrawlerCommand).resolves({
      Crawler: { Name: 'raw-crawler', State: 'READY', LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date() } },
    });
  });
  afterAll(() => glueMock.restore());

  const table = (types: Record<string, string>, recorded?: Record<string, string>): Table => ({
    Name: 'events',
    DatabaseName: 'lake',
    VersionId: '7',
    CreateTime: new Date('2026-01-01T00:00:00Z'),
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: {
      Columns: Object.entries(types).map(([Name, Type]) => ({ Name, Type })),
      Location: 's3://raw/raw/events/',
    },
    PartitionKeys: [],
    Parameters: {
      classification: 'csv',
      ...(recorded ? { [COLUMN_TYPES_PARAMETER]: JSON.stringify(recorded) } : {}),
    },
  });

  it('records the new types with the version it read, keeping what the crawler set', async () => {
    // Prepare
    glueMock
      .on(GetTableCommand)
      .resolves({ Table: table({ id: 'bigint', amount: 'string' }, { id: 'bigint', amount: 'double' }) });

    // Act
    const out = await handler(catalogInput(), lambdaContext);

    // Assess
    expect(out.typeChanges).toEqual([{ column: 'amount', from: 'double', to: 'string' }]);
    expect(glueMock).toHaveReceivedCommandWith(UpdateTableCommand, {
      DatabaseName: 'lake',
      VersionId: '7',
      TableInput: {
        Name: 'events',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: {
          Columns: [
            { Name: 'id', Type: 'bigint' },
            { Name: 'amount', Type: 'string' },
          ],
          Location: 's3://raw/raw/events/',
        },
        PartitionKeys: [],
        Parameters: { classification: 'csv', [COLUMN_TYPES_PARAMETER]: '{"id":"bigint","amount":"string"}' },
      },
    });
    const sent = glueMock.commandCalls(UpdateTableCommand)[0]?.args[0].input.TableInput ?? {};
    expect(Object.keys(sent)).not.toContain('CreateTime');
    expect(Object.keys(sent)).not.toContain('DatabaseName');
  });

  it('writes nothing when the types are those recorded', async () => {
    // Prepare
    glueMock.on(GetTableCommand).resolves({ Table: table({ id: 'bigint' }, { id: 'bigint' }) });

    // Act
    const out = await handler(catalogInput(), lambdaContext);

    // Assess
    expect(out.typeChanges).toBeUndefined();
    expect(glueMock).not.toHaveReceivedCommand(UpdateTableCommand);
  });

  it('still reports the change when a concurrent crawl updated the table first', async () => {
    // Prepare
    glueMock.on(GetTableCommand).resolves({ Table: table({ id: 'string' }, { id: 'bigint' }) });
    glueMock
      .on(UpdateTableCommand)
      .rejects(new ConcurrentModificationException({ message: 'version mismatch', $metadata: {} }));

    // Act
    const out = await handler(catalogInput(), lambdaContext);

    // Assess
    expect(out.typeChanges).toEqual([{ column: 'id', from: 'bigint', to: 'string' }]);
  });

  it('compares nothing when there is no table, and nothing before the catalog is fresh', async () => {
    // Prepare
    glueMock.on(GetTableCommand).rejects(new EntityNotFoundException({ message: 'no table', $metadata: {} }));

    // Act
    const fresh = await handler(catalogInput(), lambdaContext);
    glueMock.on(GetCrawlerCommand).resolves({ Crawler: { Name: 'raw-crawler', State: 'RUNNING' } });
    const waiting = await handler(catalogInput(), lambdaContext);

    // Assess
    expect(fresh).toMatchObject({ status: 'FRESH' });
    expect(fresh.typeChanges).toBeUndefined();
    expect(waiting).toMatchObject({ status: 'WAITING' });
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(1);
  });
});
