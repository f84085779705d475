// The full result of one crawl: what `getLastCrawlReport` returns and `<home>/crawlers/<name>.last-crawl.json` holds.
import { parseS3Uri } from '../../s3/s3-paths';

export interface CrawlReport {
  crawler: string;
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  startTime: string;
  endTime: string;
  errorMessage?: string;
  filesRead: number;
  bytesSeen: number;
  tablesCreated: string[];
  tablesUpdated: string[];
  tablesDeleted: string[];
  partitionsCreated: number;
  /** Files that could not be read or did not fit their table; `uri` is `s3://bucket/key`. */
  unreadableFiles: { uri: string; bucket: string; key: string; reason: string }[];
  newColumns: { table: string; column: string; type: string }[];
  /** Type changes of existing columns; `applied` says whether the policy let the crawl update the catalog. */
  schemaChanges: { table: string; column: string; from: string; to: string; applied: boolean }[];
  /** Catalog tables this crawler made whose data is gone, and what the DeleteBehavior did. */
  missingTables: { table: string; action: 'deleted' | 'deprecated' | 'logged' }[];
}

export function newCrawlReport(crawler: string, startTime: Date): CrawlReport {
  return {
    crawler,
    status: 'SUCCEEDED',
    startTime: startTime.toISOString(),
    endTime: '',
    filesRead: 0,
    bytesSeen: 0,
    tablesCreated: [],
    tablesUpdated: [],
    tablesDeleted: [],
    partitionsCreated: 0,
    unreadableFiles: [],
    newColumns: [],
    schemaChanges: [],
    missingTables: [],
  };
}

export function reportUnreadable(report: CrawlReport, uri: string, reason: string): void {
  const { bucket, key } = parseS3Uri(uri);
  report.unreadableFiles.push({ uri, bucket, key, reason });
}
