// The reduction of one validation query's result (functions/build-notification/validation-verdict.ts).
import { reduceValidation } from '../../../functions/build-notification/validation-verdict';
import { iteration } from './support';

describe('reduceValidation', () => {
  it('skips the header row and keeps the other columns as details', () => {
    // Act
    const verdict = reduceValidation(iteration('ids', ['null_ids', 'passed', 'total'], ['0', 'true', '1000']));

    // Assess
    expect(verdict).toEqual({
      name: 'ids',
      passed: true,
      details: { null_ids: '0', total: '1000' },
      queryExecutionId: 'q-ids',
      durationMs: 2500,
    });
  });

  it.each([
    ['no row', [], 'returned no row (a validation returns exactly one)'],
    [
      'two rows',
      [
        ['true', '1'],
        ['true', '2'],
      ],
      'returned more than one row (a validation returns exactly one)',
    ],
    ['a NULL passed', [[null, '1']], '"passed" is NULL, not a boolean'],
  ])('fails a query that returned %s', (_case, rows, problem) => {
    // Act
    const verdict = reduceValidation(iteration('v', ['passed', 'n'], ...(rows as string[][])));

    // Assess
    expect(verdict.passed).toBe(false);
    expect(verdict.problem).toBe(problem);
  });

  it('fails a query without a passed column', () => {
    // Act
    const verdict = reduceValidation(iteration('v', ['ok'], ['true']));

    // Assess
    expect(verdict).toMatchObject({ passed: false, problem: 'has no column "passed"', details: { ok: 'true' } });
  });
});
