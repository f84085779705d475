import { Command } from 'commander';
import { summarizeStates } from '../../sfn/execution-store';
import { type Act, type CommandContext, EXIT, type ExitCode, formatDuration, UsageError } from '../cli-io';
import { oneLine } from '../progress';
import { openStore } from '../twin-session';

export const describeCommand = (act: Act) =>
  new Command('describe')
    .summary('an execution: input, status, every state')
    .description('An execution: input, status, every state with start, end, duration, retries, error and cause.')
    .argument('<name>', 'the execution (see: lakepipe executions)')
    .action(act(describe));

async function describe({ io, home }: CommandContext, name: string): Promise<ExitCode> {
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
