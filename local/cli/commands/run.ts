import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { executionName } from '../../../functions/shared/execution-name';
import { generateTransactionsFile } from '../../generate/transactions';
import type { ExecutionRecord } from '../../sfn/execution-store';
import { DATASET, defaultSettings } from '../../twin/config';
import { BadInputError, deliverArrivals, landFiles, waitForExecutions } from '../../twin/pipeline-run';
import { formatSummary, summarize } from '../../twin/summary';
import { createTwin, type Twin } from '../../twin/twin';
import { type CliIo, EXIT, type ExitCode, parseNumberOption, UsageError } from '../cli-io';
import { ProgressView } from '../progress';

/** Opens the twin for a command, with live progress of every execution on stderr. */
export async function openTwin(home: string, io: CliIo): Promise<{ twin: Twin; progress: ProgressView }> {
  const twin = await createTwin(defaultSettings(home));
  const progress = new ProgressView(io);
  twin.onHistoryEvent((execution, event) => progress.onEvent(execution, event));
  twin.onWorkspaceWait((pid) =>
    io.progress(`waiting for lakepipe process ${pid ?? '(unknown)'} to finish its executions`),
  );
  return { twin, progress };
}

/** Prints each execution's summary; exit 1 when any did not succeed. */
export async function report(twin: Twin, records: ExecutionRecord[], io: CliIo): Promise<ExitCode> {
  const summaries = await Promise.all(records.map((r) => summarize(twin, r)));
  for (const s of summaries) for (const line of formatSummary(s)) io.say(line);
  io.result(summaries);
  return records.every((r) => r.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
}

async function sampleFile(home: string, rows: number, io: CliIo): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const file = path.join(home, 'samples', `transactions-${stamp}.csv`);
  await mkdir(path.dirname(file), { recursive: true });
  io.progress(`generating ${rows.toLocaleString('en-US')} sample transactions -> ${file}`);
  // A fresh seed and id prefix per sample, so each `npm start` brings new transactions, not duplicates.
  await generateTransactionsFile(file, {
    rows,
    seed: Date.now() % 2 ** 31,
    idPrefix: `S${stamp.slice(2, 8)}${stamp.slice(9)}-`,
  });
  return file;
}

export async function run(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { dataset: { type: 'string' }, rows: { type: 'string' } },
  });
  if (values.dataset !== undefined && values.dataset !== DATASET) {
    throw new UsageError(`unknown dataset "${values.dataset}" (configured: ${DATASET})`);
  }
  const rows = parseNumberOption('rows', values.rows, 50_000, 1);
  const { twin, progress } = await openTwin(home, io);
  try {
    const files = positionals.length ? positionals : [await sampleFile(home, Math.floor(rows), io)];
    const landed = await landFiles(twin, files).catch((error: Error) => {
      throw error instanceof BadInputError ? new UsageError(error.message) : error;
    });
    io.progress(`landed ${landed.length} file(s) in s3://${landed[0]?.bucket}/${twin.plan.prefix}`);
    const arrival = await deliverArrivals(twin, landed);
    if (arrival.failedMessages.length) {
      io.error(`start-pipeline reported ${arrival.failedMessages.length} message(s) as failed (SQS would retry them)`);
    }
    if (arrival.started.length === 0) {
      const name = executionName(
        twin.plan.dataset,
        landed[0]?.bucket ?? '',
        landed.map((o) => ({ ...o, eventTime: o.eventTime.toISOString() })),
      );
      io.say(`these files were delivered before; no new execution (see: lakepipe describe ${name})`);
      return arrival.failedMessages.length ? EXIT.failed : EXIT.ok;
    }
    io.progress(`started ${arrival.started.join(', ')}`);
    const records = await waitForExecutions(twin, arrival.started);
    progress.stop();
    return await report(twin, records, io);
  } finally {
    progress.stop();
  }
}
