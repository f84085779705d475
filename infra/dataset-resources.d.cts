import type { Names } from './names.cjs';
import type { DatasetDefinition } from './registry.cjs';
import type { ResolverContext } from './resolver-context.cjs';

/** A template value: plain, or `{ 'Fn::Sub': text }` on pseudo parameters until resolvePseudo. */
type Value = unknown;

declare namespace resolve {
  interface JobParams {
    glueWorkerType: string;
    glueNumberOfWorkers: number;
    glueJobTimeoutMinutes: number;
  }
  interface CrawlerProperties {
    Name: string;
    DatabaseName: string;
    Targets: { S3Targets: { Path: Value; Exclusions: string[] }[] };
    SchemaChangePolicy: { UpdateBehavior: string; DeleteBehavior: string };
    RecrawlPolicy: { RecrawlBehavior: string };
    Configuration: string;
    /** The dataset's CSV classifier, when it accepts CSV. */
    Classifiers?: string[];
  }
  interface ClassifierProperties {
    CsvClassifier: { Name: string; ContainsHeader: 'PRESENT'; Delimiter: string; QuoteSymbol: string };
  }
  interface JobProperties {
    Name: string;
    DefaultArguments: Record<string, Value>;
    ExecutionProperty: { MaxConcurrentRuns: number };
    Timeout: number;
    MaxRetries: number;
  }
  interface DatasetResources {
    logicalIds: {
      crawler: string;
      classifier: string;
      job: string;
      crawlerRole: string;
      jobRole: string;
      alertSubscription: string;
    };
    crawler: CrawlerProperties;
    classifier: ClassifierProperties | undefined;
    job: JobProperties;
    /** Manifest arguments whose value is an SSM SecureString's name. */
    secrets: string[];
  }
  function datasetResources(
    names: Names,
    dataset: DatasetDefinition,
    params: JobParams,
    root?: string,
  ): DatasetResources;
  function datasetTemplate(
    names: Names,
    datasets: DatasetDefinition[],
    params: JobParams,
    root?: string,
  ): { Resources: Record<string, unknown> };
  function sourceContract(dataset: DatasetDefinition): {
    optional: { name: string; type: string }[];
    partitionKeys: string[];
    csv: { quote: string };
  };
  function resolvePseudo<T = unknown>(value: unknown, pseudo: Record<string, string>): T;
  function manifestNeeds(
    dataset: DatasetDefinition,
    root?: string,
  ): { tables: { table: string; path: string }[]; secrets: string[] };
  function secretParameterName(stage: string, dataset: string, argument: string): string;
  function crawlerArns(names: Names, datasets: DatasetDefinition[]): unknown[];
  function jobArns(names: Names, datasets: DatasetDefinition[]): unknown[];
  function rawObjectArns(names: Names, datasets: DatasetDefinition[]): unknown[];
  function rawTableArns(names: Names, datasets: DatasetDefinition[]): unknown[];
  const GLUE_JOB_LOG_GROUPS: string[];
}
declare function resolve(context: ResolverContext): Promise<{
  template: { Resources: Record<string, unknown> };
  crawlerArns: unknown[];
  jobArns: unknown[];
  rawObjectArns: unknown[];
  rawTableArns: unknown[];
}>;
export = resolve;
