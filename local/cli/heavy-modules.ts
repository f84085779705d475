// The modules that start DuckDB, the AWS SDK or the Lambdas' Logger, loaded when a command runs: `--help` and
// usage errors answer at once, and `--verbose` sets the log level before any Logger reads it.
// `require`, not `import()`: the CLI runs as CommonJS through tsx, whose hook resolves TypeScript for require only.
export const heavy = {
  config: () => require('../twin/config') as typeof import('../twin/config'),
  twin: () => require('../twin/twin') as typeof import('../twin/twin'),
  pipelineRun: () => require('../twin/pipeline-run') as typeof import('../twin/pipeline-run'),
  watch: () => require('../twin/watch') as typeof import('../twin/watch'),
  sfnClient: () => require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn'),
  awsPorts: () => require('../../functions/shared/aws-ports') as typeof import('../../functions/shared/aws-ports'),
  duckdb: () => require('../duckdb') as typeof import('../duckdb'),
  datasetScaffold: () => require('./datasets/dataset-scaffold') as typeof import('./datasets/dataset-scaffold'),
  datasetCheck: () => require('./datasets/dataset-check') as typeof import('./datasets/dataset-check'),
};
