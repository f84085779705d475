// The pieces of infra/ that run inside `serverless` (variable resolvers, the local deploy plugin), tested
// directly: fast, and they fail with a message that names the piece.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import YAML from 'yaml';
import alertEmail from '../../infra/alert-email.cjs';
import asl from '../../infra/asl-definition.cjs';
import datasets from '../../infra/datasets.cjs';
import { glueAssetFiles } from '../../infra/glue-assets.cjs';
import LakepipeDeployPlugin from '../../infra/lakepipe-deploy-plugin.cjs';
import names from '../../infra/names.cjs';
import rawNotifications from '../../infra/raw-notifications.cjs';
import { datasetNamed, requiredColumns } from '../../infra/registry.cjs';
import { REPO_ROOT } from './package-service';

/** `${name}` as the ASL and CloudFormation spell it (a plain string literal would read as a template slip). */
const placeholder = (name: string) => `\${${name}}`;
const LONGEST_REGION = 'ap-southeast-5'; // 14 characters, as long as region names get
const ACCOUNT = '123456789012';

describe('names', () => {
  it('accept a short lowercase stage and derive every name from it', () => {
    // Prepare / Act
    const n = names.namesFor('prod2');
    // Assess
    expect(n.database).toBe('lakepipe_prod2');
    expect(n.stateMachine).toBe('lakepipe-prod2-pipeline');
    expect(datasets.datasetNames(n, datasetNamed('customer_transactions')).crawler).toBe(
      'lakepipe-prod2-customer-transactions',
    );
  });

  it.each(['Prod', 'my-stage', 'x_1', '1dev', 'elevenchars', ''])('refuse stage %p', (stage) => {
    // Prepare / Act / Assess
    expect(() => names.namesFor(stage)).toThrow(names.StageNameError);
  });

  it('keep every bucket name within S3’s 63 characters for the longest stage and region', () => {
    // Prepare
    const n = names.namesFor('abcdefghij');
    // Act
    const lengths = [
      n.rawBucketPrefix,
      n.curatedBucketPrefix,
      n.athenaResultsBucketPrefix,
      n.glueAssetsBucketPrefix,
    ].map((p) => `${p}-${ACCOUNT}-${LONGEST_REGION}`.length);
    // Assess
    expect(Math.max(...lengths)).toBeLessThanOrEqual(63);
  });

  it('resolve from the serverless stage', async () => {
    // Prepare
    const resolveVariable = jest.fn(async () => 'qa');
    // Act
    const n = await names({ resolveVariable });
    // Assess
    expect(resolveVariable).toHaveBeenCalledWith('sls:stage');
    expect(n.workgroup).toBe('lakepipe-qa');
  });
});

describe('datasets', () => {
  it('give start-pipeline one plan per dataset and screen-files its required columns', async () => {
    // Prepare
    const resolveVariable = async () => 'qa';
    // Act
    const env = await datasets({ resolveVariable });
    const plans = JSON.parse(env.DATASETS['Fn::Sub']);
    // Assess
    expect(plans.map((p: { dataset: string }) => p.dataset)).toEqual(['customer_profiles', 'customer_transactions']);
    expect(plans[1]).toMatchObject({
      dataset: 'customer_transactions',
      database: 'lakepipe_qa',
      job: 'lakepipe-qa-customer-analytics',
    });
    expect(plans[0].topicArn).toBe(
      `arn:${placeholder('AWS::Partition')}:sns:${placeholder('AWS::Region')}:${placeholder('AWS::AccountId')}:lakepipe-qa-alerts`,
    );
    const contracts = JSON.parse(env.DATASET_CONTRACTS) as Record<
      string,
      { columns: { name: string; required: boolean }[] }
    >;
    const required = (name: string) => contracts[name]?.columns.filter((c) => c.required).map((c) => c.name);
    expect(Object.keys(contracts)).toEqual(['customer_profiles', 'customer_transactions']);
    expect(required('customer_profiles')).toEqual(['customer_id', 'email', 'updated_at']);
    expect(required('customer_transactions')).toEqual([
      'transaction_id',
      'customer_id',
      'transaction_amount',
      'transaction_date',
    ]);
  });

  it('require only columns the job’s SQL steps read', () => {
    // Prepare
    const jobDir = path.join(REPO_ROOT, 'datasets/customer_transactions');
    const manifest = YAML.parse(readFileSync(path.join(jobDir, 'job.yml'), 'utf8'));
    const sql = (manifest.steps as { sql: string }[])
      .map((step) => readFileSync(path.join(jobDir, step.sql), 'utf8'))
      .join('\n');
    // Act
    const required = requiredColumns(datasetNamed('customer_transactions'));
    const missing = required.filter((c) => !new RegExp(`\\b${c}\\b`).test(sql));
    // Assess
    expect(missing).toEqual([]);
  });
});

describe('raw bucket notifications', () => {
  it('make one prefix+suffix rule per suffix', () => {
    // Prepare
    const queue = { 'Fn::GetAtt': ['ArrivalQueue', 'Arn'] };
    // Act
    const rules = rawNotifications.queueConfigurations('raw/', ['.csv', '.csv.gz'], queue);
    // Assess
    expect(rules).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Queue: queue,
        Filter: {
          S3Key: {
            Rules: [
              { Name: 'prefix', Value: 'raw/' },
              { Name: 'suffix', Value: '.csv' },
            ],
          },
        },
      },
      {
        Event: 's3:ObjectCreated:*',
        Queue: queue,
        Filter: {
          S3Key: {
            Rules: [
              { Name: 'prefix', Value: 'raw/' },
              { Name: 'suffix', Value: '.csv.gz' },
            ],
          },
        },
      },
    ]);
  });

  it('refuse suffixes S3 would reject as overlapping', () => {
    // Prepare / Act / Assess
    expect(() => rawNotifications.queueConfigurations('raw/', ['.csv.gz', '.gz'], 'q')).toThrow(
      rawNotifications.NotificationRuleError,
    );
  });
});

describe('ASL placeholders', () => {
  it('become the function ARN reference, whole or inside a string', () => {
    // Prepare
    const definition = {
      States: {
        A: { Resource: placeholder('CheckCatalogFunctionArn') },
        B: { Parameters: { FunctionName: `prefix-${placeholder('BuildNotificationFunctionArn')}:live` } },
        C: { Items: [placeholder('ScreenFilesFunctionArn'), '$.plain'] },
      },
    };
    // Act
    const resolved = asl.resolvePlaceholders(definition);
    // Assess
    expect(resolved).toEqual({
      States: {
        A: { Resource: { 'Fn::GetAtt': ['CheckCatalogLambdaFunction', 'Arn'] } },
        B: {
          Parameters: {
            FunctionName: {
              'Fn::Join': ['', ['prefix-', { 'Fn::GetAtt': ['BuildNotificationLambdaFunction', 'Arn'] }, ':live']],
            },
          },
        },
        C: { Items: [{ 'Fn::GetAtt': ['ScreenFilesLambdaFunction', 'Arn'] }, '$.plain'] },
      },
    });
  });

  it('refuse a placeholder no function answers', () => {
    // Prepare / Act / Assess
    expect(() => asl.resolvePlaceholders({ Resource: placeholder('GlueJobName') })).toThrow(asl.AslPlaceholderError);
  });

  it('leave nothing unresolved in the real ASL file', () => {
    // Prepare / Act
    const text = JSON.stringify(asl.loadDefinition());
    // Assess
    expect(text).not.toContain('${');
    expect(text).toContain('"Fn::GetAtt":["PrepareValidationsLambdaFunction","Arn"]');
  });
});

describe('alert email', () => {
  it.each([undefined, null, '', 'not-an-address', 'a@b'])('refuse %p', (value) => {
    // Prepare / Act / Assess
    expect(() => alertEmail.checkAlertEmail(value)).toThrow(alertEmail.AlertEmailError);
  });

  it('pass a plain address through', () => {
    // Prepare / Act / Assess
    expect(alertEmail.checkAlertEmail('data-ops@example.org')).toBe('data-ops@example.org');
  });
});

describe('glue assets', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lakepipe-assets-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (rel: string, text = 'x') => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  it('map the runner and each dataset’s manifest and SQL to keys named by the job, leaving tests and caches out', () => {
    // Prepare
    write('glue-jobs/runner/lakepipe_runner.py');
    write('glue-jobs/runner/test_lakepipe_runner.py');
    write('glue-jobs/runner/__pycache__/lakepipe_runner.cpython-311.pyc');
    write('glue-jobs/runner/README.md');
    write(
      'datasets/sales/dataset.yml',
      YAML.stringify({
        description: 'Sales',
        raw: {},
        contract: { columns: [{ name: 'id', type: 'string', required: true, description: 'Id' }] },
      }),
    );
    write('datasets/sales/job.yml', 'name: sales-daily\n');
    write('datasets/sales/steps/01-a.sql');
    write('datasets/sales/steps/notes.txt');
    write('datasets/sales/validations/01-b.sql'); // a validation, not a job step
    // Act
    const assets = glueAssetFiles(root);
    // Assess
    expect(assets.map((a) => `${path.relative(root, a.file)} -> ${a.key} (${a.contentType})`)).toEqual([
      'glue-jobs/runner/lakepipe_runner.py -> runner/lakepipe_runner.py (text/x-python)',
      'datasets/sales/job.yml -> jobs/sales-daily/job.yml (application/yaml)',
      'datasets/sales/steps/01-a.sql -> jobs/sales-daily/steps/01-a.sql (application/sql)',
    ]);
  });

  it('ship the real job: the runner the job’s ScriptLocation names, and every step its manifest lists', () => {
    // Prepare
    const manifest = YAML.parse(readFileSync(path.join(REPO_ROOT, 'datasets/customer_transactions/job.yml'), 'utf8'));
    // Act
    const keys = glueAssetFiles(REPO_ROOT).map((a) => a.key);
    // Assess
    expect(keys).toContain('runner/lakepipe_runner.py');
    expect(keys).toContain('runner/lakepipe_manifest.py');
    expect(keys).toContain('jobs/customer-analytics/job.yml');
    for (const step of manifest.steps as { sql: string }[]) {
      expect(keys).toContain(path.posix.join('jobs/customer-analytics', step.sql));
    }
  });
});

describe('deploy plugin', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const s3 = mockClient(S3Client);
  const notices: string[] = [];

  function plugin(stage = 'test') {
    const provider = {
      getStage: () => stage,
      naming: { getStackName: () => `lakepipe-${stage}` },
      getCloudFormationClient: async () => new CloudFormationClient({ region: 'eu-west-1' }),
      getAwsSdkV3Config: async () => ({ region: 'eu-west-1' }),
      request: (): never => {
        throw new Error('the osls stub this plugin replaces');
      },
    };
    const serverless = { getProvider: () => provider, serviceDir: REPO_ROOT };
    return {
      provider,
      instance: new LakepipeDeployPlugin(serverless, {}, { log: { notice: (m: string) => notices.push(m) } }),
    };
  }

  beforeEach(() => {
    cloudFormation.reset();
    s3.reset();
    notices.length = 0;
  });

  it('uploads the Glue assets after deploy to the bucket named in the stack outputs', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand, { StackName: 'lakepipe-test' }).resolves({
      Stacks: [
        {
          StackName: 'lakepipe-test',
          CreationTime: new Date(0),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'GlueAssetsBucketName', OutputValue: 'assets-bucket' }],
        },
      ],
    });
    s3.on(PutObjectCommand).resolves({});
    const { instance } = plugin();
    const hook = instance.hooks['after:deploy:deploy'];
    // Act
    await hook?.();
    // Assess
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const expectedKeys = glueAssetFiles(REPO_ROOT).map((a) => a.key);
    expect(puts.map((p) => p.Key)).toEqual(expectedKeys);
    expect(new Set(puts.map((p) => p.Bucket))).toEqual(new Set(['assets-bucket']));
    const runner = puts.find((p) => p.Key === 'runner/lakepipe_runner.py');
    expect(
      Buffer.from(runner?.Body as Uint8Array).equals(
        readFileSync(path.join(REPO_ROOT, 'glue-jobs/runner/lakepipe_runner.py')),
      ),
    ).toBe(true);
    expect(notices.join('\n')).toContain('to s3://assets-bucket/');
  });

  it('fails naming the stack when it has no glue-assets output', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'lakepipe-test', CreationTime: new Date(0), StackStatus: 'UPDATE_COMPLETE', Outputs: [] }],
    });
    const { instance } = plugin();
    // Act
    const upload = instance.uploadGlueAssets();
    // Assess
    await expect(upload).rejects.toThrow(/lakepipe-test has no GlueAssetsBucketName output/);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('answers serverless-step-functions’ describeStacks through SDK v3 and refuses other v2-style calls', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const { provider } = plugin();
    // Act
    const answer = await (provider.request as (s: string, m: string, p: unknown) => Promise<unknown>)(
      'CloudFormation',
      'describeStacks',
      { StackName: 'lakepipe-test' },
    );
    // Assess
    expect(answer).toEqual({ Stacks: [] });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'lakepipe-test',
    });
    await expect(
      (provider.request as (s: string, m: string, p: unknown) => Promise<unknown>)(
        'StepFunctions',
        'startExecution',
        {},
      ),
    ).rejects.toThrow(LakepipeDeployPlugin.UnsupportedRequestError);
  });

  it('refuses to package a stage that cannot name the buckets', () => {
    // Prepare
    const { instance } = plugin('My-Stage');
    // Act / Assess
    expect(() => instance.hooks['before:package:initialize']?.()).toThrow(names.StageNameError);
  });
});
