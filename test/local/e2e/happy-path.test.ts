// `lakepipe run` on generated data, end to end on the twin: the real handler, the real ASL, the real job
// SQL and validations, on DuckDB and files on disk.
import { readFile } from 'node:fs/promises';
import type { ExecutionRecord } from '../../../local/sfn/execution-store';
import { BUCKETS } from '../../../local/twin/config';
import { summarize } from '../../../local/twin/summary';
import type { Twin } from '../../../local/twin/twin';
import { expectedLoad, generated, newTwin, outcome, readEml, runFiles, sql, tempDir } from './support';

jest.setTimeout(120_000);

describe('a run on generated data', () => {
  let twin: Twin;
  let file: string;
  let record: ExecutionRecord | undefined;
  let name: string;

  beforeAll(async () => {
    const dir = await tempDir();
    file = await generated(dir, 'transactions-day1.csv', { rows: 3000, seed: 11, dirtyRate: 0.03, idPrefix: 'A' });
    twin = await newTwin();
    [record] = await runFiles(twin, [file]);
    name = record?.name ?? '';
  });

  it('succeeds', () => {
    // The whole record, so a failure shows its error and cause.
    expect(outcome(record)).toEqual({ status: 'SUCCEEDED' });
  });

  it('catalogs the raw table and registers every output table, partitioned as the manifest says', async () => {
    const tables = (await twin.catalog.getTables({ DatabaseName: twin.plan.database })).TableList ?? [];
    const byName = Object.fromEntries(tables.map((t) => [t.Name ?? '', t] as const));

    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        'customer_transactions',
        'transactions_enriched',
        'rejected_transactions',
        'customer_segments',
      ]),
    );
    // The raw table stays the crawled CSV: no job output may take its name.
    expect(byName.customer_transactions?.Parameters?.classification).toBe('csv');
    expect(byName.customer_transactions?.StorageDescriptor?.Location).toBe(
      `s3://${BUCKETS.raw}/raw/customer_transactions/`,
    );
    expect(byName.transactions_enriched?.PartitionKeys?.map((k: { Name?: string }) => k.Name)).toEqual([
      'year',
      'month',
    ]);
    expect(byName.customer_segments?.PartitionKeys?.map((k: { Name?: string }) => k.Name)).toEqual(['segment']);
  });

  it('loads exactly the valid, de-duplicated rows, to the cent, one partition per month', async () => {
    const expected = expectedLoad([file]);
    const [row] = await sql(
      twin,
      'SELECT count(*) AS n, CAST(sum(transaction_amount) * 100 AS BIGINT) AS cents FROM transactions_enriched',
    );
    const partitions = await twin.catalog.getPartitions({
      DatabaseName: twin.plan.database,
      TableName: 'transactions_enriched',
    });

    expect(Number(row?.n)).toBe(expected.enriched);
    expect(Number(row?.cents)).toBe(expected.enrichedCents);
    expect(partitions.Partitions).toHaveLength(expected.months);
  });

  it('accounts for every input row: enriched plus rejected equals rows read', async () => {
    const expected = expectedLoad([file]);
    const [rejected] = await sql(twin, 'SELECT count(*) AS n FROM rejected_transactions');
    expect(Number(rejected?.n)).toBe(expected.rowsIn - expected.enriched);
  });

  it('puts every customer in exactly one segment', async () => {
    const expected = expectedLoad([file]);
    const [row] = await sql(twin, 'SELECT count(*) AS n, count(DISTINCT customer_id) AS d FROM customer_segments');
    expect(Number(row?.n)).toBe(expected.customers);
    expect(Number(row?.d)).toBe(expected.customers);
  });

  it('passes every validation and mails the operators a summary they can act on', async () => {
    const summary = await summarize(twin, await twin.store.require(name));
    expect(summary.validations.length).toBeGreaterThanOrEqual(5);
    expect(summary.validations.filter((v) => !v.passed)).toEqual([]);
    expect(summary.rowsRead).toBe(3000);

    const mail = readEml(await readFile(summary.notificationFile ?? '', 'utf8'));
    expect(mail.headers.to).toBe('ops@example.com');
    expect(mail.headers.subject).toMatch(/customer_transactions succeeded/);
    expect(mail.body).toContain('raw/customer_transactions/transactions-day1.csv');
    for (const v of summary.validations) expect(mail.body).toContain(v.name);
    expect(mail.body).toContain(name);
  });
});
