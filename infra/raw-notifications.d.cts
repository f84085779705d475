import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  interface QueueConfiguration {
    Event: string;
    Queue: unknown;
    Filter: { S3Key: { Rules: { Name: 'prefix' | 'suffix'; Value: string }[] } };
  }
  function queueConfigurations(prefix: string, suffixes: string[], queueArn: unknown): QueueConfiguration[];
  class NotificationRuleError extends Error {}
}
declare function resolve(context: ResolverContext): Promise<resolve.QueueConfiguration[]>;
export = resolve;
