import type { DatasetPlan } from '../functions/shared/pipeline-input';
import type { Names } from './names.cjs';
import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  function datasetPlans(names: Names): DatasetPlan[];
  const CUSTOMER_TRANSACTIONS_VALIDATIONS: string[];
  const CUSTOMER_TRANSACTIONS_REQUIRED_COLUMNS: string[];
}
declare function resolve(
  context: ResolverContext,
): Promise<{ DATASETS: { 'Fn::Sub': string }; DATASET_COLUMNS: string }>;
export = resolve;
