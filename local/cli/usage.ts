// Every command's usage line, in a module that loads nothing heavy: `--help` and a usage error answer at
// once, without starting DuckDB or the AWS SDK.
export const USAGE = {
  run: 'lakepipe run [FILES...] [--dataset NAME] [--rows N] [--home DIR] [--json]',
  watch: 'lakepipe watch [--dir DIR] [--batch-window SECONDS] [--home DIR]',
  invoke: `lakepipe invoke <function> --event FILE [--no-wait] [--home DIR] [--json]
      functions: start-pipeline, screen-files, check-catalog, prepare-validations, build-notification`,
  executions: 'lakepipe executions [--home DIR] [--json]',
  describe: 'lakepipe describe <name> [--home DIR] [--json]',
  rerun: 'lakepipe rerun <name> [--aws --state-machine-arn ARN [--region R]] [--home DIR] [--json]',
  redrive: 'lakepipe redrive <name> [--aws --state-machine-arn ARN [--region R]] [--home DIR] [--json]',
  catalog: 'lakepipe catalog [TABLE] [--database DB] [--home DIR] [--json]',
  query: 'lakepipe query "SQL" [--database DB] [--max-rows N] [--home DIR] [--json]',
  generate: 'lakepipe generate --rows N --out FILE [--seed S] [--dirty-rate R] [--customers N]',
} as const;
