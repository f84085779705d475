// @ts-check
// One crawler, one Glue job and their two least-privilege roles per dataset of the registry (datasets/<name>/),
// plus a CSV classifier for a CSV dataset and an alert subscription for a dataset with its own address.
// Loaded by serverless once as `custom.datasets` (`${file(./infra/dataset-resources.cjs)}`): `template` goes into
// resources,
// `crawlerArns`, `jobArns` and `rawObjectArns` for the roles that start crawlers and jobs or read arrived files;
// the twin reads datasetResources.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { namesFor } = require('./names.cjs');
const { registry, DatasetConfigError, REPO_ROOT } = require('./registry.cjs');
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
// Glue 5.0 writes the driver's and executors' output to these two groups (continuous logging is a Glue 4.0 flag).
const GLUE_JOB_LOG_GROUPS = ['/aws-glue/jobs/output', '/aws-glue/jobs/error'];
const SSM_PARAMETER_ROOT = '/lakepipe';
// Creating or updating a table and its partitions, for the crawler (its raw table) and the job (its outputs).
const WRITE_TABLE_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetTable',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
  'glue:BatchUpdatePartition',
];

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
 * What the deployment needs from a job manifest: its output tables and paths, and its secret parameters.
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 * @param {string} [root]
 */
function manifestNeeds(dataset, root = REPO_ROOT) {
  const file = path.relative(root, dataset.job.manifestFile).split(path.sep).join('/');
  const doc = YAML.parse(fs.readFileSync(dataset.job.manifestFile, 'utf8'));
  const outputs = Array.isArray(doc?.outputs) ? doc.outputs : [];
  if (outputs.length === 0) throw new DatasetConfigError(file, 'outputs', 'must list at least one output table');
  const tables = outputs.map((/** @type {any} */ out, /** @type {number} */ i) => {
    if (typeof out?.table !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(out.table)) {
      throw new DatasetConfigError(file, `outputs[${i}].table`, 'must match [a-z_][a-z0-9_]*');
    }
    if (typeof out.path !== 'string' || !/^[A-Za-z0-9_\-/]+\/$/.test(out.path) || out.path.startsWith('/')) {
      throw new DatasetConfigError(file, `outputs[${i}].path`, 'must be a key prefix ending with "/"');
    }
    return { table: out.table, path: out.path };
  });
  const parameters = doc?.parameters && typeof doc.parameters === 'object' ? doc.parameters : {};
  const secrets = Object.entries(parameters)
    .filter(([, spec]) => spec?.secret === true)
    .map(([key, spec]) => {
      const argument = spec.argument ?? key;
      if (typeof argument !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(argument)) {
        throw new DatasetConfigError(file, `parameters.${key}.argument`, 'must match [a-z_][a-z0-9_]*');
      }
      return argument;
    });
  return { tables, secrets };
}

/**
 * Output tables may not be shared, nor their paths overlap: each job role writes only its own.
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 * @param {string} [root]
 */
function checkOutputsDisjoint(datasets, root = REPO_ROOT) {
  /** @type {{ dataset: string, table: string, path: string }[]} */
  const seen = [];
  for (const dataset of datasets) {
    const file = path.relative(root, dataset.job.manifestFile).split(path.sep).join('/');
    manifestNeeds(dataset, root).tables.forEach((out, i) => {
      const clash = seen.find(
        (s) =>
          s.table === out.table ||
          s.table === dataset.name ||
          out.table === s.dataset ||
          s.path.startsWith(out.path) ||
          out.path.startsWith(s.path),
      );
      if (clash) {
        throw new DatasetConfigError(
          file,
          `outputs[${i}]`,
          `table ${out.table} (${out.path}) clashes with ${clash.dataset}'s ${clash.table} (${clash.path})`,
        );
      }
    });
    for (const out of manifestNeeds(dataset, root).tables) seen.push({ dataset: dataset.name, ...out });
  }
}

/** The SSM parameter that holds a secret job argument's value (the operator creates it, docs/deploy.md). */
function secretParameterName(stage, dataset, argument) {
  return `${SSM_PARAMETER_ROOT}/${stage}/${dataset}/${argument}`;
}

/** @param {string} text */
const sub = (text) => ({ 'Fn::Sub': text });
const arn = (/** @type {string} */ service, /** @type {string} */ resource) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
const bucketArn = (/** @type {string} */ prefix, key = '') =>
  sub(`arn:\${AWS::Partition}:s3:::${prefix}-\${AWS::AccountId}-\${AWS::Region}${key === '' ? '' : `/${key}`}`);
const bucketUri = (/** @type {string} */ prefix, key = '') =>
  sub(`s3://${prefix}-\${AWS::AccountId}-\${AWS::Region}/${key}`);

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
      '--extra-py-files': bucketUri(names.glueAssetsBucketPrefix, 'runner/lakepipe_manifest.py'),
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

const assumedByGlue = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'glue.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    },
  ],
};

/**
 * List and read the dataset's raw prefix, nothing else of the raw bucket (crawler and job alike).
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 */
function readRawPrefix(names, dataset) {
  return [
    {
      Sid: 'ListRawDatasetPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn(names.rawBucketPrefix),
      Condition: { StringLike: { 's3:prefix': [`${dataset.raw.prefix}*`] } },
    },
    {
      Sid: 'ReadRawDatasetObjects',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: bucketArn(names.rawBucketPrefix, `${dataset.raw.prefix}*`),
    },
  ];
}

/**
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 */
function crawlerRole(names, dataset) {
  const table = (/** @type {string} */ t) => arn('glue', `table/${names.database}/${t}`);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `lakepipe ${names.stage} ${dataset.name} crawler - reads ${dataset.raw.prefix}, writes table ${dataset.name}`,
      AssumeRolePolicyDocument: assumedByGlue,
      Policies: [
        {
          PolicyName: 'crawler',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              ...readRawPrefix(names, dataset),
              {
                Sid: 'DecryptRawObjects',
                Effect: 'Allow',
                Action: 'kms:Decrypt',
                Resource: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
              },
              {
                Sid: 'WriteDatasetTable',
                Effect: 'Allow',
                Action: [...WRITE_TABLE_ACTIONS, 'glue:CreatePartitionIndex'],
                Resource: [arn('glue', 'catalog'), arn('glue', `database/${names.database}`), table(dataset.name)],
              },
              // The crawler lists the database's tables to find the one its prefix maps to.
              {
                Sid: 'ListDatabaseTables',
                Effect: 'Allow',
                Action: 'glue:GetTables',
                Resource: [arn('glue', 'catalog'), arn('glue', `database/${names.database}`), table('*')],
              },
              {
                Sid: 'CrawlerLogs',
                Effect: 'Allow',
                Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: arn('logs', 'log-group:/aws-glue/crawlers:*'),
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * @param {ReturnType<typeof namesFor>} names
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 * @param {string} [root]
 */
function jobRole(names, dataset, root = REPO_ROOT) {
  const { tables, secrets } = manifestNeeds(dataset, root);
  const job = dataset.job.name;
  const table = (/** @type {string} */ t) => arn('glue', `table/${names.database}/${t}`);
  const assets = names.glueAssetsBucketPrefix;
  /** @type {object[]} */
  const statements = [
    ...readRawPrefix(names, dataset),
    // Overwrites purge a table's folder (list it first); appends read what earlier runs wrote.
    {
      Sid: 'ListOutputTables',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn(names.curatedBucketPrefix),
      Condition: { StringLike: { 's3:prefix': tables.flatMap((t) => [t.path, `${t.path}*`]) } },
    },
    {
      Sid: 'ReadWriteOutputTables',
      Effect: 'Allow',
      Action: [
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ],
      Resource: tables.map((t) => bucketArn(names.curatedBucketPrefix, `${t.path}*`)),
    },
    {
      Sid: 'LocateCuratedBucket',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: bucketArn(names.curatedBucketPrefix),
    },
    {
      Sid: 'ListOwnGlueAssets',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn(assets),
      Condition: {
        StringLike: {
          's3:prefix': ['runner/*', `jobs/${job}/*`, `temporary/${job}/*`, `spark-event-logs/${job}/*`],
        },
      },
    },
    {
      Sid: 'ReadRunnerAndOwnManifest',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [bucketArn(assets, 'runner/*'), bucketArn(assets, `jobs/${job}/*`)],
    },
    {
      Sid: 'WriteOwnTemporaryAndSparkEventLogs',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [bucketArn(assets, `temporary/${job}/*`), bucketArn(assets, `spark-event-logs/${job}/*`)],
    },
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
    },
    {
      Sid: 'ReadRawTable',
      Effect: 'Allow',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
      ],
      Resource: [arn('glue', 'catalog'), arn('glue', `database/${names.database}`), table(dataset.name)],
    },
    {
      Sid: 'RegisterOutputTables',
      Effect: 'Allow',
      // An overwrite drops the old partitions (the runner's drop_partitions); no table is ever deleted.
      Action: [...WRITE_TABLE_ACTIONS, 'glue:BatchDeletePartition'],
      Resource: [
        arn('glue', 'catalog'),
        arn('glue', `database/${names.database}`),
        ...tables.map((t) => table(t.table)),
      ],
    },
    // Spark's catalog client looks up `default` (and `global_temp`) at start-up.
    {
      Sid: 'SparkStartupDatabaseLookups',
      Effect: 'Allow',
      Action: 'glue:GetDatabase',
      Resource: [arn('glue', 'database/default'), arn('glue', 'database/global_temp')],
    },
    {
      Sid: 'JobLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: GLUE_JOB_LOG_GROUPS.map((g) => arn('logs', `log-group:${g}:*`)),
    },
    // CloudWatch metrics have no resource-level permissions; the namespace condition keeps it to Glue.
    {
      Sid: 'JobMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    },
  ];
  if (secrets.length > 0) {
    const parameterArns = secrets.map((a) =>
      arn('ssm', `parameter${secretParameterName(names.stage, dataset.name, a)}`),
    );
    statements.push(
      { Sid: 'ReadSecretParameters', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: parameterArns },
      // SecureStrings under the AWS managed key aws/ssm: that key only, and only through SSM (which checks the
      // GetParameter above).
      {
        Sid: 'DecryptSecretParameters',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: arn('kms', 'key/*'),
        Condition: {
          StringEquals: { 'kms:ViaService': sub(`ssm.\${AWS::Region}.amazonaws.com`) },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/aws/ssm' },
        },
      },
    );
  }
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `lakepipe ${names.stage} ${dataset.name} job - reads ${dataset.raw.prefix}, writes its output tables`,
      AssumeRolePolicyDocument: assumedByGlue,
      Policies: [{ PolicyName: 'job', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
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
