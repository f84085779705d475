// Schema changes through the real definition: the drift screen-files finds under a warn contract, and a column type
// the crawler changed since the last run, travel in the state to BuildNotification and reach the published message.
import type * as Glue from '@aws-sdk/client-glue';
import { COLUMN_TYPES_PARAMETER } from '../../functions/check-catalog/type-changes';
import { loadScreenFilesConfig, createHandler as screenFilesHandler } from '../../functions/screen-files/app';
import type { LambdaHandler } from '../../local/sfn/bind-tasks';
import { runExecution } from '../../local/sfn/run-execution';
import { contractsEnv } from '../functions/screen-files/support';
import {
  at,
  crawler,
  EXECUTION_NAME,
  executionInput,
  FUNCTION_ARNS,
  fakePorts,
  loadPipeline,
  realLambdas,
} from './harness';

const FILE = Buffer.from('transaction_id,customer_id,quantity,tier\nT1,C1,2,gold\nT2,C2,N/A,silver\n');

const rawTable = (quantity: string): Glue.GetTableResponse => ({
  Table: {
    Name: 'customer_transactions',
    DatabaseName: 'lakepipe',
    VersionId: '3',
    StorageDescriptor: {
      Columns: [
        { Name: 'transaction_id', Type: 'string' },
        { Name: 'quantity', Type: quantity },
      ],
    },
    Parameters: { [COLUMN_TYPES_PARAMETER]: JSON.stringify({ transaction_id: 'string', quantity: 'bigint' }) },
  },
});

it('a warn contract and a crawled type change: accepted, Succeeded, and the message names both', async () => {
  // Prepare
  const ports = fakePorts({
    getCrawler: [crawler('READY', { status: 'SUCCEEDED', started: at(5) })],
    getTable: [rawTable('string')],
  });
  const s3 = {
    ...ports.s3,
    getObject: async (input: { Range?: string }) => {
      const [, start = '0', end = String(FILE.length - 1)] = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '') ?? [];
      const slice = FILE.subarray(Number(start), Number(end) + 1);
      return { Body: { transformToByteArray: async () => slice } };
    },
  };
  const warn = contractsEnv({
    schemaChange: 'warn',
    columns: [
      { name: 'transaction_id', type: 'string', required: true },
      { name: 'customer_id', type: 'string', required: true },
      { name: 'quantity', type: 'bigint', required: false },
    ],
  });
  const screenArn = FUNCTION_ARNS.ScreenFilesFunctionArn as string;
  const lambdas: Record<string, LambdaHandler> = {
    ...realLambdas(ports),
    [screenArn]: screenFilesHandler({ config: loadScreenFilesConfig(warn), s3: s3 as never }) as LambdaHandler,
  };
  const input = executionInput();
  input.objects = input.objects.map((o) => ({ ...o, size: FILE.length }));

  // Act
  const result = await runExecution({
    definition: await loadPipeline(),
    input,
    name: EXECUTION_NAME,
    stateMachine: {
      name: 'lakepipe-test-pipeline',
      arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:lakepipe-test-pipeline',
    },
    ports: { glue: ports.glue, athena: ports.athena, sns: ports.sns },
    lambdas,
    timeScale: 0,
    syncPollMs: 1,
  });

  // Assess
  expect(result.status).toBe('SUCCEEDED');
  expect(ports.glue.getTable.calls).toEqual([{ DatabaseName: 'lakepipe', Name: 'customer_transactions' }]);
  const [published] = ports.sns.publish.calls;
  expect(published?.Subject).toBe(
    '[lakepipe] customer_transactions succeeded, schema changed: 2 file(s), all 2 validation(s) passed',
  );
  expect(published?.Message).toContain(
    'Column types changed in the raw table customer_transactions (by the crawler, since the last run):\n' +
      '  quantity: bigint -> string',
  );
  expect(published?.Message).toContain(
    [
      'Schema drift (accepted: the schema change policy is warn):',
      '  raw/customer_transactions/2026/11/24/transactions-0001.csv:',
      '    new columns, not in the contract: tier',
      '    quantity: 1 value(s) do not fit bigint, first on line 3: "N/A"',
    ].join('\n'),
  );
});
