// Which files a crawl reads under its S3 targets, and which table and partition each one belongs to.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { parseS3Uri, pathToS3Uri, s3UriToPath } from '../../s3/s3-paths';
import { readdirIfExists, type Workspace } from '../../workspace';
import type { FileAnalysis } from './crawl-analyze';
import { type CrawlReport, reportUnreadable } from './crawl-report';
import { type CrawlerConfiguration, s3PathLevel } from './crawler-config';

export interface FoundFile {
  file: string;
  uri: string;
  size: number;
  /** The S3 target the file was found under, with a trailing slash. */
  targetUri: string;
  /** Folders between the target and the file. */
  segments: string[];
}

export interface AnalysedFile extends FoundFile {
  analysis: FileAnalysis;
}

export interface PlacedFile extends AnalysedFile {
  tableRoot: string; // s3 URI with trailing slash
  table: string;
  partitionKeys: string[];
  partitionValues: string[];
  partitionLocation: string;
}

/** Glue's table naming: lowercase, every character other than a-z, 0-9 and _ becomes `_`. */
export function glueTableName(folder: string, prefix = ''): string {
  return `${prefix}${folder}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

const HIVE_SEGMENT = /^([^=]+)=(.*)$/;

function decodeHiveValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every data file under the crawler's S3 targets, in name order, minus exclusions and hidden or marker files. */
export async function findFiles(
  workspace: Workspace,
  crawler: Glue.Crawler,
  report: CrawlReport,
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const target of crawler.Targets?.S3Targets ?? []) {
    const targetUri = (target.Path ?? '').endsWith('/') ? (target.Path ?? '') : `${target.Path}/`;
    const exclusions = (target.Exclusions ?? []).map(globToRegExp);
    const walk = async (dir: string, segments: string[]) => {
      for (const entry of (await readdirIfExists(dir)).sort(byName)) {
        // Hidden and marker files (`_SUCCESS`, `.crc`, temp files of atomic writes) are not data.
        if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full, [...segments, entry.name]);
          continue;
        }
        if (!entry.isFile()) continue;
        if (exclusions.some((re) => re.test([...segments, entry.name].join('/')))) continue;
        const info = await stat(full);
        report.bytesSeen += info.size;
        found.push({ file: full, uri: pathToS3Uri(workspace, full), size: info.size, targetUri, segments });
      }
    };
    await walk(s3UriToPath(workspace, targetUri), []);
  }
  return found;
}

/** How many of a file's folders (under its target) lead to its table folder; the rest are partitions. */
type TableDepth = (file: AnalysedFile) => number;

/** Without grouping: data right under the target, or in key=value folders there, makes the target the table. */
const defaultDepth: TableDepth = (f) => (f.segments[0] === undefined || HIVE_SEGMENT.test(f.segments[0]) ? 0 : 1);

/** CombineCompatibleSchemas: a target whose readable files share format, compression and depth is one table. */
function combinedDepth(files: AnalysedFile[]): TableDepth {
  const compatible = new Map<string, boolean>();
  const shape = new Map<string, string>();
  for (const f of files) {
    if (!f.analysis.readable) continue;
    const key = JSON.stringify([f.analysis.format, f.analysis.compression, f.segments.length]);
    const seen = shape.get(f.targetUri);
    if (seen === undefined) shape.set(f.targetUri, key);
    compatible.set(f.targetUri, (compatible.get(f.targetUri) ?? true) && (seen ?? key) === key);
  }
  return (f) => (compatible.get(f.targetUri) ? 0 : defaultDepth(f));
}

function place(f: AnalysedFile, depth: number, tablePrefix: string): PlacedFile {
  const tableSegments = f.segments.slice(0, depth);
  const partitionSegments = f.segments.slice(depth);
  const tableRoot = `${f.targetUri}${tableSegments.map((s) => `${s}/`).join('')}`;
  const { bucket, key } = parseS3Uri(f.targetUri);
  const targetName = key.replace(/\/+$/, '').split('/').at(-1) || bucket;
  return {
    ...f,
    tableRoot,
    table: glueTableName(tableSegments.at(-1) ?? targetName, tablePrefix),
    partitionKeys: partitionSegments.map((s, i) => {
      const m = HIVE_SEGMENT.exec(s);
      return m ? (m[1] ?? '').toLowerCase() : `partition_${i}`;
    }),
    partitionValues: partitionSegments.map((s) => {
      const m = HIVE_SEGMENT.exec(s);
      return m ? decodeHiveValue(m[2] ?? '') : s;
    }),
    partitionLocation: `${tableRoot}${partitionSegments.map((s) => `${s}/`).join('')}`,
  };
}

/**
 * Puts each file in its table: at the configured table level when there is one (a file above it is reported and
 * left out), else one table per target under CombineCompatibleSchemas when its files are compatible, else Glue's
 * default of one table per folder under the target.
 */
export function placeFiles(
  files: AnalysedFile[],
  config: CrawlerConfiguration,
  tablePrefix: string,
  report: CrawlReport,
): PlacedFile[] {
  const { tableLevel } = config;
  const depth: TableDepth =
    tableLevel !== undefined
      ? (f) => tableLevel - s3PathLevel(f.targetUri)
      : config.combineCompatibleSchemas
        ? combinedDepth(files)
        : defaultDepth;
  const placed: PlacedFile[] = [];
  for (const f of files) {
    const d = depth(f);
    if (f.segments.length < d) {
      if (f.analysis.readable) reportUnreadable(report, f.uri, `the file lies above the table level ${tableLevel}`);
      continue;
    }
    placed.push(place(f, d, tablePrefix));
  }
  return placed;
}
