import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  function checkAlertEmail(value: unknown): string;
  class AlertEmailError extends Error {}
}
declare function resolve(context: ResolverContext): Promise<string>;
export = resolve;
