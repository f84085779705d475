// @ts-check
// The datasets this stack serves (the registry, datasets/<name>/dataset.yml), as the Lambdas' environment:
// start-pipeline's DATASETS (a JSON array of DatasetPlan, functions/shared/pipeline-input.ts) and screen-files'
// DATASET_CONTRACTS. Loaded by serverless as `${file(./infra/datasets.cjs):DATASETS}`;
// the topic ARN is completed by CloudFormation (Fn::Sub on pseudo parameters only, which serverless leaves alone).
'use strict';

const { namesFor } = require('./names.cjs');
const { registry, kebab } = require('./registry.cjs');
const { refusingBadDatasets } = require('./package-time.cjs');

/**
 * Deploy-time names of one dataset's crawler and job.
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 */
function datasetNames(names, dataset) {
  return {
    crawler: `${names.prefix}-${kebab(dataset.name)}`,
    job: `${names.prefix}-${dataset.job.name}`,
  };
}

/**
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} [datasets] default: the repository's registry
 */
function datasetPlans(names, datasets = registry()) {
  return datasets.map((dataset) => ({
    dataset: dataset.name,
    prefix: dataset.raw.prefix,
    database: names.database,
    ...datasetNames(names, dataset),
    workgroup: names.workgroup,
    validations: dataset.checks,
    topicArn: `arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${names.topic}`,
  }));
}

/**
 * screen-files' DATASET_CONTRACTS: per dataset, the accepted formats, the CSV dialect, the schema-change policy and
 * each column's name, type and whether it is required (functions/screen-files/contract.ts).
 * @param {import('./registry.cjs').DatasetDefinition[]} [datasets]
 */
function datasetContracts(datasets = registry()) {
  return Object.fromEntries(
    datasets.map((d) => [
      d.name,
      {
        formats: d.raw.formats,
        csv: { delimiter: d.raw.csv.delimiter, quote: d.raw.csv.quote },
        schemaChange: d.contract.schemaChange,
        columns: d.contract.columns.map((c) => ({ name: c.name, type: c.type, required: c.required })),
      },
    ]),
  );
}

/** @param {import('./resolver-context.cjs').ResolverContext} context */
async function resolve({ resolveVariable }) {
  const names = namesFor(String(await resolveVariable('sls:stage')));
  return {
    DATASETS: { 'Fn::Sub': JSON.stringify(datasetPlans(names)) },
    DATASET_CONTRACTS: JSON.stringify(datasetContracts()),
  };
}

module.exports = refusingBadDatasets(resolve);
module.exports.datasetPlans = datasetPlans;
module.exports.datasetNames = datasetNames;
module.exports.datasetContracts = datasetContracts;
