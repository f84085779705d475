import { sqlString } from '../../../../functions/shared/sql-literal';
import { DuckDb, escapeGlob, sqlIdentifier } from '../../../../local/duckdb';
import { duckToGlueType, glueToDuckType, UnsupportedTypeError } from '../../../../local/glue/catalog/glue-types';

describe('Glue/Hive <-> DuckDB types', () => {
  it.each([
    ['BIGINT', 'bigint'],
    ['INTEGER', 'int'],
    ['DOUBLE', 'double'],
    ['DECIMAL(18,3)', 'decimal(18,3)'],
    ['VARCHAR', 'string'],
    ['DATE', 'date'],
    ['TIMESTAMP', 'timestamp'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
    ['BOOLEAN', 'boolean'],
    ['TIME', 'string'],
    ['UBIGINT', 'decimal(20,0)'],
    ['VARCHAR[]', 'array<string>'],
    ['STRUCT(a BIGINT, "b c" VARCHAR[])', 'struct<a:bigint,b c:array<string>>'],
    ['MAP(VARCHAR, DOUBLE)', 'map<string,double>'],
  ])('DuckDB %s -> Glue %s', (duck, glue) => {
    expect(duckToGlueType(duck)).toBe(glue);
  });

  it.each([
    ['string', 'VARCHAR'],
    ['varchar(20)', 'VARCHAR'],
    ['int', 'INTEGER'],
    ['decimal(10, 2)', 'DECIMAL(10,2)'],
    ['decimal', 'DECIMAL(10,0)'],
    ['array<struct<x:int,y:string>>', 'STRUCT("x" INTEGER, "y" VARCHAR)[]'],
    ['map<string,array<bigint>>', 'MAP(VARCHAR, BIGINT[])'],
  ])('Glue %s -> DuckDB %s', (glue, duck) => {
    expect(glueToDuckType(glue)).toBe(duck);
  });

  it('refuses unknown Glue types and unsafe struct field names', () => {
    expect(() => glueToDuckType('geometry')).toThrow(UnsupportedTypeError);
    expect(() => glueToDuckType('struct<"a; DROP":int>')).toThrow(/identifier/);
  });

  it('produces DuckDB types that DuckDB accepts', async () => {
    const db = await DuckDb.open({ threads: 1, memoryLimit: '128MB' });
    try {
      const duck = glueToDuckType('struct<n:bigint,tags:array<string>,m:map<string,double>>');
      const [row] = await db.queryJson(`SELECT typeof(CAST(NULL AS ${duck})) AS t`);
      expect(row?.t).toBe('STRUCT(n BIGINT, tags VARCHAR[], m MAP(VARCHAR, DOUBLE))');
    } finally {
      db.close();
    }
  });
});

describe('SQL quoting helpers', () => {
  it('doubles single quotes so a value stays one literal', async () => {
    const db = await DuckDb.open({ threads: 1, memoryLimit: '128MB' });
    try {
      const nasty = "x'); DROP TABLE t; --";
      const [row] = await db.queryJson(`SELECT ${sqlString(nasty)} AS v`);
      expect(sqlString("it's")).toBe("'it''s'");
      expect(() => sqlString('a\0b')).toThrow(expect.objectContaining({ name: 'InvalidSqlLiteralError' }));
      expect(row?.v).toBe(nasty);
    } finally {
      db.close();
    }
  });

  it('escapes glob characters in file paths', () => {
    expect(escapeGlob('/b/z[1]/x*?.csv')).toBe('/b/z[[]1]/x[*][?].csv');
    expect(escapeGlob('/b/plain name=1.csv')).toBe('/b/plain name=1.csv');
  });

  it('accepts only plain identifiers', () => {
    expect(sqlIdentifier('year')).toBe('"year"');
    expect(() => sqlIdentifier('a"b')).toThrow(expect.objectContaining({ name: 'InvalidSqlIdentifierError' }));
    expect(() => sqlIdentifier('1a')).toThrow(expect.objectContaining({ name: 'InvalidSqlIdentifierError' }));
  });
});
