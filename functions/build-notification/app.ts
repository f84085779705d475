// Task Lambda of BuildNotification / BuildFailureNotification: parses the state the ASL passes, builds the
// notification (message.ts) and returns it for the state machine to publish.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { InvalidEventError } from '../shared/errors';
import { logger } from '../shared/logger';
import { parseTaskInput } from '../shared/parse-event';
import { type BuildNotificationInput, buildNotification, type Notification, type PipelineState } from './message';

export interface BuildNotificationDeps {
  now?: () => Date;
}

// The state is what earlier states added, read field by field with defaults; only its being an object is required.
export const buildNotificationInputSchema = z.object({
  kind: z.enum(['completed', 'failed']),
  execution: z.looseObject({
    name: z.string().min(1),
    id: z.string().optional(),
    startTime: z.string().optional(),
    stateMachine: z.string().optional(),
  }),
  state: z.looseObject({}),
});

function parseInput(event: unknown): BuildNotificationInput {
  const input = parseTaskInput(
    buildNotificationInputSchema,
    event,
    'build-notification',
    '{ kind: completed|failed, execution: { name }, state }',
    (message) => new InvalidEventError(message),
  );
  return { ...input, state: input.state as PipelineState };
}

export function createHandler(deps: BuildNotificationDeps = {}) {
  const now = deps.now ?? (() => new Date());
  return middy<unknown, Notification>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const input = parseInput(event);
      const notification = buildNotification(input, now());
      logger.info('notification built', {
        executionName: input.execution.name,
        outcome: notification.outcome,
        validations: notification.validations.length,
      });
      return notification;
    });
}
