// Proves the jest transform loads the ESM-only dependencies the project relies on.
import middy from '@middy/core';
import { SparkSQL, TrinoSQL } from 'dt-sql-parser';

describe('toolchain', () => {
  it('loads ESM-only middy and wraps a handler', async () => {
    const handler = middy(async (event: { n: number }) => event.n * 2);
    await expect(handler({ n: 21 }, {} as never)).resolves.toBe(42);
  });

  it('loads dt-sql-parser and tells valid from invalid Spark and Trino SQL', () => {
    expect(new SparkSQL().validate('SELECT datediff(a, b) FROM t')).toHaveLength(0);
    expect(new TrinoSQL().validate('SELECT FROM WHERE')).not.toHaveLength(0);
  });
});
