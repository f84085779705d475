// `--help` and usage errors: generated from the commands' declarations, answered at once (nothing heavy loaded),
// and commander's own errors as one line of ours with exit code 2.
import { cli } from './support';

// Records which heavy modules get loaded (on globalThis: the mock factories run before this module's body).
function mockLoad(name: string): unknown {
  const scope = globalThis as { heavyLoaded?: string[] };
  scope.heavyLoaded = [...(scope.heavyLoaded ?? []), name];
  return jest.requireActual(name);
}
jest.mock('@duckdb/node-api', () => mockLoad('@duckdb/node-api'));
jest.mock('@aws-sdk/client-sfn', () => mockLoad('@aws-sdk/client-sfn'));
jest.mock('@aws-sdk/client-s3', () => mockLoad('@aws-sdk/client-s3'));
jest.mock('@aws-lambda-powertools/logger', () => mockLoad('@aws-lambda-powertools/logger'));
jest.mock('chokidar', () => mockLoad('chokidar'));

describe('lakepipe help and usage errors', () => {
  it('lists every command with its summary, and the global flags', async () => {
    const { code, stdout, stderr } = await cli('--help');

    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of ['run', 'watch', 'invoke', 'executions', 'describe', 'rerun', 'redrive', 'catalog']) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(stdout).toMatch(/query \[options\] <sql> +Athena SQL over the catalog tables/);
    expect(stdout).toMatch(/--home <dir> +the workspace folder \(default: "\.lakepipe", env:\s+LAKEPIPE_HOME\)/);
    expect(stdout).toContain('exit codes: 0 success, 1 pipeline/execution failed, 2 bad usage or input');
  });

  it("prints a command's help: its arguments, its options and the global flags", async () => {
    const { code, stdout, stderr } = await cli('rerun', '--help');
    const viaHelp = await cli('help', 'rerun');

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: lakepipe rerun \[options\] <name>$/m);
    expect(stdout).toMatch(/--state-machine-arn <arn> +with --aws: the deployed state machine/);
    expect(stdout).toMatch(/--no-wait +do not wait for the execution to end/);
    expect(stdout).toMatch(/Global Options:\n +--home <dir>/);
    expect(viaHelp).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('exits 2 with one line for an unknown option, a missing argument, an extra argument and no command', async () => {
    const unknownOption = await cli('run', 'a.csv', '--frob');
    const missing = await cli('describe', '--home', '/nowhere');
    const extra = await cli('describe', 'one', 'two');
    const noValue = await cli('executions', '--home');
    const none = await cli();

    expect(unknownOption).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lakepipe: unknown option "--frob" (see: lakepipe run --help)\n',
    });
    expect(missing.stderr).toBe('lakepipe: missing required argument "name" (see: lakepipe describe --help)\n');
    expect(extra.stderr).toBe(
      'lakepipe: too many arguments for "describe". Expected 1 argument but got 2. (see: lakepipe describe --help)\n',
    );
    expect(noValue.stderr).toBe('lakepipe: option "--home <dir>" argument missing (see: lakepipe --help)\n');
    expect([missing.code, extra.code, noValue.code, none.code]).toEqual([2, 2, 2, 2]);
    expect(none.stderr).toMatch(/^Usage: lakepipe \[options\] \[command\]/);
  });

  it('loads neither DuckDB, the AWS SDK, the Lambdas nor the file watcher for any of it', () => {
    expect((globalThis as { heavyLoaded?: string[] }).heavyLoaded).toBeUndefined();
  });
});

describe("lakepipe invoke's help", () => {
  it('lists the functions from the twin configuration, which loads the handlers but no DuckDB, SDK or watcher', async () => {
    const { code, stdout } = await cli('invoke', '--help');

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: lakepipe invoke \[options\] <function>$/m);
    expect(stdout).toContain(
      'functions: start-pipeline, screen-files, check-catalog, prepare-validations, build-notification',
    );
    expect((globalThis as { heavyLoaded?: string[] }).heavyLoaded).toEqual(['@aws-lambda-powertools/logger']);
  });
});
