// One crawler (with a CSV classifier from the dataset's dialect) and one job per dataset of the registry, exactly as
// infra/dataset-resources.cjs generates them for the template (deployment.ts resolves them for the twin's pretend
// account). The twin defines all of them, so a file landed under any dataset's prefix runs that dataset's crawler
// and job.
import type { DatasetPlan } from '../../functions/shared/pipeline-input';
import { datasetPlans } from '../../infra/datasets.cjs';
import type { DatasetDefinition } from '../../infra/registry.cjs';
import type { DatasetSettings, Deployment } from './deployment';

export interface DatasetResources extends DatasetSettings {
  dataset: DatasetDefinition;
  plan: DatasetPlan;
}

/** Every dataset's plan, classifier, crawler and job, in registry order. */
export function datasetResources(deployment: Deployment, datasets: DatasetDefinition[]): DatasetResources[] {
  const plans = datasetPlans(deployment.names, datasets);
  return datasets.map((dataset, i) => {
    const plan = plans[i];
    if (!plan) throw new Error(`no plan for dataset ${dataset.name}`);
    return { dataset, plan: { ...plan, topicArn: deployment.topicArn }, ...deployment.settingsOf(dataset) };
  });
}
