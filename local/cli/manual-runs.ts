// Manual re-runs and redrives, written once against the SfnPort so the same code serves the local twin
// and AWS (`--aws`): a re-run is a new execution with the same input, named `<name>-rerun-<n>`.

import { rerunName } from '../../functions/shared/execution-name';
import type { SfnPort } from '../../functions/shared/ports';

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
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
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
