import type { DatasetPlan } from '../functions/shared/pipeline-input';
import type { Names } from './names.cjs';
import type { DatasetDefinition } from './registry.cjs';
import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  function datasetPlans(names: Names, datasets?: DatasetDefinition[]): DatasetPlan[];
  function datasetNames(names: Names, dataset: DatasetDefinition): { crawler: string; job: string };
  function datasetColumns(datasets?: DatasetDefinition[]): Record<string, string[]>;
}
declare function resolve(
  context: ResolverContext,
): Promise<{ DATASETS: { 'Fn::Sub': string }; DATASET_COLUMNS: string }>;
export = resolve;
