// Configuration of start-pipeline: read once, validated, and a bad value names its variable.
import { z } from 'zod';
import { ConfigError } from '../../../functions/shared/errors';
import { loadStartPipelineConfig } from '../../../functions/start-pipeline/app';
import { DATASETS, RAW_BUCKET, STATE_MACHINE_ARN, testEnv } from './support';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadStartPipelineConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('start-pipeline configuration', () => {
  it('parses a complete environment and applies the documented defaults', () => {
    // Act
    const config = loadStartPipelineConfig(testEnv());

    // Assess
    expect(config).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      rawBucket: RAW_BUCKET,
      datasets: DATASETS,
      ignoredPrefixes: ['curated/', 'quarantine/', 'athena-results/', '_lakepipe/'],
      supportedExtensions: ['.csv', '.csv.gz', '.json', '.jsonl', '.json.gz', '.parquet'],
    });
  });

  it('reads comma-separated lists, trimming blanks', () => {
    // Act
    const config = loadStartPipelineConfig(
      testEnv({ IGNORED_PREFIXES: ' out/ , tmp/,', SUPPORTED_EXTENSIONS: '.csv, .tsv' }),
    );

    // Assess
    expect(config.ignoredPrefixes).toEqual(['out/', 'tmp/']);
    expect(config.supportedExtensions).toEqual(['.csv', '.tsv']);
  });

  it.each(['STATE_MACHINE_ARN', 'RAW_BUCKET', 'DATASETS'])('names %s when it is missing', (variable) => {
    // Act
    const error = configError(testEnv({ [variable]: undefined }));

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`${variable} is missing`);
  });

  it.each([
    ['STATE_MACHINE_ARN', 'lakepipe-pipeline'],
    ['RAW_BUCKET', 'Not_A_Bucket'],
    ['DATASETS', '{not json'],
    ['DATASETS', '[]'],
    ['DATASETS', JSON.stringify([{ ...DATASETS[0], dataset: 'Bad-Name' }])],
    ['DATASETS', JSON.stringify([{ ...DATASETS[0], prefix: 'raw/no-trailing-slash' }])],
    ['DATASETS', JSON.stringify([{ ...DATASETS[0], validations: ['../etc/passwd'] }])],
    ['DATASETS', JSON.stringify([{ ...DATASETS[0], topicArn: 'lakepipe-notifications' }])],
    ['DATASETS', JSON.stringify([DATASETS[0], DATASETS[0]])],
  ])('names %s when its value is invalid (%s)', (variable, value) => {
    // Act
    const error = configError(testEnv({ [variable]: value }));

    // Assess
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('refuses a dataset prefix inside an ignored output prefix, which could never start', () => {
    // Prepare
    const datasets = [{ ...DATASETS[0], prefix: 'curated/customer_transactions/' }];

    // Act
    const error = configError(testEnv({ DATASETS: JSON.stringify(datasets) }));

    // Assess
    expect(error.variable).toBe('DATASETS');
    expect(error.message).toContain('DATASETS.0.prefix');
    expect(error.message).toContain('curated/');
  });

  it('allows an ignored prefix inside a dataset prefix (a scratch folder of that dataset)', () => {
    // Act
    const config = loadStartPipelineConfig(testEnv({ IGNORED_PREFIXES: 'curated/,raw/customer_transactions/_tmp/' }));

    // Assess
    expect(config.ignoredPrefixes).toEqual(['curated/', 'raw/customer_transactions/_tmp/']);
  });

  it('keeps the zod error as the cause and lists every problem', () => {
    // Act
    const error = configError({});

    // Assess
    expect(error.cause).toBeInstanceOf(z.ZodError);
    expect(error.message).toContain('STATE_MACHINE_ARN is missing');
    expect(error.message).toContain('RAW_BUCKET is missing');
    expect(error.message).toContain('DATASETS is missing');
  });
});
