// Shared setup for the build-notification tests: a real-shaped state, Athena results, the task input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildNotificationInput, PipelineState } from '../../../functions/build-notification/message';
import type { ValidationIteration } from '../../../functions/build-notification/validation-verdict';

export const NAME = 'customer_transactions-20261124T095958Z-0123456789';
const EXECUTION_ARN = `arn:aws:states:eu-west-1:123456789012:execution:lakepipe-prod-pipeline:${NAME}`;
export const NOW = new Date('2026-11-24T10:05:00.000Z');

export function baseState(): PipelineState {
  const input = JSON.parse(
    readFileSync(path.join(__dirname, '../../../events/manual/customer-transactions-rerun.json'), 'utf8'),
  );
  return {
    ...input,
    screening: { accepted: input.objects.map((o: { key: string }) => o.key), previouslyQuarantined: [] },
    catalog: { status: 'FRESH', attempt: 3, lastCrawl: { status: 'SUCCEEDED', startTime: '2026-11-24T10:00:30.000Z' } },
    job: { Id: 'jr_42', JobRunState: 'SUCCEEDED', ExecutionTime: 95 },
  };
}

export function iteration(name: string, columns: string[], ...rows: Array<Array<string | null>>): ValidationIteration {
  return {
    name,
    execution: {
      queryExecutionId: `q-${name}`,
      status: { State: 'SUCCEEDED', SubmissionDateTime: 1_000, CompletionDateTime: 3_500 },
    },
    result: {
      columns: columns.map((Name) => ({ Name, Type: 'varchar' })),
      rows: [columns, ...rows].map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
    },
  };
}

export function input(kind: 'completed' | 'failed', state: PipelineState): BuildNotificationInput {
  return {
    kind,
    execution: {
      name: NAME,
      id: EXECUTION_ARN,
      startTime: '2026-11-24T10:00:02.000Z',
      stateMachine: 'lakepipe-prod-pipeline',
    },
    state,
  };
}
