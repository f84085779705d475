// @ts-check
// One crawler, one Glue job and their two least-privilege roles per dataset of the registry (datasets/<name>/),
// plus a CSV classifier for a CSV dataset and an alert subscription for a dataset with its own address.
// Loaded by serverless once as `custom.datasets` (`${file(./infra/dataset-resources.cjs)}`): `template` goes into
// resources, `crawlerArns`, `jobArns` and `rawObjectArns` for the roles that start crawlers and jobs or read arrived files;
// the twin reads datasetResources.
'use strict';

const { namesFor } = require('./names.cjs');
const { registry, DatasetConfigError, REPO_ROOT } = require('./registry.cjs');
const { arn, bucketArn, bucketUri, sub } = require('./cfn-refs.cjs');
const { manifestNeeds, checkOutputsDisjoint, secretParameterName } = require('./dataset-manifest.cjs');
const { crawlerRole, jobRole, GLUE_JOB_LOG_GROUPS } = require('./dataset-roles.cjs');
const { datasetNames } = require('./datasets.cjs');
const { refusingBadDatasets } = require('./package-time.cjs');

// Table-level 3 (s3://bucket/raw/<dataset>/) makes one table per prefix; partitions follow the table's schema.
const CRAWLER_CONFIGURATION = JSON.stringify({
  Version: 1.0,
  Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas', TableLevelConfiguration: 3 },
  CrawlerOutput: {
    Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
    Tables: { AddOrUpdateBehavior: 'MergeNewColumns' },
  },
});
// The runner's pure half, which lakepipe_runner.py imports (glue-jobs/runner/).
const RUNNER_MODULES = ['lakepipe_manifest.py', 'lakepipe_yaml.py'];

/** `customer_transactions` -> `CustomerTransactions`, the dataset's part of its logical ids. @param {string} name */
function pascal(name) {
  return name
    .split('_')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** @param {string} name */
function logicalIds(name) {
  const p = pascal(name);
  return {
    crawler: `${p}Crawler`,
    classifier: `${p}CsvClassifier`,
    job: `${p}Job`,
    crawlerRole: `${p}CrawlerRole`,
    jobRole: `${p}JobRole`,
    alertSubscription: `${p}AlertSubscription`,
  };
}

/**
 * @typedef {{ glueWorkerType: string, glueNumberOfWorkers: number, glueJobTimeoutMinutes: number }} JobParams
 */

/**
 * The crawler's and the job's properties for one dataset (without Role and Description, which only AWS needs),
 * with account and region left as CloudFormation `Fn::Sub` on pseudo parameters: the template takes them as they
 * are, the twin resolves them (resolvePseudo).
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 * @param {JobParams} params
 * @param {string} [root]
 */
/**
 * What a job run needs from the dataset's contract, as the `--source_contract` argument both runners read: the
 * optional columns with their Glue types (NULL when a file lacks them), the raw partition keys that may pass through
 * and the CSV quote.
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 */
function sourceContract(dataset) {
  return {
    optional: dataset.contract.columns.filter((c) => !c.required).map((c) => ({ name: c.name, type: c.type })),
    partitionKeys: dataset.raw.partitionKeys,
    csv: { quote: dataset.raw.csv.quote },
  };
}

function datasetResources(names, dataset, params, root = REPO_ROOT) {
  const csv = dataset.raw.formats.includes('csv');
  const deployed = datasetNames(names, dataset);
  const classifierName = `${deployed.crawler}-csv`;
  const crawler = {
    Name: deployed.crawler,
    DatabaseName: names.database,
    Targets: {
      S3Targets: [
        { Path: bucketUri(names.rawBucketPrefix, dataset.raw.prefix), Exclusions: dataset.crawler.exclusions },
      ],
    },
    // A new column is merged into the table; a vanished file or column never deletes catalog metadata.
    SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
    RecrawlPolicy: { RecrawlBehavior: 'CRAWL_EVERYTHING' },
    Configuration: CRAWLER_CONFIGURATION,
    ...(csv ? { Classifiers: [classifierName] } : {}),
  };
  // The contract states the dialect, so the crawler never guesses a header (col0, col1 ...) or the quoting.
  const classifier = csv
    ? {
        CsvClassifier: {
          Name: classifierName,
          ContainsHeader: 'PRESENT',
          Delimiter: dataset.raw.csv.delimiter,
          QuoteSymbol: dataset.raw.csv.quote,
        },
      }
    : undefined;
  const { secrets } = manifestNeeds(dataset, root);
  const job = {
    Name: deployed.job,
    DefaultArguments: {
      '--job-language': 'python',
      // The runner's pure half (manifest, parameters, table shapes), uploaded beside the script.
      '--extra-py-files': sub(
        RUNNER_MODULES.map((file) => bucketUri(names.glueAssetsBucketPrefix, `runner/${file}`)['Fn::Sub']).join(','),
      ),
      '--curated_location': bucketUri(names.curatedBucketPrefix),
      '--manifest_s3_uri': bucketUri(names.glueAssetsBucketPrefix, `jobs/${dataset.job.name}/job.yml`),
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-glue-datacatalog': 'true',
      '--enable-metrics': 'true',
      '--enable-observability-metrics': 'true',
      '--enable-spark-ui': 'true',
      '--spark-event-logs-path': bucketUri(names.glueAssetsBucketPrefix, `spark-event-logs/${dataset.job.name}/`),
      '--TempDir': bucketUri(names.glueAssetsBucketPrefix, `temporary/${dataset.job.name}/`),
      // Optional columns, declared partition keys (other folder levels are not passed through) and the CSV quote.
      '--source_contract': JSON.stringify(sourceContract(dataset)),
      // The name of the SSM SecureString holding each secret, never its value.
      ...Object.fromEntries(secrets.map((a) => [`--${a}`, secretParameterName(names.stage, dataset.name, a)])),
    },
    ExecutionProperty: { MaxConcurrentRuns: 1 }, // bookmarks and appends assume one run at a time
    Timeout: Number(params.glueJobTimeoutMinutes),
    MaxRetries: 0, // the state machine decides about retries
  };
  return { logicalIds: logicalIds(dataset.name), crawler, classifier, job, secrets };
}

/**
 * A value with every `Fn::Sub` on pseudo parameters replaced by its text, as the twin needs it.
 * @param {unknown} value
 * @param {Record<string, string>} pseudo `AWS::AccountId`, `AWS::Region`, `AWS::Partition`
 * @returns {any}
 */
function resolvePseudo(value, pseudo) {
  if (Array.isArray(value)) return value.map((v) => resolvePseudo(v, pseudo));
  if (value === null || typeof value !== 'object') return value;
  const text = /** @type {Record<string, unknown>} */ (value)['Fn::Sub'];
  if (typeof text === 'string') {
    return text.replace(/\$\{([^}]+)\}/g, (whole, name) => {
      if (pseudo[name] === undefined) throw new DatasetConfigError('infra/dataset-resources.cjs', name, `no ${whole}`);
      return pseudo[name];
    });
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePseudo(v, pseudo)]));
}

/**
 * Every dataset's CloudFormation resources.
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 * @param {JobParams} params
 * @param {string} [root]
 */
function datasetTemplate(names, datasets, params, root = REPO_ROOT) {
  checkOutputsDisjoint(datasets, root);
  /** @type {Record<string, unknown>} */
  const resources = {};
  for (const dataset of datasets) {
    const { logicalIds: ids, crawler, classifier, job } = datasetResources(names, dataset, params, root);
    if (classifier) resources[ids.classifier] = { Type: 'AWS::Glue::Classifier', Properties: classifier };
    resources[ids.crawler] = {
      Type: 'AWS::Glue::Crawler',
      // Glue refuses a target bucket that does not exist yet (InvalidInputException), so the bucket comes first.
      DependsOn: ['RawBucket', 'CatalogDatabase', ...(classifier ? [ids.classifier] : [])],
      Properties: {
        ...crawler,
        Description: `Catalogs ${dataset.raw.prefix} as table ${dataset.name} (started by the pipeline, no schedule)`,
        Role: { 'Fn::GetAtt': [ids.crawlerRole, 'Arn'] },
      },
    };
    resources[ids.crawlerRole] = crawlerRole(names, dataset);
    resources[ids.job] = {
      Type: 'AWS::Glue::Job',
      Properties: {
        ...job,
        Description: `${dataset.job.name} manifest of ${dataset.name}, run by the generic PySpark runner (glue-jobs/runner)`,
        Role: { 'Fn::GetAtt': [ids.jobRole, 'Arn'] },
        GlueVersion: '5.0',
        Command: {
          Name: 'glueetl',
          PythonVersion: '3',
          ScriptLocation: bucketUri(names.glueAssetsBucketPrefix, 'runner/lakepipe_runner.py'),
        },
        WorkerType: params.glueWorkerType,
        NumberOfWorkers: Number(params.glueNumberOfWorkers),
      },
    };
    resources[ids.jobRole] = jobRole(names, dataset, root);
    if (dataset.alerts) {
      // The dataset's own address hears only its executions (the ASL sets the `dataset` message attribute).
      resources[ids.alertSubscription] = {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'AlertTopic' },
          Protocol: 'email',
          Endpoint: dataset.alerts.email,
          FilterPolicyScope: 'MessageAttributes',
          FilterPolicy: { dataset: [dataset.name] },
        },
      };
    }
  }
  return { Resources: resources };
}

/**
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 */
function crawlerArns(names, datasets) {
  return datasets.map((d) => arn('glue', `crawler/${datasetNames(names, d).crawler}`));
}

/**
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 */
function jobArns(names, datasets) {
  return datasets.map((d) => arn('glue', `job/${datasetNames(names, d).job}`));
}

/**
 * The raw objects of every dataset, for the roles that read whatever arrives (screen-files, the validations).
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 */
function rawObjectArns(names, datasets) {
  return datasets.map((d) => bucketArn(names.rawBucketPrefix, `${d.raw.prefix}*`));
}

/**
 * The catalog, the database and every dataset's raw table, for check-catalog, which records the raw table's
 * column types after each crawl to report a type change.
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 */
function rawTableArns(names, datasets) {
  return [
    arn('glue', 'catalog'),
    arn('glue', `database/${names.database}`),
    ...datasets.map((d) => arn('glue', `table/${names.database}/${d.name}`)),
  ];
}

/** @param {import('./resolver-context.cjs').ResolverContext} context */
async function resolve({ resolveVariable }) {
  const names = namesFor(String(await resolveVariable('sls:stage')));
  const params = {
    glueWorkerType: String(await resolveVariable('param:glueWorkerType')),
    glueNumberOfWorkers: Number(await resolveVariable('param:glueNumberOfWorkers')),
    glueJobTimeoutMinutes: Number(await resolveVariable('param:glueJobTimeoutMinutes')),
  };
  const datasets = registry();
  return {
    template: datasetTemplate(names, datasets, params),
    crawlerArns: crawlerArns(names, datasets),
    jobArns: jobArns(names, datasets),
    rawObjectArns: rawObjectArns(names, datasets),
    rawTableArns: rawTableArns(names, datasets),
  };
}

module.exports = refusingBadDatasets(resolve);
module.exports.datasetResources = datasetResources;
module.exports.sourceContract = sourceContract;
module.exports.datasetTemplate = datasetTemplate;
module.exports.resolvePseudo = resolvePseudo;
module.exports.manifestNeeds = manifestNeeds;
module.exports.secretParameterName = secretParameterName;
module.exports.crawlerArns = crawlerArns;
module.exports.jobArns = jobArns;
module.exports.rawObjectArns = rawObjectArns;
module.exports.rawTableArns = rawTableArns;
module.exports.GLUE_JOB_LOG_GROUPS = GLUE_JOB_LOG_GROUPS;
