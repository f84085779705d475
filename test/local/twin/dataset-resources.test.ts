// Every dataset of the registry gets its crawler (its prefix, exclusions and CSV dialect) and its job (its manifest
// and contract), exactly as infra/dataset-resources.cjs generates them for the template.

import { datasetNamed, registry } from '../../../infra/registry.cjs';
import { DEPLOYMENT } from '../../../local/twin/config';
import { datasetResources } from '../../../local/twin/dataset-resources';

const transactions = datasetNamed('customer_transactions');
const profiles = datasetNamed('customer_profiles');

describe('datasetResources', () => {
  const all = datasetResources(DEPLOYMENT, registry());
  const of = (name: string) => all.find((d) => d.dataset.name === name);

  it('gives every dataset of the registry a plan, a crawler and a job, named as the deployment names them', () => {
    expect(all.map((d) => d.dataset.name)).toEqual(registry().map((d) => d.name));
    expect(of('customer_transactions')?.crawler.Name).toBe('lakepipe-local-customer-transactions');
    expect(of('customer_transactions')?.job.Name).toBe('lakepipe-local-customer-analytics');
    expect(of('customer_profiles')?.plan).toMatchObject({
      dataset: 'customer_profiles',
      prefix: profiles.raw.prefix,
      crawler: 'lakepipe-local-customer-profiles',
      job: 'lakepipe-local-customer-profiles',
      topicArn: DEPLOYMENT.topicArn,
    });
    expect(of('customer_profiles')?.crawler).toMatchObject({
      SchemaChangePolicy: DEPLOYMENT.crawler.SchemaChangePolicy,
      Configuration: DEPLOYMENT.crawler.Configuration,
    });
  });

  it("targets each dataset's prefix with its exclusions; a CSV dataset gets a classifier of its dialect, a JSON one none", () => {
    expect(of('customer_profiles')?.crawler.Targets).toEqual({
      S3Targets: [
        { Path: `s3://${DEPLOYMENT.buckets.raw}/${profiles.raw.prefix}`, Exclusions: profiles.crawler.exclusions },
      ],
    });
    expect(of('customer_profiles')?.classifier).toBeUndefined();
    expect(of('customer_profiles')?.crawler.Classifiers).toBeUndefined();
    expect(of('customer_transactions')?.classifier).toEqual({
      Name: 'lakepipe-local-customer-transactions-csv',
      Delimiter: transactions.raw.csv.delimiter,
      QuoteSymbol: transactions.raw.csv.quote,
      ContainsHeader: 'PRESENT',
    });
    expect(of('customer_transactions')?.crawler.Classifiers).toEqual(['lakepipe-local-customer-transactions-csv']);
  });

  it("gives the job its manifest, the contract's optional columns and partition keys, and its secrets' names", () => {
    const job = of('customer_profiles')?.job;
    expect(job?.manifestFile).toBe(profiles.job.manifestFile);
    expect(job?.DefaultArguments['--manifest_s3_uri']).toMatch(/\/jobs\/customer-profiles\/job\.yml$/);
    expect(JSON.parse(job?.DefaultArguments['--source_contract'] ?? '')).toEqual({
      optional: profiles.contract.columns.filter((c) => !c.required).map((c) => ({ name: c.name, type: c.type })),
      partitionKeys: profiles.raw.partitionKeys,
      csv: { quote: profiles.raw.csv.quote },
    });
    expect(job?.DefaultArguments['--email_salt']).toBe('/lakepipe/local/customer_profiles/email_salt');
    expect(JSON.parse(of('customer_transactions')?.job.DefaultArguments['--source_contract'] ?? '').optional).toEqual([
      { name: 'store_id', type: 'string' },
      { name: 'channel', type: 'string' },
      { name: 'product_category', type: 'string' },
    ]);
  });
});
