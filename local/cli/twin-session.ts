// The twin as a command uses it: opened with live progress on stderr, and each execution's summary at the end.
import { type ExecutionRecord, ExecutionStore } from '../sfn/execution-store';
import { formatSummary, summarize } from '../twin/summary';
import type { Twin } from '../twin/twin';
import { Workspace } from '../workspace';
import { type CliIo, EXIT, type ExitCode } from './cli-io';
import { heavy } from './heavy-modules';
import { ProgressView } from './progress';

/** Opens the twin for a command, with live progress of every execution on stderr. */
export async function openTwin(home: string, io: CliIo): Promise<{ twin: Twin; progress: ProgressView }> {
  const twin = await heavy.twin().createTwin(heavy.config().defaultSettings(home));
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

/** Opens the execution store and marks executions whose process died as ABORTED first. */
export async function openStore(home: string): Promise<ExecutionStore> {
  const store = new ExecutionStore(await Workspace.open(home));
  await store.markInterrupted();
  return store;
}
