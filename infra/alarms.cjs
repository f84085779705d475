// @ts-check
// CloudWatch alarms, all sending ALARM (and OK, so the mailbox shows recovery) to the alert topic:
// failed and timed-out executions, anything in the dead-letter queue, and errors of each Lambda.
// Loaded by serverless as `${file(./infra/alarms.cjs)}` into resources; generated so every alarm is wired alike.
'use strict';

const { namesFor } = require('./names.cjs');
const { lambdaLogicalId } = require('./asl-definition.cjs');

const FUNCTIONS = ['startPipeline', 'screenFiles', 'checkCatalog', 'prepareValidations', 'buildNotification'];

/** @param {ReturnType<typeof namesFor>} names */
function alarmResources(names) {
  const topic = { Ref: 'AlertTopic' };
  const stateMachineArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${names.stateMachine}`,
  };
  /** @type {(id: string, description: string, namespace: string, metric: string, dimensions: object[]) => [string, object]} */
  const alarm = (id, description, namespace, metric, dimensions) => [
    id,
    {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${names.prefix}-${id
          .replace(/Alarm$/, '')
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .toLowerCase()}`,
        AlarmDescription: description,
        Namespace: namespace,
        MetricName: metric,
        Dimensions: dimensions,
        Statistic: namespace === 'AWS/SQS' ? 'Maximum' : 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        OKActions: [topic],
      },
    },
  ];
  const sm = [{ Name: 'StateMachineArn', Value: stateMachineArn }];
  const entries = [
    alarm(
      'ExecutionsFailedAlarm',
      'A pipeline execution failed (see the Step Functions console).',
      'AWS/States',
      'ExecutionsFailed',
      sm,
    ),
    alarm('ExecutionsTimedOutAlarm', 'A pipeline execution timed out.', 'AWS/States', 'ExecutionsTimedOut', sm),
    alarm(
      'DeadLetterQueueAlarm',
      'Arrival events reached the dead-letter queue: files that started no execution.',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      [{ Name: 'QueueName', Value: names.deadLetterQueue }],
    ),
    ...FUNCTIONS.map((fn) =>
      alarm(
        `${lambdaLogicalId(fn).replace(/LambdaFunction$/, '')}ErrorsAlarm`,
        `Lambda ${fn} reported errors.`,
        'AWS/Lambda',
        'Errors',
        [{ Name: 'FunctionName', Value: { Ref: lambdaLogicalId(fn) } }],
      ),
    ),
  ];
  return Object.fromEntries(entries);
}

async function resolve({ resolveVariable }) {
  return { Resources: alarmResources(namesFor(String(await resolveVariable('sls:stage')))) };
}

module.exports = resolve;
module.exports.alarmResources = alarmResources;
module.exports.FUNCTIONS = FUNCTIONS;
