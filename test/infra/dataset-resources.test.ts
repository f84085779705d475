// infra/dataset-resources.cjs on its own: what it derives from a dataset folder, and what it refuses. Fast; the
// packaged template of two datasets is checked in datasets-template.test.ts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datasetResources, datasetTemplate, manifestNeeds, resolvePseudo } from '../../infra/dataset-resources.cjs';
import { namesFor } from '../../infra/names.cjs';
import { DatasetConfigError, datasetNamed, loadRegistry } from '../../infra/registry.cjs';
import { REPO_ROOT } from './package-service';

const PARAMS = { glueWorkerType: 'G.1X', glueNumberOfWorkers: 2, glueJobTimeoutMinutes: 60 };
const names = namesFor('qa');
let root: string;

/** A project root holding the reference dataset and a copy of it named `copy_name`, edited by `edit`. */
function withCopy(copyName: string, edit: (file: string, text: string) => string = (_f, t) => t): string {
  const dir = path.join(root, copyName);
  cpSync(
    path.join(REPO_ROOT, 'datasets', 'customer_transactions'),
    path.join(dir, 'datasets', 'customer_transactions'),
    {
      recursive: true,
    },
  );
  const copy = path.join(dir, 'datasets', copyName);
  cpSync(path.join(REPO_ROOT, 'datasets', 'customer_transactions'), copy, { recursive: true });
  for (const file of ['dataset.yml', 'job.yml']) {
    const full = path.join(copy, file);
    writeFileSync(full, edit(file, readFileSync(full, 'utf8')));
  }
  return dir;
}

/** The copy's own prefix and job name, so only what a test changes clashes. */
const distinct = (copyName: string) => (file: string, text: string) =>
  file === 'dataset.yml'
    ? text.replace('prefix: raw/customer_transactions/', `prefix: raw/${copyName}/`)
    : text.replace('name: customer-analytics', `name: ${copyName.replace(/_/g, '-')}`);

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lakepipe-dataset-resources-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('datasetResources', () => {
  it('derives the crawler, classifier and job properties from the registry, with account and region to fill in', () => {
    // Prepare: the reference dataset by name (the registry is sorted by name and holds others).
    const dataset = datasetNamed('customer_transactions', REPO_ROOT);
    // Act
    const generated = datasetResources(names, dataset, PARAMS);
    const twin = resolvePseudo<{ Targets: { S3Targets: { Path: string }[] } }>(generated.crawler, {
      'AWS::AccountId': '111122223333',
      'AWS::Region': 'us-east-2',
      'AWS::Partition': 'aws',
    });
    // Assess
    expect(generated.crawler.Name).toBe('lakepipe-qa-customer-transactions');
    expect(generated.crawler.Classifiers).toEqual(['lakepipe-qa-customer-transactions-csv']);
    expect(generated.classifier?.CsvClassifier).toEqual({
      Name: 'lakepipe-qa-customer-transactions-csv',
      ContainsHeader: 'PRESENT',
      Delimiter: ',',
      QuoteSymbol: '"',
    });
    expect(twin.Targets.S3Targets[0]?.Path).toBe(
      's3://lakepipe-qa-raw-111122223333-us-east-2/raw/customer_transactions/',
    );
    expect(generated.job).toMatchObject({
      Name: 'lakepipe-qa-customer-analytics',
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      Timeout: 60,
      MaxRetries: 0,
    });
    expect(JSON.parse(String(generated.job.DefaultArguments['--source_contract'])).partitionKeys).toEqual([]);
    expect(generated.secrets).toEqual([]);
  });

  it('gives a JSON-lines-only dataset no classifier, passes its partition keys and names its secrets', () => {
    // Prepare
    const dir = withCopy('profiles', (file, text) =>
      distinct('profiles')(
        file,
        file === 'dataset.yml'
          ? text
              .replace('formats: [csv, jsonl, parquet]', 'formats: [jsonl]')
              .replace('partitionKeys: []', 'partitionKeys: [country]')
          : text.replace(
              '  run_id: { argument: run_id, type: string }',
              '  run_id: { argument: run_id, type: string }\n  email_salt: { argument: email_salt, type: string, secret: true }',
            ),
      ),
    );
    const dataset = loadRegistry(dir).find((d) => d.name === 'profiles');
    if (dataset === undefined) throw new Error('no dataset');
    // Act
    const generated = datasetResources(names, dataset, PARAMS, dir);
    // Assess
    expect(generated.classifier).toBeUndefined();
    expect(generated.crawler.Classifiers).toBeUndefined();
    expect(JSON.parse(String(generated.job.DefaultArguments['--source_contract'])).partitionKeys).toEqual(['country']);
    expect(generated.job.DefaultArguments['--email_salt']).toBe('/lakepipe/qa/profiles/email_salt');
    expect(generated.secrets).toEqual(['email_salt']);
  });
});

describe('datasetTemplate', () => {
  it('refuses two datasets whose jobs write the same table, naming the manifest and the output', () => {
    // Prepare: a copy of the reference dataset with its own prefix and job name, but the same outputs.
    const dir = withCopy('twin_copy', distinct('twin_copy'));
    // Act
    const template = () => datasetTemplate(names, loadRegistry(dir), PARAMS, dir);
    // Assess
    expect(template).toThrow(DatasetConfigError);
    expect(template).toThrow(
      /^datasets\/twin_copy\/job\.yml: outputs\[0\]: table ingest_audit .*customer_transactions/,
    );
  });

  it('refuses a manifest output without a path ending in "/"', () => {
    // Prepare
    const dir = withCopy('no_path', (file, text) =>
      distinct('no_path')(file, file === 'job.yml' ? text.replace('path: ingest_audit/', 'path: ingest_audit') : text),
    );
    const dataset = loadRegistry(dir).find((d) => d.name === 'no_path');
    if (dataset === undefined) throw new Error('no dataset');
    // Act / Assess
    expect(() => manifestNeeds(dataset, dir)).toThrow(
      'datasets/no_path/job.yml: outputs[0].path: must be a key prefix',
    );
  });
});
