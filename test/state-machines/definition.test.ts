// The definition as local/sfn loads it: placeholders resolved, asl-validator passes, and the guard refuses what
// the local engine would get wrong silently. The bad fixtures are built here from the real definition.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import {
  type Definition,
  guardDefinition,
  guardProblems,
  parseDefinition,
  resolvePlaceholders,
  validateAsl,
  walkStates,
} from '../../local/sfn/definition';
import { DefinitionError, PlaceholderError } from '../../local/sfn/errors';
import { functionArn, localPlaceholders } from '../../local/twin/config';
import { DEFINITION_FILE, FUNCTION_ARNS, loadPipeline } from './harness';

/** `${name}` written without a template-looking literal. */
const placeholder = (name: string) => `$\{${name}}`;

type Mutable = Record<string, Record<string, Record<string, unknown>>>;

async function realDefinition(): Promise<Mutable> {
  return (await loadPipeline()) as unknown as Mutable;
}

function mapStates(definition: Mutable): Record<string, Record<string, unknown>> {
  const map = definition.States?.RunValidations as {
    ItemProcessor: { States: Record<string, Record<string, unknown>> };
  };
  return map.ItemProcessor.States;
}

describe('pipeline definition', () => {
  it('resolves every placeholder and passes asl-validator and the guard', async () => {
    // Act
    const definition = await loadPipeline();

    // Assess
    expect(JSON.stringify(definition)).not.toContain('${');
    expect(validateAsl(definition)).toEqual([]);
    expect(guardProblems(definition)).toEqual([]);
    expect((definition.States.CheckCatalog as { Resource: string }).Resource).toBe(
      FUNCTION_ARNS.CheckCatalogFunctionArn,
    );
  });

  it('gives every Task an explicit TimeoutSeconds and the execution an overall TimeoutSeconds', async () => {
    // Act
    const definition = await loadPipeline();
    const tasks = walkStates(definition).filter((s) => s.state.Type === 'Task');

    // Assess
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    expect(tasks.map((t) => t.name)).toHaveLength(10);
    for (const task of tasks) expect(task.state.TimeoutSeconds).toEqual(expect.any(Number));
  });

  it('retries Glue concurrency and transient errors with backoff, a delay cap and full jitter', async () => {
    // Act
    const definition = await loadPipeline();
    const retry = (definition.States.RunJob as { Retry: Array<Record<string, unknown>> }).Retry;

    // Assess
    const errors = retry.flatMap((r) => r.ErrorEquals as string[]);
    expect(errors).toEqual(
      expect.arrayContaining([
        'Glue.ConcurrentRunsExceededException',
        'Glue.ThrottlingException',
        'Glue.InternalServiceException',
        'Glue.OperationTimeoutException',
      ]),
    );
    for (const r of retry) {
      expect(r).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: expect.any(Number) });
      expect(r.MaxDelaySeconds).toEqual(expect.any(Number));
    }
  });

  it('walks into the Map item processor', async () => {
    // Act
    const names = walkStates(await loadPipeline()).map((s) => s.name);

    // Assess
    expect(names).toEqual(expect.arrayContaining(['StartValidationQuery', 'GetValidationResults']));
  });

  it.each([
    ['Output', 'StartValidationQuery'],
    ['Assign', 'CheckCatalog'],
    ['Arguments', 'RunJob'],
    ['QueryLanguage', 'GetValidationResults'],
  ])('rejects the JSONata field %s (on %s)', async (field, stateName) => {
    // Prepare
    const definition = await realDefinition();
    const state = definition.States?.[stateName] ?? mapStates(definition)[stateName];
    if (!state) throw new Error(`no state ${stateName}`);
    state[field] = field === 'QueryLanguage' ? 'JSONata' : '{% $states.input %}';

    // Act
    const problems = guardProblems(definition);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${stateName}: JSONata field ${field}`);
  });

  it('rejects a top-level QueryLanguage', async () => {
    // Prepare
    const definition = (await realDefinition()) as unknown as Record<string, unknown>;
    definition.QueryLanguage = 'JSONata';

    // Act
    const problems = guardProblems(definition);

    // Assess
    expect(problems).toEqual(['top level: QueryLanguage is set (JSONPath only)']);
  });

  it('rejects a Task resource outside the allowed list, also inside the Map', async () => {
    // Prepare
    const definition = await realDefinition();
    const job = definition.States?.RunJob as Record<string, unknown>;
    job.Resource = 'arn:aws:states:::dynamodb:putItem';
    const inMap = mapStates(definition).GetValidationResults as Record<string, unknown>;
    inMap.Resource = 'arn:aws:states:::aws-sdk:s3:getObject';

    // Act
    const problems = guardProblems(definition);

    // Assess
    expect(problems).toEqual([
      'States.RunJob: Task resource "arn:aws:states:::dynamodb:putItem" is not one docs/architecture.md allows (see "How Tasks are bound")',
      'States.RunValidations.ItemProcessor.States.GetValidationResults: Task resource "arn:aws:states:::aws-sdk:s3:getObject" is not one docs/architecture.md allows (see "How Tasks are bound")',
    ]);
  });

  it('rejects a state name repeated inside the Map, and throws DefinitionError listing it', async () => {
    // Prepare
    const definition = await realDefinition();
    const states = mapStates(definition);
    const getResults = states.GetValidationResults as Record<string, unknown>;
    delete getResults.End;
    getResults.Next = 'CheckCatalog';
    states.CheckCatalog = { Type: 'Pass', End: true };

    // Act
    const act = () => guardDefinition(definition);

    // Assess
    expect(act).toThrow(DefinitionError);
    expect(act).toThrow(
      /States\.RunValidations\.ItemProcessor\.States\.CheckCatalog: state name "CheckCatalog" repeats States\.CheckCatalog/,
    );
  });

  it('walks into Parallel branches', () => {
    // Prepare
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% 1 %}', End: true } } },
          ],
        },
      },
    };

    // Act
    const problems = guardProblems(definition);

    // Assess
    expect(problems).toEqual(['States.Both.Branches[1].States.B: JSONata field Output (JSONPath only)']);
  });

  it('refuses a placeholder with no value, naming it', async () => {
    // Prepare
    const text = await readFile(DEFINITION_FILE, 'utf8');
    const { ScreenFilesFunctionArn: _left, ...partial } = FUNCTION_ARNS;

    // Act
    const act = () => parseDefinition(text, partial);

    // Assess
    expect(act).toThrow(PlaceholderError);
    expect(act).toThrow(`No value for placeholder(s) ${placeholder('ScreenFilesFunctionArn')}`);
  });

  it('localPlaceholders covers every Lambda placeholder of the ASL with a local function ARN', async () => {
    // Prepare
    const text = await readFile(DEFINITION_FILE, 'utf8');

    // Act
    const definition = parseDefinition(text, localPlaceholders());

    // Assess
    const lambdaTasks = walkStates(definition)
      .map((s) => s.state.Resource)
      .filter((r): r is string => typeof r === 'string' && r.includes(':function:'));
    expect([...new Set(lambdaTasks)].sort()).toEqual(
      [
        functionArn('build-notification'),
        functionArn('check-catalog'),
        functionArn('prepare-validations'),
        functionArn('screen-files'),
      ].sort(),
    );
  });

  it('substitutes placeholders inside strings without touching JSONPath or intrinsic functions', () => {
    // Act
    const resolved = resolvePlaceholders(
      { Resource: `pre-${placeholder('A')}-post`, 'x.$': '$$.Execution.Name', 'y.$': "States.Format('{}', $.a)" },
      { A: 'value' },
    );

    // Assess
    expect(resolved).toEqual({
      Resource: 'pre-value-post',
      'x.$': '$$.Execution.Name',
      'y.$': "States.Format('{}', $.a)",
    });
  });

  it('reports invalid ASL (a Next to a missing state) as a DefinitionError', async () => {
    // Prepare
    const raw = parse(await readFile(DEFINITION_FILE, 'utf8')) as Definition;
    (raw.States.WaitForCrawl as { Next: string }).Next = 'NoSuchState';
    const text = JSON.stringify(raw);

    // Act
    const act = () => parseDefinition(text, FUNCTION_ARNS);

    // Assess
    expect(act).toThrow(DefinitionError);
    expect(act).toThrow(/NoSuchState/);
  });
});
