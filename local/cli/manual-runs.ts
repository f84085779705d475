// Manual re-runs and redrives, written once against the SfnPort so the same code serves the local twin
// and AWS (`--aws`): a re-run is a new execution with the same input, named `<name>-rerun-<n>`.

import type { Command } from 'commander';
import { errorMessage, hasErrorName } from '../../functions/shared/errors';
import { rerunName } from '../../functions/shared/execution-name';
import type { SfnPort } from '../../functions/shared/ports';
import { type CommandContext, EXIT, type ExitCode, UsageError } from './cli-io';
import { heavy } from './heavy-modules';
import { openTwin, report } from './twin-session';

/** `arn:aws:states:<region>:<account>:stateMachine:<sm>` + name -> the execution's ARN. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(stateMachineArn)) {
    throw new ManualRunError(`not a state machine ARN: ${stateMachineArn}`);
  }
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export class ManualRunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManualRunError';
  }
}

const MAX_RERUNS = 1000;

/**
 * Starts a new execution with the input of `name`, marked `trigger: "manual"`. The re-run number is the
 * first free one: ExecutionAlreadyExists moves on to the next, so concurrent operators never collide.
 */
export async function rerunExecution(
  sfn: Pick<SfnPort, 'describeExecution' | 'startExecution'>,
  stateMachineArn: string,
  name: string,
  now: () => Date = () => new Date(),
): Promise<{ name: string; executionArn: string }> {
  const original = await sfn.describeExecution({ executionArn: executionArnFor(stateMachineArn, name) });
  const input = JSON.parse(original.input ?? '{}') as Record<string, unknown>;
  const rerunInput = JSON.stringify({ ...input, trigger: 'manual', receivedAt: now().toISOString() });
  // Re-runs of a re-run number from the original, so names do not grow `-rerun-1-rerun-1`.
  const base = name.replace(/-rerun-\d+$/, '');
  for (let n = 1; n <= MAX_RERUNS; n++) {
    const candidate = rerunName(base, n);
    try {
      const started = await sfn.startExecution({ stateMachineArn, name: candidate, input: rerunInput });
      return { name: candidate, executionArn: started.executionArn ?? executionArnFor(stateMachineArn, candidate) };
    } catch (error) {
      if (!hasErrorName(error, 'ExecutionAlreadyExists')) throw error;
    }
  }
  throw new ManualRunError(`${base} has been re-run ${MAX_RERUNS} times already`);
}

export async function redriveExecution(
  sfn: Pick<SfnPort, 'redriveExecution'>,
  stateMachineArn: string,
  name: string,
): Promise<{ name: string; executionArn: string; redriveDate?: Date }> {
  const executionArn = executionArnFor(stateMachineArn, name);
  const out = await sfn.redriveExecution({ executionArn });
  return { name, executionArn, redriveDate: out.redriveDate };
}

export interface ManualRunOptions {
  aws?: boolean;
  stateMachineArn?: string;
  region?: string;
  wait: boolean;
}

/** `rerun` and `redrive` take the same arguments and options: the twin by default, AWS with --aws. */
export function manualRunCommand(command: Command): Command {
  return command
    .argument('<name>', 'the execution (see: lakepipe executions)')
    .option('--aws', 'on AWS, through the Step Functions API')
    .option('--state-machine-arn <arn>', 'with --aws: the deployed state machine')
    .option('--region <region>', 'with --aws: its region (default: the SDK default)')
    .option('--no-wait', 'do not wait for the execution to end');
}

function consoleLink(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? '';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export async function manualRun(
  kind: 'rerun' | 'redrive',
  { io, home }: CommandContext,
  name: string,
  options: ManualRunOptions,
): Promise<ExitCode> {
  if (options.aws) {
    const arn = options.stateMachineArn;
    if (!arn) throw new UsageError('--aws needs --state-machine-arn ARN');
    const { SFNClient } = heavy.sfnClient();
    const sfn = heavy.awsPorts().sfnAdapter(new SFNClient(options.region ? { region: options.region } : {}));
    const out = kind === 'rerun' ? await rerunExecution(sfn, arn, name) : await redriveExecution(sfn, arn, name);
    io.say(
      `${kind === 'rerun' ? 'started' : 'redriven'} ${out.name}\n  ${out.executionArn}\n  ${consoleLink(out.executionArn)}`,
    );
    io.result(out);
    return EXIT.ok;
  }

  const { STATE_MACHINE } = heavy.config();
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
    if (!options.wait) return EXIT.ok;
    const record = await twin.sfn.waitFor(out.name);
    progress.stop();
    return await report(twin, [record], io);
  } catch (error) {
    if (hasErrorName(error, 'ExecutionNotRedrivable')) throw new UsageError(errorMessage(error));
    throw error;
  } finally {
    progress.stop();
  }
}
