import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionNotRedrivable,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { sfnAdapter } from '../../../functions/shared/aws-ports';
import { executionArnFor, redriveExecution, rerunExecution } from '../../../local/cli/manual-runs';

const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:lakepipe-prod-pipeline';
const NAME = 'customer_transactions-20261124T025155Z-0123456789';
const input = { dataset: 'customer_transactions', trigger: 's3', receivedAt: '2026-11-24T02:51:56.000Z', objects: [] };

describe('manual re-runs and redrives on AWS (Step Functions API)', () => {
  const sfnMock = mockClient(SFNClient);
  const sfn = sfnAdapter(new SFNClient({ region: 'eu-west-1' }));
  beforeEach(() => sfnMock.reset());

  it('starts <name>-rerun-1 with the same input, marked manual', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ input: JSON.stringify(input) });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${SM}:x` });

    const out = await rerunExecution(sfn, SM, NAME, () => new Date('2026-11-25T00:00:00Z'));

    expect(out.name).toBe(`${NAME}-rerun-1`);
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:lakepipe-prod-pipeline:${NAME}`,
    });
    const sent = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(sent?.stateMachineArn).toBe(SM);
    expect(JSON.parse(sent?.input ?? '')).toEqual({
      ...input,
      trigger: 'manual',
      receivedAt: '2026-11-25T00:00:00.000Z',
    });
  });

  it('takes the next free re-run number when earlier ones exist, and re-runs of a re-run count from the original', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ input: JSON.stringify(input) });
    sfnMock
      .on(StartExecutionCommand)
      .rejectsOnce(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }))
      .rejectsOnce(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }))
      .resolves({ executionArn: 'arn' });

    const out = await rerunExecution(sfn, SM, `${NAME}-rerun-1`);

    expect(out.name).toBe(`${NAME}-rerun-3`);
    expect(sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      `${NAME}-rerun-1`,
      `${NAME}-rerun-2`,
      `${NAME}-rerun-3`,
    ]);
  });

  it('redrives the named execution and passes its error through', async () => {
    sfnMock.on(RedriveExecutionCommand).resolvesOnce({ redriveDate: new Date('2026-11-25T00:00:00Z') });
    const ok = await redriveExecution(sfn, SM, NAME);
    expect(ok.redriveDate?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(sfnMock).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: executionArnFor(SM, NAME) });

    sfnMock.on(RedriveExecutionCommand).rejects(new ExecutionNotRedrivable({ message: 'SUCCEEDED', $metadata: {} }));
    await expect(redriveExecution(sfn, SM, NAME)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
  });

  it('refuses something that is not a state machine ARN', () => {
    expect(() => executionArnFor('arn:aws:sns:eu-west-1:1:topic', NAME)).toThrow(/not a state machine ARN/);
  });
});
