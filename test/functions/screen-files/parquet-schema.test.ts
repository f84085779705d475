// A Parquet file's top-level columns and their Glue types, read from the footer of real files written by DuckDB.
import { fileTypeFits } from '../../../functions/screen-files/contract';
import { ParquetFooterError, parquetColumns } from '../../../functions/screen-files/parquet-schema';
import { parquetOf } from './support';

/** The footer of a Parquet file: the bytes before its length and closing magic. */
function footerOf(file: Buffer): Buffer {
  const length = file.readUInt32LE(file.length - 8);
  return file.subarray(file.length - 8 - length, file.length - 8);
}

describe('parquetColumns', () => {
  it('types every top-level column as a crawler would, nested ones by their kind', async () => {
    // Prepare
    const file = await parquetOf(`
      SELECT 'a' AS s, 1::TINYINT AS t, 1::SMALLINT AS sm, 1::INTEGER AS i, 1::BIGINT AS b, 1.5::FLOAT AS f,
             1.5::DOUBLE AS d, 1.25::DECIMAL(10,2) AS dec, 1.5::DECIMAL(30,4) AS wide, true AS bo,
             DATE '2026-01-01' AS dt, TIMESTAMP '2026-01-01 10:00:00' AS ts, 'x'::BLOB AS bin,
             {'k': 1} AS st, [1, 2] AS arr, MAP {'k': 1} AS m, 1::UTINYINT AS u8
      FROM range(3)`);

    // Act
    const { columns, rows } = parquetColumns(footerOf(file));

    // Assess
    expect(rows).toBe(3);
    expect(columns).toEqual([
      { name: 's', type: 'string' },
      { name: 't', type: 'tinyint' },
      { name: 'sm', type: 'smallint' },
      { name: 'i', type: 'int' },
      { name: 'b', type: 'bigint' },
      { name: 'f', type: 'float' },
      { name: 'd', type: 'double' },
      { name: 'dec', type: 'decimal(10,2)' },
      { name: 'wide', type: 'decimal(30,4)' },
      { name: 'bo', type: 'boolean' },
      { name: 'dt', type: 'date' },
      { name: 'ts', type: 'timestamp' },
      { name: 'bin', type: 'binary' },
      { name: 'st', type: 'struct' },
      { name: 'arr', type: 'array' },
      { name: 'm', type: 'map' },
      { name: 'u8', type: 'smallint' },
    ]);
  });

  it('refuses a footer cut short with a named error', async () => {
    // Prepare
    const footer = footerOf(await parquetOf('SELECT 1 AS a, 2 AS b'));

    // Act
    const act = () => parquetColumns(footer.subarray(0, 12));

    // Assess
    expect(act).toThrow(ParquetFooterError);
  });
});

describe('fileTypeFits', () => {
  it.each([
    ['int', 'int', true],
    ['bigint', 'int', true],
    ['int', 'bigint', false],
    ['smallint', 'tinyint', true],
    ['double', 'float', true],
    ['float', 'double', false],
    ['decimal(10,2)', 'decimal(4,1)', true],
    ['decimal(10,2)', 'decimal(10,3)', false],
    ['decimal(10,2)', 'decimal(12,2)', false],
    ['decimal(12,2)', 'int', true],
    ['decimal(10,2)', 'bigint', false],
    ['string', 'bigint', false],
    ['bigint', 'string', false],
    ['date', 'timestamp', false],
    ['string', 'struct', false],
  ])('declared %s, file %s -> %s', (declared, actual, fits) => {
    expect(fileTypeFits(declared, actual)).toBe(fits);
  });
});
