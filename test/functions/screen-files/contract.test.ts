// Whether a value fits a declared Glue type, as the schema-change policy judges it (functions/screen-files/contract.ts).
import { formatOf, textFits } from '../../../functions/screen-files/contract';

describe('textFits', () => {
  it.each([
    ['tinyint', '127', true],
    ['tinyint', '-128', true],
    ['tinyint', '128', false],
    ['smallint', '-32769', false],
    ['smallint', '32767', true],
    ['int', '2147483647', true],
    ['int', '2147483648', false],
    ['int', '+5', true],
    ['int', '5.0', false],
    ['int', ' 5', false],
    ['bigint', '9223372036854775807', true],
    ['bigint', '9223372036854775808', false],
    ['bigint', '-9223372036854775808', true],
    ['bigint', 'N/A', false],
    ['double', '1.5e-3', true],
    ['double', '.5', true],
    ['double', 'NaN', true],
    ['double', '1,5', false],
    ['float', '3.4e38', true],
    ['float', '3.5e38', false],
    ['decimal(5,2)', '123.45', true],
    ['decimal(5,2)', '1234.5', false],
    ['decimal(5,2)', '1.450', true],
    ['decimal(5,2)', '1.455', false],
    ['decimal(5,2)', '-0.5', true],
    ['decimal(5,2)', '.', false],
    ['decimal(38,0)', '12345678901234567890123456789012345678', true],
    ['boolean', 'TRUE', true],
    ['boolean', 'false', true],
    ['boolean', '1', false],
    ['date', '2024-02-29', true],
    ['date', '2023-02-29', false],
    ['date', '2024-13-01', false],
    ['date', '01/02/2024', false],
    ['timestamp', '2026-01-01 23:59:59', true],
    ['timestamp', '2026-01-01T23:59:59.123456789Z', true],
    ['timestamp', '2026-01-01T10:00:00+02:00', true],
    ['timestamp', '2026-01-01 24:00:00', false],
    ['timestamp', '2026-01-01', false],
    ['string', 'anything at all', true],
  ])('%s %j -> %s', (type, text, fits) => {
    expect(textFits(type, text)).toBe(fits);
  });
});

describe('formatOf', () => {
  it('names the format by extension, gzip being a transport', () => {
    expect(['a.csv', 'a.CSV.gz', 'a.json', 'a.jsonl.gz', 'a.parquet', 'a.txt'].map(formatOf)).toEqual([
      'csv',
      'csv',
      'jsonl',
      'jsonl',
      'parquet',
      undefined,
    ]);
  });
});
