// Rows read, from DuckDB's profiles: trusted only where the profile proves the source scan read every row. Each
// case runs real statements on a real CSV of 50,000 rows, more than the chunks a scan reads before it can stop.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sqlString } from '../../../../functions/shared/sql-literal';
import { DuckDb } from '../../../../local/duckdb';
import { type ProfileNode, SourceRowCounter, sourceScansOf } from '../../../../local/glue/jobs/source-rows';

const ROWS = 50_000;

async function counted(statements: (source: string) => string[]): Promise<number | undefined> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-source-rows-'));
  const file = path.join(dir, 'orders.csv');
  const other = path.join(dir, 'customers.csv');
  const db = await DuckDb.open();
  try {
    await db.run(
      `COPY (SELECT i AS order_id, 'c' || (i % 7) AS customer FROM range(${ROWS}) t(i)) TO ${sqlString(file)} (HEADER)`,
    );
    await db.run(`COPY (SELECT 'c' || i AS customer FROM range(7) t(i)) TO ${sqlString(other)} (HEADER)`);
    await db.run('CREATE TABLE no_ids (order_id BIGINT)');
    await db.run('CREATE TABLE some_ids AS SELECT 5::BIGINT AS order_id');
    await db.run(`CREATE VIEW source AS SELECT * FROM read_csv([${sqlString(file)}], header = true)`);
    await db.run(`CREATE VIEW customers AS SELECT * FROM read_csv([${sqlString(other)}], header = true)`);
    const counter = new SourceRowCounter(db, path.join(dir, 'profile.json'), [file]);
    await counter.start();
    for (const sql of statements('source')) {
      await db.run(sql);
      await counter.collect();
    }
    await counter.stop();
    return counter.rowsRead();
  } finally {
    db.close();
  }
}

describe('SourceRowCounter', () => {
  it('counts every row of a source read once, through filters, projections, aggregates and joins with rows', async () => {
    // Act
    const filtered = await counted((s) => [
      `CREATE TABLE a AS SELECT order_id * 2 AS x FROM ${s} WHERE order_id % 3 = 0`,
    ]);
    const grouped = await counted((s) => [
      `CREATE TABLE b AS SELECT c.customer, count(*) AS n FROM ${s} JOIN customers c USING (customer) GROUP BY 1`,
    ]);
    const semi = await counted((s) => [
      `CREATE TABLE c AS SELECT * FROM ${s} WHERE order_id IN (SELECT order_id FROM some_ids)`,
    ]);

    // Assess
    expect([filtered, grouped, semi]).toEqual([ROWS, ROWS, ROWS]);
  });

  it('gives no count when the scan may have stopped early: a LIMIT, or a join whose other side is empty', async () => {
    // Act
    const limited = await counted((s) => [`CREATE TABLE a AS SELECT * FROM ${s} LIMIT 10`]);
    const joinedEmpty = await counted((s) => [`CREATE TABLE b AS SELECT s.* FROM ${s} s JOIN no_ids USING (order_id)`]);
    const semiEmpty = await counted((s) => [
      `CREATE TABLE c AS SELECT * FROM ${s} WHERE order_id IN (SELECT order_id FROM no_ids)`,
    ]);

    // Assess
    expect([limited, joinedEmpty, semiEmpty]).toEqual([undefined, undefined, undefined]);
  });

  it('gives no count when the source was read twice or not at all, and ignores scans of other files', async () => {
    // Act
    const twice = await counted((s) => [
      `CREATE TABLE a AS SELECT * FROM ${s}`,
      `CREATE TABLE b AS SELECT * FROM ${s}`,
    ]);
    const never = await counted(() => ['CREATE TABLE a AS SELECT * FROM customers']);
    const withOther = await counted((s) => [
      'CREATE TABLE a AS SELECT * FROM customers',
      `CREATE TABLE b AS SELECT * FROM ${s}`,
    ]);

    // Assess
    expect([twice, never, withOther]).toEqual([undefined, undefined, ROWS]);
  });
});

describe('sourceScansOf: the guards, on profile trees', () => {
  // A stopped scan usually shows fewer finished files than the source has and so is not counted at all (the
  // cases above); these trees show a scan that finished its files under an operator that may still have cut it.
  const FILE = '/data/orders.csv';
  const scan = (rows: number, extra: Record<string, unknown> = {}): ProfileNode => ({
    operator_name: 'TABLE_SCAN',
    operator_cardinality: rows,
    extra_info: { Function: 'READ_CSV', 'Total Files Read': '1', 'Filename(s)': FILE, ...extra },
  });
  const op = (name: string, rows: number, ...children: ProfileNode[]): ProfileNode => ({
    operator_name: name,
    operator_cardinality: rows,
    children,
  });
  const of = (tree: ProfileNode) => sourceScansOf({ children: [tree] }, new Set([FILE]));

  it('trusts a finished scan under operators that read all their input, and a join whose other side has rows', () => {
    expect(of(op('COPY_TO_FILE', 1, op('PROJECTION', 9, op('FILTER', 9, scan(100)))))).toEqual({
      scans: 1,
      rows: 100,
      complete: true,
    });
    expect(of(op('HASH_JOIN', 9, scan(100), op('TABLE_SCAN', 3)))).toMatchObject({ rows: 100, complete: true });
  });

  it('does not trust it under a LIMIT, under a join whose other side is empty, or with filters inside the scan', () => {
    expect(of(op('STREAMING_LIMIT', 10, scan(100))).complete).toBe(false);
    expect(of(op('HASH_JOIN', 0, scan(100), op('TABLE_SCAN', 0))).complete).toBe(false);
    expect(of(op('CROSS_PRODUCT', 0, op('TABLE_SCAN', 0), scan(100))).complete).toBe(false);
    expect(of(op('PROJECTION', 9, scan(100, { 'Dynamic Filters': 'order_id>=5' }))).complete).toBe(false);
  });

  it('matches the source by its files: another file set, or a different number of files, is not the source', () => {
    expect(of(scan(100, { 'Filename(s)': '/data/customers.csv' })).scans).toBe(0);
    expect(of(scan(100, { 'Total Files Read': '2', 'Filename(s)': `${FILE}, /data/more.csv` })).scans).toBe(0);
  });
});
