// Every dataset of the registry gets its crawler (its prefix, exclusions and CSV dialect) and its job (its manifest
// and contract), named as infra/datasets.cjs names them.

import { type DatasetDefinition, datasetNamed } from '../../../infra/registry.cjs';
import { DEPLOYMENT } from '../../../local/twin/config';
import { datasetResources } from '../../../local/twin/dataset-resources';

const transactions = datasetNamed('customer_transactions');
const profiles: DatasetDefinition = {
  ...transactions,
  name: 'customer_profiles',
  raw: {
    prefix: 'raw/customer_profiles/',
    formats: ['jsonl'],
    csv: { header: true, delimiter: '|', quote: "'" },
    partitionKeys: ['day'],
  },
  contract: {
    ...transactions.contract,
    columns: [
      { name: 'customer_id', type: 'string', required: true, description: 'id', pii: false },
      { name: 'loyalty_tier', type: 'string', required: false, description: 'tier', pii: false },
      { name: 'signup_date', type: 'date', required: false, description: 'day', pii: false },
    ],
  },
  job: { manifestFile: '/somewhere/job.yml', name: 'customer-profiles' },
  crawler: { exclusions: ['**/*.tmp'] },
};

describe('datasetResources', () => {
  const [first, second] = datasetResources(DEPLOYMENT, [transactions, profiles]);

  it('names each crawler and job as the deployment does, and keeps the deployment-wide settings', () => {
    expect(first?.crawler.Name).toBe('lakepipe-local-customer-transactions');
    expect(first?.job.Name).toBe('lakepipe-local-customer-analytics');
    expect(second?.plan).toMatchObject({
      dataset: 'customer_profiles',
      prefix: 'raw/customer_profiles/',
      crawler: 'lakepipe-local-customer-profiles',
      job: 'lakepipe-local-customer-profiles',
      topicArn: DEPLOYMENT.topicArn,
    });
    expect(second?.crawler).toMatchObject({
      SchemaChangePolicy: DEPLOYMENT.crawler.SchemaChangePolicy,
      Configuration: DEPLOYMENT.crawler.Configuration,
    });
    expect(second?.job.Timeout).toBe(DEPLOYMENT.job.Timeout);
  });

  it("targets the dataset's prefix with its exclusions and its CSV dialect", () => {
    expect(second?.crawler.Targets).toEqual({
      S3Targets: [{ Path: `s3://${DEPLOYMENT.buckets.raw}/raw/customer_profiles/`, Exclusions: ['**/*.tmp'] }],
    });
    expect(second?.classifier).toEqual({
      Name: 'lakepipe-local-customer-profiles-csv',
      Delimiter: '|',
      QuoteSymbol: "'",
      ContainsHeader: 'PRESENT',
    });
    expect(second?.crawler.Classifiers).toEqual(['lakepipe-local-customer-profiles-csv']);
  });

  it("gives the job its manifest and the contract's optional columns and partition keys", () => {
    expect(second?.job.manifestFile).toBe('/somewhere/job.yml');
    expect(second?.job.DefaultArguments['--manifest_s3_uri']).toMatch(/\/jobs\/customer-profiles\/job\.yml$/);
    expect(JSON.parse(second?.job.DefaultArguments['--source_contract'] ?? '')).toEqual({
      optional: [
        { name: 'loyalty_tier', type: 'string' },
        { name: 'signup_date', type: 'date' },
      ],
      partitionKeys: ['day'],
      csv: { quote: "'" },
    });
  });
});
