// The dataset registry (infra/registry.cjs): datasets/<name>/dataset.yml read, defaulted and refused with the file
// and the field named.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DatasetConfigError, datasetNamed, loadRegistry, requiredColumns } from '../../infra/registry.cjs';

let root: string;

const minimal = () => ({
  description: 'Orders',
  raw: {},
  contract: {
    columns: [
      { name: 'order_id', type: 'string', required: true, description: 'Id' },
      { name: 'amount', type: 'decimal(12,2)', description: 'Amount' },
    ],
  },
  checks: ['has_rows'],
});

function writeDataset(name: string, doc: unknown, manifest = `name: ${name.replace(/_/g, '-')}\n`) {
  const dir = path.join(root, 'datasets', name);
  mkdirSync(path.join(dir, 'validations'), { recursive: true });
  writeFileSync(path.join(dir, 'dataset.yml'), typeof doc === 'string' ? doc : YAML.stringify(doc));
  writeFileSync(path.join(dir, 'job.yml'), manifest);
  writeFileSync(path.join(dir, 'validations', 'has_rows.sql'), 'SELECT true AS passed');
}

function refusal(act: () => unknown): DatasetConfigError {
  try {
    act();
  } catch (error) {
    if (error instanceof DatasetConfigError) return error;
    throw error;
  }
  throw new Error('expected a DatasetConfigError');
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lakepipe-registry-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the dataset registry', () => {
  it('reads the repository’s reference dataset with its contract, job and checks', () => {
    // Act
    const dataset = datasetNamed('customer_transactions');
    // Assess
    expect(dataset.raw.prefix).toBe('raw/customer_transactions/');
    expect(requiredColumns(dataset)).toEqual([
      'transaction_id',
      'customer_id',
      'transaction_amount',
      'transaction_date',
    ]);
    expect(dataset.job.name).toBe('customer-analytics');
    expect(dataset.checks).toContain('rows_written');
  });

  it('fills the defaults: prefix raw/<name>/, CSV with a header, evolve, the usual crawler exclusions', () => {
    // Prepare
    writeDataset('orders', minimal());
    // Act
    const [orders] = loadRegistry(root);
    // Assess
    expect(orders).toMatchObject({
      name: 'orders',
      raw: { prefix: 'raw/orders/', formats: ['csv'], csv: { header: true, delimiter: ',', quote: '"' } },
      contract: { schemaChange: 'evolve', key: [] },
      job: { name: 'orders', manifestFile: path.join(root, 'datasets', 'orders', 'job.yml') },
      crawler: { exclusions: ['**/_*', '**/.*'] },
    });
    expect(orders?.contract.columns[1]).toMatchObject({ required: false, pii: false });
  });

  it.each([
    [
      'an unknown type',
      (d: ReturnType<typeof minimal>) => Object.assign(d.contract.columns[1] ?? {}, { type: 'money' }),
      'contract.columns[1].type',
    ],
    [
      'decimal precision above 38',
      (d: ReturnType<typeof minimal>) => Object.assign(d.contract.columns[1] ?? {}, { type: 'decimal(40,2)' }),
      'contract.columns[1].type',
    ],
    ['an unknown field', (d: ReturnType<typeof minimal>) => Object.assign(d, { shedule: 'daily' }), ''],
    [
      'a key that is no column',
      (d: ReturnType<typeof minimal>) => Object.assign(d.contract, { key: ['id'] }),
      'contract.key[0]',
    ],
    [
      'a check without its file',
      (d: ReturnType<typeof minimal>) => Object.assign(d, { checks: ['nope'] }),
      'checks[0]',
    ],
    [
      'a prefix with a dot',
      (d: ReturnType<typeof minimal>) => Object.assign(d.raw, { prefix: 'raw/../x/' }),
      'raw.prefix',
    ],
    [
      'an unknown policy',
      (d: ReturnType<typeof minimal>) => Object.assign(d.contract, { schemaChange: 'loose' }),
      'contract.schemaChange',
    ],
  ])('refuses %s, naming the file and the field', (_what, spoil, field) => {
    // Prepare
    const doc = minimal();
    spoil(doc);
    writeDataset('orders', doc);
    // Act
    const error = refusal(() => loadRegistry(root));
    // Assess
    expect(error.file).toBe('datasets/orders/dataset.yml');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^datasets\/orders\/dataset\.yml: /);
  });

  it('refuses YAML that does not parse, and a folder name that cannot be a table name', () => {
    // Prepare
    writeDataset('orders', 'description: [unclosed');
    // Act / Assess
    expect(refusal(() => loadRegistry(root)).message).toMatch(/^datasets\/orders\/dataset\.yml: not valid YAML/);
    rmSync(path.join(root, 'datasets', 'orders'), { recursive: true });
    writeDataset('Orders-2', minimal());
    expect(refusal(() => loadRegistry(root)).message).toContain('folder name "Orders-2"');
  });

  it('refuses two datasets whose prefixes overlap, or whose jobs share a name', () => {
    // Prepare
    writeDataset('orders', minimal());
    writeDataset('orders_eu', { ...minimal(), raw: { prefix: 'raw/orders/eu/' } });
    // Act
    const overlap = refusal(() => loadRegistry(root));
    // Assess
    expect(overlap).toMatchObject({ file: 'datasets/orders_eu/dataset.yml', field: 'raw.prefix' });

    // Prepare
    writeDataset('orders_eu', minimal(), 'name: orders\n');
    // Act
    const sameJob = refusal(() => loadRegistry(root));
    // Assess
    expect(sameJob.message).toContain('job name orders');
  });

  it('names the datasets that exist when asked for one that does not', () => {
    // Act
    const error = refusal(() => datasetNamed('nope'));
    // Assess
    expect(error.message).toContain('no dataset "nope" (have: ');
    expect(error.message).toContain('customer_transactions');
  });
});
