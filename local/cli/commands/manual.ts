import { parseArgs } from 'node:util';
import { SFNClient } from '@aws-sdk/client-sfn';
import { sfnAdapter } from '../../../functions/shared/aws-ports';
import { STATE_MACHINE } from '../../twin/config';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../cli-io';
import { redriveExecution, rerunExecution } from '../manual-runs';
import { USAGE } from '../usage';
import { openTwin, report } from './run';

const OPTIONS = {
  aws: { type: 'boolean' },
  'state-machine-arn': { type: 'string' },
  region: { type: 'string' },
  'no-wait': { type: 'boolean' },
} as const;

function consoleLink(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? '';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

async function manual(kind: 'rerun' | 'redrive', args: string[], io: CliIo, home: string): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [name] = positionals;
  const usage = kind === 'rerun' ? USAGE.rerun : USAGE.redrive;
  if (name === undefined || positionals.length > 1) throw new UsageError(`usage: ${usage}`);

  if (values.aws) {
    const arn = values['state-machine-arn'];
    if (!arn) throw new UsageError('--aws needs --state-machine-arn ARN');
    const sfn = sfnAdapter(new SFNClient(values.region ? { region: values.region } : {}));
    const out = kind === 'rerun' ? await rerunExecution(sfn, arn, name) : await redriveExecution(sfn, arn, name);
    io.say(
      `${kind === 'rerun' ? 'started' : 'redriven'} ${out.name}\n  ${out.executionArn}\n  ${consoleLink(out.executionArn)}`,
    );
    io.result(out);
    return EXIT.ok;
  }

  const { twin, progress } = await openTwin(home, io);
  try {
    if (!(await twin.store.get(name)))
      throw new UsageError(`no execution named ${name} in ${home} (see: lakepipe executions)`);
    const out =
      kind === 'rerun'
        ? await rerunExecution(twin.sfn, STATE_MACHINE.arn, name)
        : await redriveExecution(twin.sfn, STATE_MACHINE.arn, name);
    if (kind === 'rerun') await twin.store.update(out.name, { rerunOf: name });
    io.progress(`${kind === 'rerun' ? 'started' : 'redriving'} ${out.name}`);
    if (values['no-wait']) return EXIT.ok;
    const record = await twin.sfn.waitFor(out.name);
    progress.stop();
    return await report(twin, [record], io);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ExecutionNotRedrivable') throw new UsageError((error as Error).message);
    throw error;
  } finally {
    progress.stop();
  }
}

export const rerun = (args: string[], io: CliIo, home: string) => manual('rerun', args, io, home);
export const redrive = (args: string[], io: CliIo, home: string) => manual('redrive', args, io, home);
