import type { Names } from './names.cjs';
import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  function alarmResources(names: Names): Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const FUNCTIONS: string[];
}
declare function resolve(context: ResolverContext): Promise<{ Resources: Record<string, unknown> }>;
export = resolve;
