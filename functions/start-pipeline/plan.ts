// Planning a batch of arrivals: which objects are pipeline input (and why the others are not), grouped by
// dataset into executions with deterministic names, each input under Step Functions' size limit.
import { executionName } from '../shared/execution-name';
import type { ArrivedObject, DatasetPlan, ExecutionInput } from '../shared/pipeline-input';
import type { S3Notification } from '../shared/s3-event';

export type IgnoreReason =
  | 'not-object-created'
  | 'other-bucket'
  | 'folder-marker'
  | 'pipeline-output'
  | 'outside-datasets'
  | 'zero-byte'
  | 'unsupported-extension'
  | 'hidden-file';

export interface ArrivedRecord {
  messageId: string;
  notification: S3Notification;
}

export interface PlannedExecution {
  name: string;
  input: ExecutionInput;
  /** The SQS messages whose objects this execution covers: they fail together if it cannot start. */
  messageIds: string[];
}

export interface IgnoredRecord extends ArrivedRecord {
  reason: IgnoreReason;
}

export interface ExecutionPlan {
  executions: PlannedExecution[];
  ignored: IgnoredRecord[];
}

/** What planning reads of the start-pipeline configuration. */
export interface PlanConfig {
  rawBucket: string;
  datasets: readonly DatasetPlan[];
  ignoredPrefixes: readonly string[];
  supportedExtensions: readonly string[];
}

/** The dataset whose prefix is the longest one that `key` starts with. */
export function datasetForKey(datasets: readonly DatasetPlan[], key: string): DatasetPlan | undefined {
  let best: DatasetPlan | undefined;
  for (const plan of datasets) {
    if (key.startsWith(plan.prefix) && (best === undefined || plan.prefix.length > best.prefix.length)) best = plan;
  }
  return best;
}

/** Why an arrival is not pipeline input, or the dataset it belongs to. */
export function classify(config: PlanConfig, n: S3Notification): { reason: IgnoreReason } | { plan: DatasetPlan } {
  if (!n.eventName.startsWith('ObjectCreated:')) return { reason: 'not-object-created' };
  if (n.bucket !== config.rawBucket) return { reason: 'other-bucket' };
  if (n.key.endsWith('/')) return { reason: 'folder-marker' };
  if (config.ignoredPrefixes.some((p) => n.key.startsWith(p))) return { reason: 'pipeline-output' };
  const plan = datasetForKey(config.datasets, n.key);
  if (plan === undefined) return { reason: 'outside-datasets' };
  if (n.size === 0) return { reason: 'zero-byte' };
  if (!config.supportedExtensions.some((ext) => n.key.endsWith(ext))) return { reason: 'unsupported-extension' };
  if (isHidden(n.key.slice(plan.prefix.length))) return { reason: 'hidden-file' };
  return { plan };
}

// A file or folder under the dataset prefix whose name starts with `_` or `.` is hidden to Hadoop readers and
// excluded by the crawler (`**/_*`, `**/.*`): an execution for it would read nothing and still report success.
export function isHidden(relativeKey: string): boolean {
  return relativeKey.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
}

function compareObjects(a: ArrivedObject, b: ArrivedObject): number {
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    byText(a.key, b.key) ||
    Date.parse(a.eventTime) - Date.parse(b.eventTime) ||
    byText(a.eTag, b.eTag) ||
    byText(a.sequencer, b.sequencer)
  );
}

/** Step Functions refuses larger execution inputs (256 KiB, UTF-8). */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

interface Group {
  plan: DatasetPlan;
  /** bucket/key/eTag -> the object and the messages that carried it. */
  objects: Map<string, { object: ArrivedObject; messageIds: Set<string> }>;
}

/** Splits sorted objects into runs whose input stays under the limit; one run unless the batch is huge. */
function chunkByInputSize<T extends { object: ArrivedObject }>(entries: T[], baseBytes: number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = baseBytes;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry.object)) + 1;
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = baseBytes;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Groups a batch's arrivals by dataset into one execution each: objects deduplicated by bucket/key/eTag
 * (the earliest event of a duplicate wins, so the name does not depend on delivery order) and sorted.
 * A group too large for one execution input is split, in key order, into several executions.
 */
export function planExecutions(
  config: PlanConfig,
  records: readonly ArrivedRecord[],
  receivedAt: Date,
  maxInputBytes: number = MAX_EXECUTION_INPUT_BYTES,
): ExecutionPlan {
  const ignored: IgnoredRecord[] = [];
  const groups = new Map<string, Group>();
  for (const record of records) {
    const decision = classify(config, record.notification);
    if ('reason' in decision) {
      ignored.push({ ...record, reason: decision.reason });
      continue;
    }
    const { plan } = decision;
    const group = groups.get(plan.dataset) ?? { plan, objects: new Map() };
    groups.set(plan.dataset, group);
    const n = record.notification;
    const object: ArrivedObject = {
      key: n.key,
      size: n.size ?? 0,
      eTag: n.eTag ?? '',
      sequencer: n.sequencer ?? '',
      eventTime: n.eventTime,
    };
    const id = `${n.bucket}/${n.key}/${object.eTag}`;
    const seen = group.objects.get(id) ?? { object, messageIds: new Set<string>() };
    if (compareObjects(object, seen.object) < 0) seen.object = object;
    seen.messageIds.add(record.messageId);
    group.objects.set(id, seen);
  }
  const executions = [...groups.values()]
    .sort((a, b) => (a.plan.dataset < b.plan.dataset ? -1 : 1))
    .flatMap(({ plan, objects }) => {
      const base: ExecutionInput = {
        dataset: plan.dataset,
        bucket: config.rawBucket,
        objects: [],
        receivedAt: receivedAt.toISOString(),
        trigger: 's3',
        plan,
      };
      const sorted = [...objects.values()].sort((a, b) => compareObjects(a.object, b.object));
      return chunkByInputSize(sorted, Buffer.byteLength(JSON.stringify(base)), maxInputBytes).map((chunk) => {
        const chunkObjects = chunk.map((entry) => entry.object);
        const messageIds = new Set(chunk.flatMap((entry) => [...entry.messageIds]));
        return {
          name: executionName(plan.dataset, config.rawBucket, chunkObjects),
          input: { ...base, objects: chunkObjects },
          messageIds: [...messageIds].sort(),
        };
      });
    });
  return { executions, ignored };
}
