// Starting what a batch planned: the datasets' crawlers (best effort) and one execution each, where an
// execution that already exists is a duplicated delivery, counted as started.
import { errorMessage, errorName, hasErrorName } from '../shared/errors';
import { logger } from '../shared/logger';
import type { DatasetPlan } from '../shared/pipeline-input';
import type { StartPipelineDeps } from './app';
import type { PlannedExecution } from './plan';

/** Starts the dataset's crawler early; the state machine's freshness step starts it too, so nothing here blocks. */
async function startCrawler(glue: StartPipelineDeps['glue'], plan: DatasetPlan): Promise<void> {
  const context = { crawler: plan.crawler, dataset: plan.dataset };
  try {
    await glue.startCrawler({ Name: plan.crawler });
    logger.info('crawler started', context);
  } catch (error) {
    if (hasErrorName(error, 'CrawlerRunningException')) {
      logger.info('crawler already running', context);
    } else {
      logger.warn('crawler start failed, the state machine will start it', {
        ...context,
        errorName: errorName(error),
        errorMessage: errorMessage(error),
      });
    }
  }
}

/** Starts one execution; returns false when its messages must be retried. */
async function startExecution(deps: StartPipelineDeps, execution: PlannedExecution): Promise<boolean> {
  const context = {
    executionName: execution.name,
    dataset: execution.input.dataset,
    objects: execution.input.objects.length,
    messageIds: execution.messageIds,
  };
  try {
    const started = await deps.sfn.startExecution({
      stateMachineArn: deps.config.stateMachineArn,
      name: execution.name,
      input: JSON.stringify(execution.input),
    });
    logger.info('execution started', { ...context, executionArn: started.executionArn });
    return true;
  } catch (error) {
    // At-least-once delivery: the same batch again has the same name, and that execution exists already.
    if (hasErrorName(error, 'ExecutionAlreadyExists')) {
      logger.info('execution already exists', context);
      return true;
    }
    logger.error('execution start failed, its messages will be retried', {
      ...context,
      errorName: errorName(error),
      errorMessage: errorMessage(error),
    });
    return false;
  }
}

/** Starts the crawlers, then every execution; the messages of an execution that cannot start are marked failed. */
export async function startAll(
  deps: StartPipelineDeps,
  executions: PlannedExecution[],
  failed: Set<string>,
): Promise<void> {
  const plans = new Map(executions.map((e) => [e.input.plan.dataset, e.input.plan]));
  await Promise.all([...plans.values()].map((plan) => startCrawler(deps.glue, plan)));
  await Promise.all(
    executions.map(async (execution) => {
      if (!(await startExecution(deps, execution))) for (const id of execution.messageIds) failed.add(id);
    }),
  );
}
