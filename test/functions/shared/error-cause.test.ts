// Step Functions causes made readable (functions/shared/error-cause.ts).
import { describeCause } from '../../../functions/shared/error-cause';

describe('describeCause', () => {
  it.each([
    [
      JSON.stringify({ errorType: 'BadInputFile', errorMessage: '1 bad file(s) quarantined', trace: [] }),
      'BadInputFile: 1 bad file(s) quarantined',
    ],
    [
      JSON.stringify({
        QueryExecution: { QueryExecutionId: 'q1', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } },
      }),
      'Athena query q1 ended FAILED: TABLE_NOT_FOUND',
    ],
    ['plain text cause', 'plain text cause'],
  ])('reads %s', (cause, expected) => {
    // Act
    const text = describeCause(cause);

    // Assess
    expect(text).toBe(expected);
  });
});
