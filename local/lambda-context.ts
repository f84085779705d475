// The Lambda context a handler gets when the twin (or a test) invokes it in-process, shaped as the Lambda runtime
// gives it: the function's name from its ARN, a request id, and the time left before its timeout.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)/;

export function lambdaContext(functionArn: string, timeoutSeconds = 900): Context {
  const functionName = FUNCTION_ARN.exec(functionArn)?.[1] ?? functionArn;
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
