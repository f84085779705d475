import { parseArgs } from 'node:util';
import { ExecutionStore, summarizeStates } from '../../sfn/execution-store';
import { Workspace } from '../../workspace';
import { type CliIo, EXIT, type ExitCode, formatDuration, UsageError } from '../cli-io';
import { oneLine } from '../progress';
import { USAGE } from '../usage';

/** Opens the execution store and marks executions whose process died as ABORTED first. */
export async function openStore(home: string): Promise<ExecutionStore> {
  const store = new ExecutionStore(await Workspace.open(home));
  await store.markInterrupted();
  return store;
}

export async function executions(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  parseArgs({ args, options: {} });
  const store = await openStore(home);
  const all = await store.list();
  io.result(all.map(({ input: _input, output: _output, ...rest }) => rest));
  if (all.length === 0) io.say(`no executions in ${home}`);
  for (const r of all) {
    const took = r.stopDate ? formatDuration(Date.parse(r.stopDate) - Date.parse(r.startDate)) : 'running';
    const redriven = r.redriveCount ? ` (redriven ${r.redriveCount}x)` : '';
    io.say(`${r.status.padEnd(9)} ${r.startDate}  ${took.padStart(9)}  ${r.name}${redriven}`);
  }
  return EXIT.ok;
}

export async function describe(args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  const [name] = positionals;
  if (name === undefined || positionals.length > 1) throw new UsageError(`usage: ${USAGE.describe}`);
  const store = await openStore(home);
  const record = await store.get(name);
  if (!record) throw new UsageError(`no execution named ${name} in ${home} (see: lakepipe executions)`);
  const states = summarizeStates(await store.history(name));
  io.result({ ...record, states });
  io.say(`${record.name}: ${record.status}`);
  io.say(`  started ${record.startDate}${record.stopDate ? `, stopped ${record.stopDate}` : ''}`);
  if (record.redriveCount) io.say(`  redriven ${record.redriveCount} time(s), last at ${record.redriveDate}`);
  if (record.rerunOf) io.say(`  re-run of ${record.rerunOf}`);
  if (record.error) io.say(`  error: ${record.error}${record.cause ? `: ${oneLine(record.cause, 2000)}` : ''}`);
  io.say('  input:');
  for (const line of JSON.stringify(record.input, null, 2).split('\n')) io.say(`    ${line}`);
  io.say('  states:');
  for (const s of states) {
    const attempt = s.attempt ? ` [redrive ${s.attempt}]` : '';
    const retries = s.retries ? ` retries ${s.retries}` : '';
    io.say(
      `    ${s.status.padEnd(9)} ${s.state.padEnd(28)} ${s.start} -> ${s.end ?? '…'} ${formatDuration(s.durationMs)}${retries}${attempt}`,
    );
    if (s.error) io.say(`              ${s.error}${s.cause ? `: ${oneLine(s.cause, 2000)}` : ''}`);
  }
  return EXIT.ok;
}
