// Athena's text conventions for values and parameters, pinned to Java/Trino and Athena's documented forms.

import { TIMESTAMPTZ } from '@duckdb/node-api';
import { parseExecutionParameter } from '../../../local/athena/local-athena';
import { athenaValue, javaDouble, resultCsv } from '../../../local/athena/result-format';

describe('javaDouble (Trino prints doubles with Java Double.toString)', () => {
  it.each([
    [1, '1.0'],
    [1.5, '1.5'],
    [-0.25, '-0.25'],
    [0, '0.0'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1234567.5, '1234567.5'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('%p -> %s', (value, text) => {
    expect(javaDouble(value)).toBe(text);
  });
});

describe('parseExecutionParameter', () => {
  it.each([
    ["'abc'", 'abc'],
    ["'it''s'", "it's"],
    ['42', 42n],
    ['-7', -7n],
    ['2.5', 2.5],
    ['TRUE', true],
    ['false', false],
    ['NULL', null],
  ])('%s binds as %p', (literal, value) => {
    expect(parseExecutionParameter(literal)).toEqual(value);
  });
});

describe('athenaValue', () => {
  it('prints a TIMESTAMP WITH TIME ZONE in the UTC session as Trino does: milliseconds, then the zone name', () => {
    // Act
    const text = athenaValue({ toString: () => '2020-05-11 10:15:05.055+00' }, TIMESTAMPTZ);
    // Assess
    expect(text).toBe('2020-05-11 10:15:05.055 UTC');
  });
});

describe('resultCsv', () => {
  it('quotes every value, doubles quotes and leaves NULL as an empty unquoted field', () => {
    expect(
      resultCsv(
        ['a', 'b'],
        [
          ['x "y"', null],
          ['', '1'],
        ],
      ),
    ).toBe('"a","b"\n"x ""y""",\n"","1"\n');
  });
});
