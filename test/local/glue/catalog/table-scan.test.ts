import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type * as Glue from '@aws-sdk/client-glue';
import { sqlString } from '../../../../functions/shared/sql-literal';
import { DuckDb } from '../../../../local/duckdb';
import { buildTableScan, listTableFiles } from '../../../../local/glue/catalog/table-scan';
import { Workspace } from '../../../../local/workspace';

const FIXTURES = path.join(__dirname, '../../../fixtures/data');
const LAZY = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';
const OPEN_CSV = 'org.apache.hadoop.hive.serde2.OpenCSVSerde';

let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
});
afterAll(() => db.close());

async function workspaceWith(files: Record<string, string>): Promise<Workspace> {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-scan-')));
  for (const [key, fixture] of Object.entries(files)) {
    const target = path.join(workspace.dir('buckets', 'raw'), key);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(FIXTURES, fixture), target);
  }
  return workspace;
}

function csvTable(columns: Glue.Column[], serde: Glue.SerDeInfo, partitionKeys: Glue.Column[] = []): Glue.Table {
  return {
    Name: 'sales',
    StorageDescriptor: { Columns: columns, Location: 's3://raw/sales/', SerdeInfo: serde },
    PartitionKeys: partitionKeys,
    Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
  };
}

const messyColumns = [
  { Name: 'id', Type: 'bigint' },
  { Name: 'name', Type: 'string' },
  { Name: 'amount', Type: 'double' },
  { Name: 'day', Type: 'date' },
];

describe('buildTableScan', () => {
  it('reads a messy CSV (BOM, CRLF, quoted newline, ragged rows) the way Hive would', async () => {
    // Prepare
    const workspace = await workspaceWith({ 'sales/messy.csv': 'messy.csv' });
    const table = csvTable(messyColumns, {
      SerializationLibrary: OPEN_CSV,
      Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '"' },
    });

    // Act
    const scan = await buildTableScan(db, workspace, { table });
    const rows = await db.queryJson(`SELECT * FROM ${scan.sql} AS t ORDER BY id`);

    // Assess: short row padded, surplus field dropped, bad number NULL, empty string kept as ''.
    expect(rows).toEqual([
      { id: '1', name: 'Smith, Jo', amount: 12.5, day: '2024-01-05' },
      { id: '2', name: 'multi\r\nline', amount: 7, day: '2024-01-06' },
      { id: '3', name: 'short', amount: null, day: null },
      { id: '4', name: 'extra', amount: 1.25, day: '2024-01-07' },
      { id: '5', name: '', amount: null, day: '2024-01-08' },
    ]);
  });

  it('adds partition values from the catalog and the source file URI, and restricts to given files', async () => {
    // Prepare
    const workspace = await workspaceWith({
      'sales/year=2024/month=01/a file.csv': 'quoted.csv',
      'sales/year=2024/month=02/b=c.csv': 'messy.csv',
      'sales/year=2024/month=02/_SUCCESS': 'empty.csv',
      'sales/year=2024/month=03/unregistered.csv': 'quoted.csv',
    });
    const table = csvTable(
      messyColumns,
      { SerializationLibrary: OPEN_CSV, Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '"' } },
      [
        { Name: 'year', Type: 'string' },
        { Name: 'month', Type: 'string' },
      ],
    );
    const partitions: Glue.Partition[] = [
      { Values: ['2024', '01'], StorageDescriptor: { Location: 's3://raw/sales/year=2024/month=01/' } },
      { Values: ['2024', '02'], StorageDescriptor: { Location: 's3://raw/sales/year=2024/month=02/' } },
    ];

    // Act
    const files = await listTableFiles(workspace, table, partitions);
    const all = await buildTableScan(db, workspace, { table, partitions, sourceFile: true });
    const perFile = await db.queryJson(
      `SELECT source_file, year, month, count(*) AS n FROM ${all.sql} AS t GROUP BY ALL ORDER BY source_file`,
    );
    const only = await buildTableScan(db, workspace, {
      table,
      partitions,
      files: ['s3://raw/sales/year=2024/month=01/a file.csv'],
    });
    const onlyRows = await db.queryJson(`SELECT * FROM ${only.sql} AS t`);

    // Assess
    expect(files.map((f) => f.uri)).toEqual([
      's3://raw/sales/year=2024/month=01/a file.csv',
      's3://raw/sales/year=2024/month=02/b=c.csv',
    ]);
    expect(perFile).toEqual([
      { source_file: 's3://raw/sales/year=2024/month=01/a file.csv', year: '2024', month: '01', n: '1' },
      { source_file: 's3://raw/sales/year=2024/month=02/b=c.csv', year: '2024', month: '02', n: '5' },
    ]);
    expect(onlyRows).toEqual([
      { id: '10', name: 'say "hi"', amount: 3.5, day: '2024-02-01', year: '2024', month: '01' },
    ]);
  });

  it('reads ISO-8859-1 text when the SerDe says so', async () => {
    const workspace = await workspaceWith({ 'sales/latin1.csv': 'latin1.csv' });
    const table = csvTable(
      [
        { Name: 'id', Type: 'bigint' },
        { Name: 'name', Type: 'string' },
      ],
      { SerializationLibrary: LAZY, Parameters: { 'field.delim': ',', 'serialization.encoding': 'ISO-8859-1' } },
    );
    const scan = await buildTableScan(db, workspace, { table });
    expect(await db.queryJson(`SELECT name FROM ${scan.sql} AS t ORDER BY id`)).toEqual([
      { name: 'café' },
      { name: 'naïve' },
    ]);
  });

  it('reads columns by name, so files without a merged-in column read it as NULL (Parquet and JSON)', async () => {
    // Prepare
    const workspace = await workspaceWith({ 'sales/events.jsonl': 'events.jsonl' });
    const parquetDir = path.join(workspace.dir('buckets', 'raw'), 'orders');
    await mkdir(parquetDir, { recursive: true });
    await db.run(
      `COPY (SELECT 1::BIGINT AS id, 'x' AS name) TO ${sqlString(path.join(parquetDir, 'old.parquet'))} (FORMAT parquet)`,
    );
    await db.run(
      `COPY (SELECT 'y' AS name, 2::BIGINT AS id, 9.5::DOUBLE AS score) TO ${sqlString(path.join(parquetDir, 'new.parquet'))} (FORMAT parquet)`,
    );
    const columns = [
      { Name: 'id', Type: 'bigint' },
      { Name: 'name', Type: 'string' },
      { Name: 'score', Type: 'double' },
      { Name: 'extra', Type: 'boolean' },
    ];
    const parquet: Glue.Table = {
      Name: 'orders',
      StorageDescriptor: {
        Columns: columns,
        Location: 's3://raw/orders/',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
      Parameters: { classification: 'parquet' },
    };
    const json: Glue.Table = {
      Name: 'events',
      StorageDescriptor: {
        Columns: columns,
        Location: 's3://raw/sales/',
        SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
      },
      Parameters: { classification: 'json' },
    };

    // Act
    const p = await buildTableScan(db, workspace, { table: parquet });
    const j = await buildTableScan(db, workspace, { table: json });
    const parquetRows = await db.queryJson(`SELECT * FROM ${p.sql} AS t ORDER BY id`);
    const jsonRows = await db.queryJson(`SELECT * FROM ${j.sql} AS t ORDER BY id`);

    // Assess
    expect(parquetRows).toEqual([
      { id: '1', name: 'x', score: null, extra: null },
      { id: '2', name: 'y', score: 9.5, extra: null },
    ]);
    expect(jsonRows).toEqual([
      { id: '1', name: 'a', score: null, extra: null },
      { id: '2', name: 'b', score: null, extra: true },
    ]);
  });

  it('reads gzip CSV next to plain CSV, and a JSON array file', async () => {
    // Prepare
    const workspace = await workspaceWith({ 'sales/plain.csv': 'quoted.csv' });
    const bucket = workspace.dir('buckets', 'raw');
    await writeFile(path.join(bucket, 'sales', 'more.csv.gz'), gzipSync('id,name,amount,day\n11,gz,1.5,2024-03-01\n'));
    await mkdir(path.join(bucket, 'arr'), { recursive: true });
    await writeFile(path.join(bucket, 'arr', 'a.json'), '[{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]');
    const csv = csvTable(messyColumns, {
      SerializationLibrary: OPEN_CSV,
      Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '"' },
    });
    const json: Glue.Table = {
      Name: 'arr',
      StorageDescriptor: { Columns: messyColumns.slice(0, 2), Location: 's3://raw/arr/' },
      Parameters: { classification: 'json' },
    };

    // Act
    const csvScan = await buildTableScan(db, workspace, { table: csv });
    const jsonScan = await buildTableScan(db, workspace, { table: json });

    // Assess
    expect(await db.queryJson(`SELECT id, name FROM ${csvScan.sql} AS t ORDER BY id`)).toEqual([
      { id: '10', name: 'say "hi"' },
      { id: '11', name: 'gz' },
    ]);
    expect(await db.queryJson(`SELECT * FROM ${jsonScan.sql} AS t ORDER BY id`)).toEqual([
      { id: '1', name: 'x' },
      { id: '2', name: 'y' },
    ]);
  });

  it('reads CSV files with different headers by column name (a merged-in column, reordered columns)', async () => {
    // Prepare
    const workspace = await workspaceWith({});
    const dir = path.join(workspace.dir('buckets', 'raw'), 'sales');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'a.csv'), 'id,name\n1,old\n');
    await writeFile(path.join(dir, 'b.csv'), 'Name,channel,ID\nnew,web,2\n');
    const table = csvTable(
      [
        { Name: 'id', Type: 'bigint' },
        { Name: 'name', Type: 'string' },
        { Name: 'channel', Type: 'string' },
      ],
      { SerializationLibrary: LAZY, Parameters: { 'field.delim': ',' } },
    );

    // Act
    const scan = await buildTableScan(db, workspace, { table });
    const rows = await db.queryJson(`SELECT * FROM ${scan.sql} AS t ORDER BY id`);

    // Assess
    expect(rows).toEqual([
      { id: '1', name: 'old', channel: null },
      { id: '2', name: 'new', channel: 'web' },
    ]);
  });

  it('reads each file exactly once when keys hold glob characters (*, ?, [)', async () => {
    // Prepare: every key below is also a DuckDB pattern that matches its neighbour
    const workspace = await workspaceWith({});
    const dir = path.join(workspace.dir('buckets', 'raw'), 'sales');
    await mkdir(dir, { recursive: true });
    const names = ['x*.csv', 'xa.csv', 'y?.csv', 'yb.csv', 'z[1].csv', 'z1.csv'];
    for (const [i, name] of names.entries()) await writeFile(path.join(dir, name), `id\n${i}\n`);
    const table = csvTable([{ Name: 'id', Type: 'bigint' }], {
      SerializationLibrary: LAZY,
      Parameters: { 'field.delim': ',' },
    });

    // Act
    const scan = await buildTableScan(db, workspace, { table, sourceFile: true });
    const rows = await db.queryJson(`SELECT id, source_file FROM ${scan.sql} AS t ORDER BY id`);

    // Assess
    expect(rows).toEqual(names.map((name, i) => ({ id: String(i), source_file: `s3://raw/sales/${name}` })));
  });

  it('returns an empty, typed relation for a table with no files yet', async () => {
    const workspace = await workspaceWith({});
    const scan = await buildTableScan(db, workspace, { table: csvTable(messyColumns, { SerializationLibrary: LAZY }) });
    const described = await db.queryJson(`DESCRIBE SELECT * FROM ${scan.sql} AS t`);
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual([
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['amount', 'DOUBLE'],
      ['day', 'DATE'],
    ]);
    expect(await db.queryJson(`SELECT count(*) AS n FROM ${scan.sql} AS t`)).toEqual([{ n: '0' }]);
  });

  it('never lets a file name break out of its SQL literal', async () => {
    const workspace = await workspaceWith({ "sales/it's'); DROP TABLE x; --.csv": 'quoted.csv' });
    const table = csvTable(messyColumns, {
      SerializationLibrary: OPEN_CSV,
      Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '"' },
    });
    const scan = await buildTableScan(db, workspace, { table, sourceFile: true });
    expect(await db.queryJson(`SELECT id, source_file FROM ${scan.sql} AS t`)).toEqual([
      { id: '10', source_file: "s3://raw/sales/it's'); DROP TABLE x; --.csv" },
    ]);
  });
});
