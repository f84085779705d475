import type { ResolverContext } from './resolver-context.cjs';

declare namespace resolve {
  interface Names {
    service: string;
    stage: string;
    prefix: string;
    rawBucketPrefix: string;
    curatedBucketPrefix: string;
    athenaResultsBucketPrefix: string;
    glueAssetsBucketPrefix: string;
    database: string;
    workgroup: string;
    topic: string;
    stateMachine: string;
    queue: string;
    deadLetterQueue: string;
    keyAlias: string;
    stateMachineLogGroup: string;
    rawPrefix: string;
  }
  function namesFor(stage: string): Names;
  class StageNameError extends Error {}
  const STAGE_PATTERN: RegExp;
}
declare function resolve(context: ResolverContext): Promise<resolve.Names>;
export = resolve;
