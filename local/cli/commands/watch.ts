import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LandingWatcher } from '../../twin/watch';
import { type CliIo, EXIT, type ExitCode, parseNumberOption } from '../cli-io';
import { openTwin } from './run';

export async function watchCommand(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' }, 'batch-window': { type: 'string' } } });
  const batchWindowMs = parseNumberOption('batch-window', values['batch-window'], 5) * 1000;
  const { twin, progress } = await openTwin(home, io);
  const dir = path.resolve(values.dir ?? path.join(home, 'landing', twin.plan.dataset));
  await mkdir(dir, { recursive: true });
  const watcher = new LandingWatcher(twin, {
    dir,
    batchWindowMs,
    onBatch: (r) =>
      io.progress(
        `delivered ${r.landed.length} file(s)${r.started.length ? `: started ${r.started.join(', ')}` : ' (already processed)'}`,
      ),
    onError: (error, files) => io.error(`could not land ${files.length} file(s): ${error.message}`),
  });
  await watcher.start();
  io.progress(`watching ${dir} (batch window ${batchWindowMs / 1000} s); Ctrl-C to stop`);

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
