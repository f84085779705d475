import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { errorMessage, hasErrorName } from '../../../functions/shared/errors';
import { executionName } from '../../../functions/shared/execution-name';
import { classify, type IgnoreReason } from '../../../functions/start-pipeline/plan';
import { DEFAULT_DATASET, datasetNamed } from '../../../infra/registry.cjs';
import { generateProfilesFile } from '../../generate/profiles';
import { generateTransactionsFile } from '../../generate/transactions';
import type { LandedObject } from '../../twin/arrival-events';
import type { Twin } from '../../twin/twin';
import {
  type Act,
  type CliIo,
  type CommandContext,
  EXIT,
  type ExitCode,
  parseNumberOption,
  UsageError,
} from '../cli-io';
import { heavy } from '../heavy-modules';
import { openTwin, report } from '../twin-session';

interface RunOptions {
  dataset: string;
  rows?: string;
}

export const runCommand = (act: Act) =>
  new Command('run')
    .summary('land files (or a generated sample) and run the pipeline on them')
    .description(
      'Lands the files (or a generated sample) under the dataset prefix of the raw bucket, delivers their S3 ' +
        'notifications to the start-pipeline handler as SQS would, and runs the executions it starts.',
    )
    .argument('[files...]', 'CSV, JSON lines or Parquet files (default: a generated sample)')
    .option('--dataset <name>', 'the dataset the files belong to: they land under its prefix', DEFAULT_DATASET)
    .option('--rows <n>', 'rows of the generated sample when no file is given (default: 50000)')
    .action(act(run));

async function run({ io, home }: CommandContext, files: string[], options: RunOptions): Promise<ExitCode> {
  const { prefix } = datasetNamed(options.dataset).raw;
  const rows = parseNumberOption('rows', options.rows, 50_000, 1);
  if (files.length === 0 && !(options.dataset in SAMPLES)) {
    throw new UsageError(`no sample generator for dataset "${options.dataset}": give the files to land`);
  }
  const { landFiles, deliverArrivals, waitForExecutions } = heavy.pipelineRun();
  const { twin, progress } = await openTwin(home, io);
  try {
    const inputs = files.length ? files : [await sampleFile(home, options.dataset, Math.floor(rows), io)];
    const landed = await landFiles(twin, inputs, new Date(), { prefix }).catch((error: unknown) => {
      throw hasErrorName(error, 'BadInputError') ? new UsageError(errorMessage(error)) : error;
    });
    io.progress(`landed ${landed.length} file(s) in s3://${landed[0]?.bucket}/${prefix}`);
    const arrival = await deliverArrivals(twin, landed);
    if (arrival.failedMessages.length) {
      io.error(`start-pipeline reported ${arrival.failedMessages.length} message(s) as failed (SQS would retry them)`);
    }
    const ignored = ignoredObjects(twin, landed);
    if (arrival.started.length === 0) {
      await sayWhyNothingStarted(twin, landed, ignored, io);
      return arrival.failedMessages.length ? EXIT.failed : EXIT.ok;
    }
    for (const line of ignoredLines(ignored)) io.progress(line);
    io.progress(`started ${arrival.started.join(', ')}`);
    const records = await waitForExecutions(twin, arrival.started);
    progress.stop();
    return await report(twin, records, io);
  } finally {
    progress.stop();
  }
}

// What the arrival handler's own decision (`classify`) means, for the reasons a landed file can get.
const IGNORED_BECAUSE: Partial<Record<IgnoreReason, string>> = {
  'zero-byte': 'the file is empty (the arrival handler skips zero-byte objects)',
  'hidden-file': 'its name starts with "_" or "." (hidden files are skipped, as the crawler skips them)',
  'outside-datasets': "no dataset the twin's arrival handler serves has this prefix",
};

/** The landed objects the arrival handler skips without starting anything, each with why, as it decides it. */
function ignoredObjects(twin: Twin, landed: LandedObject[]): Map<LandedObject, string> {
  const config = heavy.config().startPipelineConfig(twin.datasets.map((d) => d.plan));
  const ignored = new Map<LandedObject, string>();
  for (const o of landed) {
    const decision = classify(config, { ...o, eventName: 'ObjectCreated:Put', eventTime: o.eventTime.toISOString() });
    if ('reason' in decision) {
      ignored.set(o, IGNORED_BECAUSE[decision.reason] ?? `ignored by the arrival handler (${decision.reason})`);
    }
  }
  return ignored;
}

function ignoredLines(ignored: Map<LandedObject, string>): string[] {
  return [...ignored].map(([o, why]) => `ignored ${o.key}: ${why}`);
}

/** Why no execution started, file by file: ignored (and why), or delivered before (only an existing one is named). */
async function sayWhyNothingStarted(twin: Twin, landed: LandedObject[], ignored: Map<LandedObject, string>, io: CliIo) {
  for (const line of ignoredLines(ignored)) io.say(line);
  const delivered = landed.filter((o) => !ignored.has(o));
  if (delivered.length === 0) return;
  const name = executionName(
    twin.plan.dataset,
    delivered[0]?.bucket ?? '',
    delivered.map((o) => ({ ...o, eventTime: o.eventTime.toISOString() })),
  );
  const files = ignored.size ? 'the other files' : 'these files';
  io.say(
    (await twin.store.get(name))
      ? `${files} were delivered before; no new execution (see: lakepipe describe ${name})`
      : `${files} started no execution (see: lakepipe executions)`,
  );
}

// The datasets `run` can generate a sample of when no file is given, and how.
const SAMPLES: Record<string, { kind: string; extension: string; write: SampleWriter }> = {
  customer_transactions: {
    kind: 'transactions',
    extension: 'csv',
    // A fresh seed and id prefix per sample, so each `npm start` brings new transactions, not duplicates.
    write: (file, rows, stamp) =>
      generateTransactionsFile(file, {
        rows,
        seed: Date.now() % 2 ** 31,
        idPrefix: `S${stamp.slice(2, 8)}${stamp.slice(9)}-`,
      }),
  },
  // A fresh seed per sample: the same customers change again, so the latest profile moves on.
  customer_profiles: {
    kind: 'profiles',
    extension: 'jsonl',
    write: (file, rows) => generateProfilesFile(file, { rows, seed: Date.now() % 2 ** 31 }),
  },
};

type SampleWriter = (file: string, rows: number, stamp: string) => Promise<unknown>;

async function sampleFile(home: string, dataset: string, rows: number, io: CliIo): Promise<string> {
  const sample = SAMPLES[dataset];
  if (!sample) throw new UsageError(`no sample generator for dataset "${dataset}": give the files to land`);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const file = path.join(home, 'samples', `${sample.kind}-${stamp}.${sample.extension}`);
  await mkdir(path.dirname(file), { recursive: true });
  io.progress(`generating ${rows.toLocaleString('en-US')} sample ${sample.kind} -> ${file}`);
  await sample.write(file, rows, stamp);
  return file;
}
