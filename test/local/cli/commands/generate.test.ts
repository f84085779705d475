// `lakepipe generate --dataset`: sample data for each dataset that has a generator; transactions stay the default.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../e2e/support';
import { cli } from '../support';

describe('lakepipe generate', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir('lakepipe-cli-generate-');
  });

  it('writes customer profiles as JSON lines, the same for a seed, with customers changed more than once', async () => {
    // Prepare
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    // Act
    const first = await cli(
      'generate',
      '--dataset',
      'customer_profiles',
      '--rows',
      '300',
      '--out',
      a,
      '--seed',
      '9',
      '--json',
    );
    await cli('generate', '--dataset', 'customer_profiles', '--rows', '300', '--out', b, '--seed', '9');
    // Assess
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ file: a, dataset: 'customer_profiles', rows: 300 });
    expect(result.updatedCustomers).toBeGreaterThan(0);
    expect(Object.keys(result.dirty)).toEqual([
      'missing_customer_id',
      'missing_email',
      'invalid_email',
      'unparseable_updated_at',
      'unparseable_signup_date',
    ]);
    const text = await readFile(a, 'utf8');
    expect(text).toBe(await readFile(b, 'utf8'));
    expect(Object.keys(JSON.parse(text.split('\n')[0] ?? '{}'))).toEqual([
      'customer_id',
      'email',
      'country',
      'loyalty_tier',
      'signup_date',
      'updated_at',
    ]);
  });

  it('writes transactions CSV by default', async () => {
    // Prepare
    const file = path.join(dir, 't.csv');
    // Act
    const { code } = await cli('generate', '--rows', '5', '--out', file);
    // Assess
    expect(code).toBe(0);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(
      'transaction_id,customer_id,transaction_amount,transaction_date,store_id,channel,product_category',
    );
  });

  it('refuses a dataset without a generator, and a transactions-only option for profiles', async () => {
    // Act
    const unknown = await cli('generate', '--dataset', 'orders', '--rows', '5', '--out', path.join(dir, 'o.csv'));
    const idPrefix = await cli(
      'generate',
      ...['--dataset', 'customer_profiles', '--rows', '5', '--out', path.join(dir, 'p.jsonl'), '--id-prefix', 'X'],
    );
    // Assess
    expect([unknown.code, idPrefix.code]).toEqual([2, 2]);
    expect(unknown.stderr).toBe(
      'lakepipe: no sample generator for dataset "orders" (have: customer_transactions, customer_profiles)\n',
    );
    expect(idPrefix.stderr).toBe(
      'lakepipe: --id-prefix is for customer_transactions (profiles are keyed by customer)\n',
    );
  });
});
