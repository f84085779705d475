// A crawler with a CSV classifier reads a CSV file in the classifier's dialect (delimiter, quote, header) instead
// of the sniffer's guesses: a header of text over rows of text is still a header, `;` and `'` are taken as given.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { LocalCrawlers } from '../../../../local/glue/crawler/crawlers';
import { Workspace } from '../../../../local/workspace';

async function crawlWith(content: string, classifier?: { Delimiter: string; QuoteSymbol: string }) {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-classifier-')));
  const catalog = new LocalGlueCatalog(workspace);
  const crawlers = new LocalCrawlers({ workspace, catalog });
  if (classifier) {
    await crawlers.createClassifier({
      CsvClassifier: { Name: 'stores-csv', ContainsHeader: 'PRESENT', ...classifier },
    });
  }
  await crawlers.defineCrawler({
    Name: 'stores',
    DatabaseName: 'lake',
    Targets: { S3Targets: [{ Path: 's3://raw/raw/stores/' }] },
    ...(classifier ? { Classifiers: ['stores-csv'] } : {}),
  });
  const file = path.join(workspace.dir('buckets', 'raw'), 'raw/stores/s.csv');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  await crawlers.startCrawler({ Name: 'stores' });
  await crawlers.whenIdle('stores');
  const { Table } = await catalog.getTable({ DatabaseName: 'lake', Name: 'stores' });
  return { table: Table, crawlers };
}

// Text over text: nothing tells the header from a row but the classifier.
const TEXT_ONLY = "name;city\n'Ann; Jr';paris\nbob;rome\n";

describe('a crawler with a CSV classifier', () => {
  it('names the columns from the header and splits on the declared delimiter and quote', async () => {
    // Act
    const { table } = await crawlWith(TEXT_ONLY, { Delimiter: ';', QuoteSymbol: "'" });
    // Assess
    expect(table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['name', 'city']);
    expect(table?.Parameters?.['skip.header.line.count']).toBe('1');
    expect(table?.StorageDescriptor?.SerdeInfo?.Parameters).toMatchObject({ separatorChar: ';', quoteChar: "'" });
  });

  it('keeps LazySimpleSerDe for a file that quotes nothing, as Glue does with the classifier Serde unset', async () => {
    // Act
    const { table } = await crawlWith('store;city\ns1;paris\ns2;rome\n', { Delimiter: ';', QuoteSymbol: '"' });
    // Assess
    expect(table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
    );
    expect(table?.StorageDescriptor?.SerdeInfo?.Parameters).toMatchObject({ 'field.delim': ';' });
  });

  it('without one, the sniffer guesses (the case the classifier exists for)', async () => {
    // Act
    const { table } = await crawlWith(TEXT_ONLY);
    // Assess: positional names, the header taken for data
    expect(table?.StorageDescriptor?.Columns?.map((c) => c.Name)).not.toEqual(['name', 'city']);
  });

  it('refuses a crawler naming a classifier that does not exist when it crawls', async () => {
    // Prepare
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-classifier-')));
    const crawlers = new LocalCrawlers({ workspace, catalog: new LocalGlueCatalog(workspace) });
    await crawlers.defineCrawler({
      Name: 'c',
      DatabaseName: 'lake',
      Targets: { S3Targets: [{ Path: 's3://raw/x/' }] },
      Classifiers: ['missing'],
    });
    // Act
    await crawlers.startCrawler({ Name: 'c' });
    await crawlers.whenIdle('c');
    // Assess
    const { Crawler } = await crawlers.getCrawler({ Name: 'c' });
    expect(Crawler?.LastCrawl).toMatchObject({ Status: 'FAILED', ErrorMessage: 'Classifier missing does not exist' });
  });

  it('refuses a classifier other than CSV, and a delimiter longer than one character', async () => {
    // Prepare
    const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-classifier-')));
    const crawlers = new LocalCrawlers({ workspace, catalog: new LocalGlueCatalog(workspace) });
    // Act / Assess
    await expect(crawlers.createClassifier({ JsonClassifier: { Name: 'j', JsonPath: '$[*]' } })).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
    await expect(crawlers.createClassifier({ CsvClassifier: { Name: 'c', Delimiter: ';;' } })).rejects.toThrow(
      'Delimiter must be one character',
    );
  });
});
