// One crawler (with a CSV classifier from the dataset's dialect) and one job per dataset of the registry, named as
// infra/datasets.cjs names them, with the settings the deployment gives every crawler and job. The twin defines
// all of them, so a file landed under any dataset's prefix runs that dataset's crawler and job.
import type * as Glue from '@aws-sdk/client-glue';
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { datasetPlans } from '../../infra/datasets.cjs';
import type { DatasetDefinition } from '../../infra/registry.cjs';
import { SOURCE_CONTRACT_ARGUMENT, type SourceContract } from '../glue/jobs/contract-argument';
import type { CrawlerSettings, Deployment, JobSettings } from './deployment';

export interface DatasetResources {
  dataset: DatasetDefinition;
  plan: DatasetPlan;
  /** CreateClassifier's CsvClassifier: the dataset's CSV dialect, so the crawler never guesses it. */
  classifier: Glue.CsvClassifier & { Name: string };
  crawler: CrawlerSettings & { Classifiers: string[] };
  job: JobSettings;
}

/** What a job run needs from the dataset's contract (the `--source_contract` argument, source-contract.ts). */
export function sourceContract(dataset: DatasetDefinition): SourceContract {
  return {
    optional: dataset.contract.columns.filter((c) => !c.required).map((c) => ({ name: c.name, type: c.type })),
    partitionKeys: dataset.raw.partitionKeys,
    csv: { quote: dataset.raw.csv.quote },
  };
}

/** The deployment's manifest URI pointed at another job's folder (`jobs/<manifest name>/job.yml`). */
function manifestUri(uri: string | undefined, jobName: string): string | undefined {
  return uri?.replace(/\/jobs\/[^/]+\/job\.yml$/, `/jobs/${jobName}/job.yml`);
}

function datasetResource(deployment: Deployment, dataset: DatasetDefinition, plan: DatasetPlan): DatasetResources {
  const { crawler, job } = deployment;
  const classifier = {
    Name: `${plan.crawler}-csv`,
    Delimiter: dataset.raw.csv.delimiter,
    QuoteSymbol: dataset.raw.csv.quote,
    ContainsHeader: 'PRESENT' as const,
  };
  const manifest = manifestUri(job.DefaultArguments['--manifest_s3_uri'], dataset.job.name);
  return {
    dataset,
    plan,
    classifier,
    crawler: {
      ...crawler,
      Name: plan.crawler,
      Targets: {
        S3Targets: [
          { Path: `s3://${deployment.buckets.raw}/${dataset.raw.prefix}`, Exclusions: dataset.crawler.exclusions },
        ],
      },
      Classifiers: [classifier.Name],
    },
    job: {
      ...job,
      Name: plan.job,
      manifestFile: dataset.job.manifestFile,
      DefaultArguments: {
        ...job.DefaultArguments,
        ...(manifest ? { '--manifest_s3_uri': manifest } : {}),
        [SOURCE_CONTRACT_ARGUMENT]: JSON.stringify(sourceContract(dataset)),
      },
    },
  };
}

/** Every dataset's plan, crawler and job, in registry order. */
export function datasetResources(deployment: Deployment, datasets: DatasetDefinition[]): DatasetResources[] {
  const plans = datasetPlans(deployment.names, datasets);
  return datasets.map((dataset, i) => {
    const plan = plans[i];
    if (!plan) throw new Error(`no plan for dataset ${dataset.name}`);
    return datasetResource(deployment, dataset, { ...plan, topicArn: deployment.topicArn });
  });
}
