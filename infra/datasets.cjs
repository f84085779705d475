// @ts-check
// The datasets this stack serves, as the Lambdas' environment: start-pipeline's DATASETS (a JSON array of
// DatasetPlan, functions/shared/pipeline-input.ts) and screen-files' DATASET_COLUMNS (required columns per
// dataset). Loaded by serverless as `${file(./infra/datasets.cjs):DATASETS}`; the topic ARN is completed by
// CloudFormation (Fn::Sub on pseudo parameters only, which serverless leaves alone).
'use strict';

const { namesFor } = require('./names.cjs');

// The one definition of each dataset, shared with the local twin (local/twin/config.ts).
const DATASETS = require('./datasets.json');

const CUSTOMER_TRANSACTIONS_VALIDATIONS = DATASETS.customer_transactions.validations;

// Columns the job's first step cannot do without; a file lacking one is quarantined by screen-files.
const CUSTOMER_TRANSACTIONS_REQUIRED_COLUMNS = DATASETS.customer_transactions.requiredColumns;

/** @param {ReturnType<typeof namesFor>} names */
function datasetPlans(names) {
  return [
    {
      dataset: names.dataset,
      prefix: names.datasetPrefix,
      database: names.database,
      crawler: names.crawler,
      job: names.job,
      workgroup: names.workgroup,
      validations: CUSTOMER_TRANSACTIONS_VALIDATIONS,
      topicArn: `arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${names.topic}`,
    },
  ];
}

async function resolve({ resolveVariable }) {
  const names = namesFor(String(await resolveVariable('sls:stage')));
  return {
    DATASETS: { 'Fn::Sub': JSON.stringify(datasetPlans(names)) },
    DATASET_COLUMNS: JSON.stringify({ [names.dataset]: CUSTOMER_TRANSACTIONS_REQUIRED_COLUMNS }),
  };
}

module.exports = resolve;
module.exports.datasetPlans = datasetPlans;
module.exports.CUSTOMER_TRANSACTIONS_VALIDATIONS = CUSTOMER_TRANSACTIONS_VALIDATIONS;
module.exports.CUSTOMER_TRANSACTIONS_REQUIRED_COLUMNS = CUSTOMER_TRANSACTIONS_REQUIRED_COLUMNS;
