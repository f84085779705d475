// What the deployment declares, read from serverless.yml and infra/ for one stage, account and region: names,
// the task Lambdas behind the ASL's placeholders, the SQS batch size, and the crawler's and the job's settings
// as infra/dataset-resources.cjs generates them. The twin runs with these; test/infra compares them with the template.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import YAML from 'yaml';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { PLACEHOLDER_FUNCTIONS } from '../../infra/asl-definition.cjs';
import { datasetResources, resolvePseudo } from '../../infra/dataset-resources.cjs';
import { datasetPlans } from '../../infra/datasets.cjs';
import { type Names, namesFor } from '../../infra/names.cjs';
import { type DatasetDefinition, DEFAULT_DATASET, datasetNamed } from '../../infra/registry.cjs';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SERVERLESS_FILE = path.join(REPO_ROOT, 'serverless.yml');

export class DeploymentFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentFileError';
  }
}

export interface Target {
  stage: string;
  account: string;
  region: string;
  partition?: string;
}

/** CreateCrawler's request as the template's dataset crawler declares it (no Role: the twin has no IAM). */
export type CrawlerSettings = Required<
  Pick<
    Glue.CreateCrawlerRequest,
    'Name' | 'DatabaseName' | 'Targets' | 'SchemaChangePolicy' | 'RecrawlPolicy' | 'Configuration'
  >
> &
  Pick<Glue.CreateCrawlerRequest, 'Classifiers'>;

export interface JobSettings {
  Name: string;
  /** The job's manifest, `datasets/<dataset>/job.yml` (the registry). */
  manifestFile: string;
  MaxConcurrentRuns: number;
  Timeout: number;
  MaxRetries: number;
  DefaultArguments: Record<string, string>;
}

export interface Deployment {
  names: Names;
  plan: DatasetPlan;
  /** Bucket names, built like the template's: `<prefix>-<account>-<region>`. */
  buckets: { raw: string; curated: string; athenaResults: string };
  topicArn: string;
  stateMachineArn: string;
  /** ASL placeholder -> the task Lambda's folder under functions/ (how the twin and the CLI name it). */
  taskFunctions: Record<string, string>;
  /** Messages per start-pipeline invocation (the SQS event source's batchSize). */
  sqsBatchSize: number;
  crawler: CrawlerSettings;
  job: JobSettings;
  /** Any dataset's classifier, crawler and job, as infra/dataset-resources.cjs generates them for the template. */
  settingsOf(dataset: DatasetDefinition): DatasetSettings;
}

export interface DatasetSettings {
  /** The dataset's CSV classifier; none for a dataset that accepts no CSV. */
  classifier?: Glue.CsvClassifier & { Name: string };
  crawler: CrawlerSettings;
  job: JobSettings;
}

type Yaml = Record<string, unknown>;

/** YAML with CloudFormation's short tags: `!Sub` is substituted with the pseudo parameters, refs are kept. */
function parseCfnYaml(text: string, pseudo: Record<string, string>): Yaml {
  const sub = (value: string) =>
    value.replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) => pseudo[name] ?? whole);
  return YAML.parse(text, {
    customTags: [
      { tag: '!Sub', resolve: sub },
      { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
      { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
    ],
  }) as Yaml;
}

function at<T>(value: unknown, keys: string[], file: string): T {
  let node = value;
  for (const key of keys) {
    node = (node as Yaml | undefined)?.[key];
    if (node === undefined) throw new DeploymentFileError(`${file} has no ${keys.join('.')}`);
  }
  return node as T;
}

function taskFunctions(serverless: Yaml): Record<string, string> {
  const entries = Object.entries(PLACEHOLDER_FUNCTIONS).map(([placeholder, fn]) => {
    const handler = at<string>(serverless, ['functions', fn, 'handler'], 'serverless.yml');
    return [placeholder, handler.split('/')[1] ?? fn];
  });
  return Object.fromEntries(entries);
}

/** The crawler's and job's settings as infra/dataset-resources.cjs generates them for the template. */
function datasetSettings(
  names: Names,
  dataset: DatasetDefinition,
  params: Yaml,
  pseudo: Record<string, string>,
): DatasetSettings {
  const generated = datasetResources(names, dataset, {
    glueWorkerType: String(params.glueWorkerType),
    glueNumberOfWorkers: Number(params.glueNumberOfWorkers),
    glueJobTimeoutMinutes: Number(params.glueJobTimeoutMinutes),
  });
  const { Name, DefaultArguments, ExecutionProperty, Timeout, MaxRetries } = generated.job;
  return {
    ...(generated.classifier ? { classifier: generated.classifier.CsvClassifier } : {}),
    crawler: resolvePseudo<CrawlerSettings>(generated.crawler, pseudo),
    job: {
      Name,
      manifestFile: dataset.job.manifestFile,
      MaxConcurrentRuns: ExecutionProperty.MaxConcurrentRuns,
      Timeout,
      MaxRetries,
      DefaultArguments: resolvePseudo<Record<string, string>>(DefaultArguments, pseudo),
    },
  };
}

export function readDeployment(target: Target): Deployment {
  const names = namesFor(target.stage);
  const pseudo = {
    'AWS::AccountId': target.account,
    'AWS::Region': target.region,
    'AWS::Partition': target.partition ?? 'aws',
  };
  const serverless = parseCfnYaml(readFileSync(SERVERLESS_FILE, 'utf8'), pseudo);
  const params = at<Yaml>(serverless, ['params', 'default'], 'serverless.yml');
  const suffix = `${target.account}-${target.region}`;
  const plan = datasetPlans(names).find((p) => p.dataset === DEFAULT_DATASET);
  if (!plan) throw new DeploymentFileError(`the registry has no dataset ${DEFAULT_DATASET}`);
  const topicArn = plan.topicArn.replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) =>
    name in pseudo ? pseudo[name as keyof typeof pseudo] : whole,
  );
  const sqs = at<Yaml[]>(serverless, ['functions', 'startPipeline', 'events'], 'serverless.yml')[0];
  return {
    names,
    plan: { ...plan, topicArn },
    buckets: {
      raw: `${names.rawBucketPrefix}-${suffix}`,
      curated: `${names.curatedBucketPrefix}-${suffix}`,
      athenaResults: `${names.athenaResultsBucketPrefix}-${suffix}`,
    },
    topicArn,
    stateMachineArn: `arn:${pseudo['AWS::Partition']}:states:${target.region}:${target.account}:stateMachine:${names.stateMachine}`,
    taskFunctions: taskFunctions(serverless),
    sqsBatchSize: Number(at(sqs, ['sqs', 'batchSize'], 'serverless.yml')),
    ...datasetSettings(names, datasetNamed(plan.dataset), params, pseudo),
    settingsOf: (dataset) => datasetSettings(names, dataset, params, pseudo),
  };
}

/** Every ASL placeholder -> the ARN of its task Lambda, given how a function folder becomes an ARN. */
export function placeholderArns(deployment: Deployment, arnOf: (folder: string) => string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deployment.taskFunctions).map(([placeholder, fn]) => [placeholder, arnOf(fn)]),
  );
}
