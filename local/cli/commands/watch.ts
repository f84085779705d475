import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { type Act, type CommandContext, EXIT, type ExitCode, parseNumberOption } from '../cli-io';
import { heavy } from '../heavy-modules';
import { openTwin } from '../twin-session';

interface WatchOptions {
  dir?: string;
  batchWindow?: string;
  settle?: string;
}

export const watchCommand = (act: Act) =>
  new Command('watch')
    .summary('run the pipeline on every file dropped in the landing folder')
    .description(
      'Watches the landing folder, waits until a file has not changed for the settle time, batches arrivals ' +
        'like the SQS batching window and lands and runs each file on its own: a file that cannot be landed is ' +
        'reported once and left alone. Names starting with "." or "_" or ending in .tmp, .part or .crdownload ' +
        'are never picked up: a writer that may pause longer than the settle time writes under such a name, ' +
        'then renames the file. A file changed after it was landed is not loaded again; land it under a new ' +
        'name. Ctrl-C stops taking files and lets running executions finish; Ctrl-C again aborts them (marked ' +
        'ABORTED, redrivable).',
    )
    .option('--dir <dir>', 'the landing folder (default: HOME/landing/<dataset>)')
    .option('--batch-window <seconds>', 'how long to collect arrivals before delivering them (default: 5)')
    .option('--settle <seconds>', 'how long a file must stay unchanged to count as completely written (default: 3)')
    .action(act(watch));

async function watch({ io, home }: CommandContext, options: WatchOptions): Promise<ExitCode> {
  const batchWindowMs = parseNumberOption('batch-window', options.batchWindow, 5) * 1000;
  const { LandingWatcher, DEFAULT_SETTLE_MS } = heavy.watch();
  const settleMs = parseNumberOption('settle', options.settle, DEFAULT_SETTLE_MS / 1000) * 1000;
  const { twin, progress } = await openTwin(home, io);
  const dir = path.resolve(options.dir ?? path.join(home, 'landing', twin.plan.dataset));
  await mkdir(dir, { recursive: true });
  const watcher = new LandingWatcher(twin, {
    dir,
    batchWindowMs,
    stabilityMs: settleMs,
    onBatch: (r) =>
      io.progress(
        `delivered ${r.landed.length} file(s)${r.started.length ? `: started ${r.started.join(', ')}` : ' (already processed)'}`,
      ),
    onRejected: (file, reason) => io.error(`not landed: ${path.basename(file)}: ${reason}`),
    onError: (error, files) => io.error(`could not deliver ${files.length} file(s): ${error.message}`),
  });
  await watcher.start();
  io.progress(`watching ${dir} (batch window ${batchWindowMs / 1000} s, settle ${settleMs / 1000} s); Ctrl-C to stop`);

  let interrupts = 0;
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => {
      interrupts++;
      if (interrupts === 1) {
        io.progress('stopping: no new files are picked up; finishing running executions (Ctrl-C again to abort them)');
        resolve();
      } else {
        io.progress('aborting running executions; they are marked ABORTED and can be redriven');
        void twin.sfn.abortAll();
      }
    });
  });
  await watcher.stop();
  const records = await Promise.all(watcher.started.map((name) => twin.sfn.waitFor(name)));
  progress.stop();
  for (const r of records) io.say(`${r.status.padEnd(9)} ${r.name}`);
  return records.every((r) => r.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
}
