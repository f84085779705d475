// The build-notification handler: a well-formed event gives the notification, a malformed one a named error.
import '../../fixtures/quiet-logs';
import { createHandler } from '../../../functions/build-notification/app';
import { lambdaContext } from '../../fixtures/lambda-context';
import { baseState, input, NAME, NOW } from './support';

describe('build-notification handler', () => {
  it('returns the notification for a well-formed event', async () => {
    // Prepare
    const handler = createHandler({ now: () => NOW });

    // Act
    const n = await handler(input('completed', { ...baseState(), validationResults: [] }), lambdaContext);

    // Assess
    expect(n.outcome).toBe('SUCCEEDED');
    expect(n.summary).toBe('no validations configured');
  });

  it.each([
    ['kind', { kind: 'done', execution: { name: NAME }, state: {} }],
    ['execution.name', { kind: 'failed', execution: {}, state: {} }],
    ['state', { kind: 'failed', execution: { name: NAME } }],
  ])('names the bad field %s of a malformed event', async (field, event) => {
    // Prepare
    const handler = createHandler();

    // Act
    const act = handler(event, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining(`build-notification input: ${field}:`),
    });
  });

  it('refuses an event without kind, execution name or state', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    const act = handler({ kind: 'done', execution: { name: NAME }, state: {} }, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});
