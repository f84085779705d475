import { Command } from 'commander';
import { type Act, type CommandContext, EXIT, type ExitCode, formatDuration } from '../cli-io';
import { openStore } from '../twin-session';

export const executionsCommand = (act: Act) =>
  new Command('executions').summary('list executions, newest first').action(act(executions));

async function executions({ io, home }: CommandContext): Promise<ExitCode> {
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
