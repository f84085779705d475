import type { DatasetContract } from '../functions/screen-files/contract';
import type { DatasetPlan } from '../functions/shared/pipeline-input';
import type { Names } from './names.cjs';
import type { DatasetDefinition } from './registry.cjs';
import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  function datasetPlans(names: Names, datasets?: DatasetDefinition[]): DatasetPlan[];
  function datasetNames(names: Names, dataset: DatasetDefinition): { crawler: string; job: string };
  function datasetContracts(datasets?: DatasetDefinition[]): Record<string, DatasetContract>;
}
declare function resolve(
  context: ResolverContext,
): Promise<{ DATASETS: { 'Fn::Sub': string }; DATASET_CONTRACTS: string }>;
export = resolve;
