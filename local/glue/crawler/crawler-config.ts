// A crawler's `Configuration` JSON, as Glue documents it ("Setting crawler configuration options"): what the
// local crawler honours, and an InvalidInputException for a value it does not support, so nothing is ignored.
import { AwsServiceError } from '../../../functions/shared/errors';
import { parseS3Uri } from '../../s3/s3-paths';

export interface CrawlerConfiguration {
  /** CrawlerOutput.Tables.AddOrUpdateBehavior = MergeNewColumns: a crawl adds columns and never drops one. */
  mergeNewColumns: boolean;
  /** CrawlerOutput.Partitions.AddOrUpdateBehavior = InheritFromTable: partitions carry the table's schema. */
  partitionsInheritFromTable: boolean;
  /** Grouping.TableGroupingPolicy = CombineCompatibleSchemas: compatible files under an include path make one table. */
  combineCompatibleSchemas: boolean;
  /** Grouping.TableLevelConfiguration: the absolute level in the S3 path (the bucket is 1) where tables are made. */
  tableLevel?: number;
}

const invalid = (message: string, cause?: unknown) =>
  new AwsServiceError('InvalidInputException', message, 400, cause === undefined ? undefined : { cause });

interface ConfigurationJson {
  Grouping?: Record<string, unknown>;
  CrawlerOutput?: { Partitions?: { AddOrUpdateBehavior?: string }; Tables?: { AddOrUpdateBehavior?: string } };
}

const GROUPING_KEYS = new Set(['TableGroupingPolicy', 'TableLevelConfiguration']);

function parseGrouping(
  grouping: Record<string, unknown> | undefined,
): Omit<CrawlerConfiguration, 'mergeNewColumns' | 'partitionsInheritFromTable'> {
  if (grouping === undefined) return { combineCompatibleSchemas: false };
  if (typeof grouping !== 'object' || grouping === null || Array.isArray(grouping)) {
    throw invalid('Crawler Configuration: Grouping must be an object.');
  }
  for (const key of Object.keys(grouping)) {
    if (!GROUPING_KEYS.has(key)) throw invalid(`Crawler Configuration: Grouping.${key} is not supported locally.`);
  }
  const policy = grouping.TableGroupingPolicy;
  if (policy !== undefined && policy !== 'CombineCompatibleSchemas') {
    throw invalid(
      `Crawler Configuration: Grouping.TableGroupingPolicy ${JSON.stringify(policy)} is not supported (CombineCompatibleSchemas is).`,
    );
  }
  const level = grouping.TableLevelConfiguration;
  if (level !== undefined && !(typeof level === 'number' && Number.isInteger(level) && level >= 1)) {
    throw invalid(
      `Crawler Configuration: Grouping.TableLevelConfiguration ${JSON.stringify(level)} is not a positive integer.`,
    );
  }
  return { combineCompatibleSchemas: policy === 'CombineCompatibleSchemas', tableLevel: level };
}

/** Parses a crawler's Configuration string; throws InvalidInputException for what it cannot honour. */
export function parseConfiguration(configuration: string | undefined): CrawlerConfiguration {
  if (!configuration)
    return { mergeNewColumns: false, partitionsInheritFromTable: false, combineCompatibleSchemas: false };
  let parsed: ConfigurationJson;
  try {
    parsed = JSON.parse(configuration);
  } catch (error) {
    throw invalid('Crawler Configuration is not valid JSON.', error);
  }
  return {
    mergeNewColumns: parsed.CrawlerOutput?.Tables?.AddOrUpdateBehavior === 'MergeNewColumns',
    partitionsInheritFromTable: parsed.CrawlerOutput?.Partitions?.AddOrUpdateBehavior === 'InheritFromTable',
    ...parseGrouping(parsed.Grouping),
  };
}

/** The absolute level of an S3 path: the bucket is 1, each folder under it one more. */
export function s3PathLevel(uri: string): number {
  const { key } = parseS3Uri(uri);
  return 1 + key.split('/').filter((s) => s !== '').length;
}

/** A table level above an include path would make tables outside what the crawler may read: refused. */
export function checkTableLevel(config: CrawlerConfiguration, targetPaths: string[]): void {
  if (config.tableLevel === undefined) return;
  for (const target of targetPaths) {
    const level = s3PathLevel(target);
    if (config.tableLevel < level) {
      throw invalid(
        `Crawler Configuration: Grouping.TableLevelConfiguration ${config.tableLevel} lies above the S3 target ${target} (level ${level}).`,
      );
    }
  }
}
