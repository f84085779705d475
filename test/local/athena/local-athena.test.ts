// LocalAthena on real files and real DuckDB: Athena's result shape and paging, the CSV result file, catalog
// table resolution (qualified, unqualified, partitioned Parquet written by a job), bound parameters, failures.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LocalAthena } from '../../../local/athena/local-athena';
import { jobWorld } from '../glue/jobs/job-world';

const RESULTS = 's3://lake-athena/results/';

async function world() {
  const w = await jobWorld();
  await w.putRaw('a.csv', ['1,alice,10.50,2024-01-15', '2,bob,20.00,2024-01-20', '3,alice,5.25,2024-02-01']);
  await w.putRaw('b.csv', ['4,carol,7.00,2024-02-03', '5,dave "d",,2024-03-09']);
  const athena = new LocalAthena({
    workspace: w.workspace,
    catalog: w.catalog,
    workgroups: { lakepipe: { OutputLocation: RESULTS } },
  });
  return { ...w, athena };
}

async function query(athena: LocalAthena, sql: string, extra: Record<string, unknown> = {}) {
  const { QueryExecutionId } = await athena.startQueryExecution({
    QueryString: sql,
    QueryExecutionContext: { Database: 'lake' },
    WorkGroup: 'lakepipe',
    ...extra,
  });
  const id = QueryExecutionId ?? '';
  await athena.whenDone(id);
  return { id, execution: (await athena.getQueryExecution({ QueryExecutionId: id })).QueryExecution };
}

describe('LocalAthena', () => {
  it('returns Athena-shaped results, statistics and the CSV result file', async () => {
    // Prepare
    const { athena, workspace } = await world();
    const sql = `SELECT customer, count(*) AS n, sum(amount) AS total, CAST(sum(amount) AS DECIMAL(10,2)) AS exact,
        DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, CAST(NULL AS VARCHAR) AS nothing, true AS flag
      FROM lake.orders WHERE customer IN ('alice', 'dave "d"') GROUP BY customer ORDER BY customer`;

    // Act
    const { id, execution } = await query(athena, sql);
    const results = await athena.getQueryResults({ QueryExecutionId: id });

    // Assess
    expect(execution?.Status?.State).toBe('SUCCEEDED');
    expect(execution?.Status?.SubmissionDateTime).toBeInstanceOf(Date);
    expect(execution?.Status?.CompletionDateTime).toBeInstanceOf(Date);
    expect(execution?.ResultConfiguration?.OutputLocation).toBe(`${RESULTS}${id}.csv`);
    expect(execution?.Statistics?.EngineExecutionTimeInMillis).toEqual(expect.any(Number));
    // Both raw files back lake.orders, so both are "scanned".
    const raw = workspace.dir('buckets', 'lake-raw', 'raw', 'orders');
    const bytes = (await stat(path.join(raw, 'a.csv'))).size + (await stat(path.join(raw, 'b.csv'))).size;
    expect(execution?.Statistics?.DataScannedInBytes).toBe(bytes);

    const info = results.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    expect(info.map((c) => [c.Name, c.Type, c.Precision, c.Scale])).toEqual([
      ['customer', 'varchar', 2147483647, 0],
      ['n', 'bigint', 19, 0],
      ['total', 'double', 17, 0],
      ['exact', 'decimal', 10, 2],
      ['d', 'date', 0, 0],
      ['ts', 'timestamp', 3, 0],
      ['nothing', 'varchar', 2147483647, 0],
      ['flag', 'boolean', 0, 0],
    ]);
    expect(info[0]).toEqual({
      CatalogName: 'hive',
      SchemaName: '',
      TableName: '',
      Name: 'customer',
      Label: 'customer',
      Type: 'varchar',
      Precision: 2147483647,
      Scale: 0,
      Nullable: 'UNKNOWN',
      CaseSensitive: true,
    });
    // alice: 10.50 + 5.25; dave's amount is empty, so sum is NULL.
    const v = (s: string) => ({ VarCharValue: s });
    expect(results.ResultSet?.Rows).toEqual([
      { Data: ['customer', 'n', 'total', 'exact', 'd', 'ts', 'nothing', 'flag'].map(v) },
      {
        Data: [
          v('alice'),
          v('2'),
          v('15.75'),
          v('15.75'),
          v('2024-01-02'),
          v('2024-01-02 03:04:05.000'),
          {},
          v('true'),
        ],
      },
      { Data: [v('dave "d"'), v('1'), {}, {}, v('2024-01-02'), v('2024-01-02 03:04:05.000'), {}, v('true')] },
    ]);
    expect(results.NextToken).toBeUndefined();
    const csv = await readFile(workspace.dir('buckets', 'lake-athena', 'results', `${id}.csv`), 'utf8');
    expect(csv).toBe(
      [
        '"customer","n","total","exact","d","ts","nothing","flag"',
        '"alice","2","15.75","15.75","2024-01-02","2024-01-02 03:04:05.000",,"true"',
        '"dave ""d""","1",,,"2024-01-02","2024-01-02 03:04:05.000",,"true"',
        '',
      ].join('\n'),
    );
  });

  it('prints arrays, maps and rows as Trino does', async () => {
    // Prepare
    const { athena } = await world();

    // Act
    const { id } = await query(
      athena,
      "SELECT ARRAY[1, NULL, 3] AS a, MAP(ARRAY['k'], ARRAY[1.5]) AS m, CAST(ROW('x', 2, DATE '2024-01-02') AS ROW(name VARCHAR, n INTEGER, d DATE)) AS r, ARRAY['p', 'q'] AS s",
    );
    const results = await athena.getQueryResults({ QueryExecutionId: id });

    // Assess
    expect(results.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type)).toEqual([
      'array',
      'map',
      'row',
      'array',
    ]);
    expect(results.ResultSet?.Rows?.[1]?.Data?.map((d) => d.VarCharValue)).toEqual([
      '[1, null, 3]',
      '{k=1.5}',
      '{name=x, n=2, d=2024-01-02}',
      '[p, q]',
    ]);
  });

  it('pages with MaxResults and NextToken, the header row counting on the first page', async () => {
    // Prepare
    const { athena } = await world();
    const { id } = await query(athena, 'SELECT order_id FROM orders ORDER BY order_id');

    // Act
    const pages = [];
    let token: string | undefined;
    do {
      const page = await athena.getQueryResults({ QueryExecutionId: id, MaxResults: 2, NextToken: token });
      pages.push((page.ResultSet?.Rows ?? []).map((r) => r.Data?.[0]?.VarCharValue));
      token = page.NextToken;
    } while (token);

    // Assess: header + 5 ids = 6 rows in pages of 2.
    expect(pages).toEqual([
      ['order_id', '1'],
      ['2', '3'],
      ['4', '5'],
    ]);
    await expect(athena.getQueryResults({ QueryExecutionId: id, MaxResults: 1001 })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('binds ExecutionParameters as parameters, never as SQL text', async () => {
    // Prepare
    const { athena } = await world();
    const sql = 'SELECT count(*) AS n FROM orders WHERE customer = ? AND amount > ?';

    // Act
    const bound = await query(athena, sql, { ExecutionParameters: ["'alice'", '6'] });
    const injected = await query(athena, sql, { ExecutionParameters: ["'alice'' OR ''1''=''1'", '0'] });

    // Assess: alice has 10.50 and 5.25, only one above 6; the injection attempt is just an unknown name.
    const first = await athena.getQueryResults({ QueryExecutionId: bound.id });
    const second = await athena.getQueryResults({ QueryExecutionId: injected.id });
    expect(first.ResultSet?.Rows?.[1]?.Data).toEqual([{ VarCharValue: '1' }]);
    expect(second.ResultSet?.Rows?.[1]?.Data).toEqual([{ VarCharValue: '0' }]);
  });

  it('reads a partitioned Parquet table that a local job wrote and registered', async () => {
    // Prepare
    const w = await world();
    w.register('orders', 'orders');
    const { JobRunId } = await w.jobs.startJobRun({ JobName: 'orders', Arguments: { '--run_id': 'r1' } });
    await w.jobs.whenDone(JobRunId ?? '');

    // Act
    const { id, execution } = await query(
      w.athena,
      'SELECT year, month, count(*) AS n FROM orders_clean GROUP BY year, month ORDER BY year, month',
    );
    const rows = (await w.athena.getQueryResults({ QueryExecutionId: id })).ResultSet?.Rows ?? [];

    // Assess: ids 1,2 in January, 3,4 in February, 5 in March (dave's empty amount still loads).
    expect(execution?.Status?.State).toBe('SUCCEEDED');
    expect(rows.slice(1).map((r) => r.Data?.map((d) => d.VarCharValue))).toEqual([
      ['2024', '1', '2'],
      ['2024', '2', '2'],
      ['2024', '3', '1'],
    ]);
  });

  it('ends a bad query FAILED with DuckDB message and refuses its results', async () => {
    // Prepare
    const { athena } = await world();

    // Act
    const missing = await query(athena, 'SELECT * FROM lake.nope');
    const syntax = await query(athena, 'SELEC 1');
    const unrendered = await query(athena, `SELECT * FROM \${database}.orders`);

    // Assess
    expect(missing.execution?.Status?.State).toBe('FAILED');
    expect(missing.execution?.Status?.StateChangeReason).toMatch(/^Catalog Error: Table with name nope does not exist/);
    expect(syntax.execution?.Status?.StateChangeReason).toMatch(/^Parser Error: syntax error at or near "SELEC"/);
    expect(unrendered.execution?.Status?.StateChangeReason).toBe(`unrendered placeholder \${database} in the query`);
    await expect(athena.getQueryResults({ QueryExecutionId: missing.id })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Query did not finish successfully. Final query state: FAILED',
    });
  });

  it("gives Trino's answers where DuckDB's own would differ silently (issue 15)", async () => {
    // Prepare
    const { athena } = await world();
    const sql = `SELECT 7/2 AS div, -7 % 3 AS modulo, regexp_replace('a1b2', '\\d', '') AS re,
        DATE '2024-01-31' + INTERVAL '1' MONTH AS next_month, date_trunc('week', DATE '2024-03-06') AS week_start,
        element_at(ARRAY[1, 2, 3], -1) AS last, cardinality(ARRAY[1, 2]) AS n, 7.0/2 AS exact`;

    // Act
    const { id, execution } = await query(athena, sql);
    const results = await athena.getQueryResults({ QueryExecutionId: id });

    // Assess
    expect(execution?.Status?.State).toBe('SUCCEEDED');
    expect(results.ResultSet?.Rows?.[1]?.Data?.map((d) => d.VarCharValue)).toEqual([
      '3',
      '-1',
      'ab',
      '2024-02-29',
      '2024-03-04',
      '3',
      '2',
      '3.5',
    ]);
    const types = results.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type);
    expect(types?.slice(3, 5)).toEqual(['date', 'date']);
  });

  it('names unnamed result columns _col<n> and runs VALUES rows of one column', async () => {
    // Prepare
    const { athena } = await world();

    // Act
    const { id } = await query(athena, 'SELECT x * 2, x AS y FROM (VALUES 1, 2, 3) AS t(x) ORDER BY 1');
    const results = await athena.getQueryResults({ QueryExecutionId: id });

    // Assess
    expect(results.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name)).toEqual(['_col0', 'y']);
    expect(results.ResultSet?.Rows?.slice(1).map((r) => r.Data?.[0]?.VarCharValue)).toEqual(['2', '4', '6']);
  });

  it('refuses what it cannot reproduce: FAILED, naming it, instead of another meaning', async () => {
    // Prepare
    const { athena } = await world();

    // Act
    const refused = await query(athena, "SELECT typeof(1), format_datetime(now(), 'yyyy')");
    const missing = await query(athena, 'SELECT no_such_function(1)');
    const zero = await query(athena, 'SELECT 1/0');

    // Assess
    expect(refused.execution?.Status?.State).toBe('FAILED');
    expect(refused.execution?.Status?.StateChangeReason).toMatch(/^function typeof is not supported locally/);
    expect(missing.execution?.Status?.StateChangeReason).toMatch(/^function no_such_function is not supported locally/);
    expect(zero.execution?.Status?.StateChangeReason).toMatch(/Division by zero/);
  });

  it('throws InvalidRequestException for unknown ids and a missing output location', async () => {
    // Prepare
    const { athena } = await world();
    const unknown = '00000000-0000-4000-8000-000000000000';

    // Act / Assess
    await expect(athena.getQueryExecution({ QueryExecutionId: unknown })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(athena.getQueryResults({ QueryExecutionId: '../../etc/passwd' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(athena.startQueryExecution({ QueryString: 'SELECT 1', WorkGroup: 'primary' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/^No output location provided/),
    });
    await expect(athena.startQueryExecution({ QueryString: 'SELECT 1', WorkGroup: 'nope' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });
});
