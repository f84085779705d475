// @ts-check
// The two least-privilege roles of a dataset: its crawler reads only its raw prefix and writes only its raw table;
// its job reads only its prefix, its manifest and its secrets, and writes only its output tables and their paths.
'use strict';

const { arn, bucketArn, sub } = require('./cfn-refs.cjs');
const { manifestNeeds, secretParameterName } = require('./dataset-manifest.cjs');
const { REPO_ROOT } = require('./registry.cjs');

// Glue 5.0 writes the driver's and executors' output to these two groups (continuous logging is a Glue 4.0 flag).
const GLUE_JOB_LOG_GROUPS = ['/aws-glue/jobs/output', '/aws-glue/jobs/error'];
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
 * @param {import('./names.cjs').Names} names
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
 * @param {import('./names.cjs').Names} names
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
 * @param {import('./names.cjs').Names} names
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

module.exports = { crawlerRole, jobRole, GLUE_JOB_LOG_GROUPS };
