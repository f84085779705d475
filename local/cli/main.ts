// The `lakepipe` CLI: the program with its global flags and commands (each declared in commands/), and how any
// outcome becomes an exit code: 0 success, 1 the pipeline or execution failed, 2 bad usage or bad input.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorMessage, errorName, hasErrorName } from '../../functions/shared/errors';
import { registry } from '../../infra/registry.cjs';
import { type Act, type CliIo, EXIT, type ExitCode, processIo, UsageError } from './cli-io';
import { catalogCommand } from './commands/catalog';
import { datasetCommand } from './commands/dataset';
import { describeCommand } from './commands/describe';
import { executionsCommand } from './commands/executions';
import { generateCommand } from './commands/generate';
import { invokeCommand } from './commands/invoke';
import { queryCommand } from './commands/query';
import { redriveCommand } from './commands/redrive';
import { rerunCommand } from './commands/rerun';
import { runCommand } from './commands/run';
import { watchCommand } from './commands/watch';

const COMMANDS = [
  runCommand,
  watchCommand,
  invokeCommand,
  executionsCommand,
  describeCommand,
  rerunCommand,
  redriveCommand,
  catalogCommand,
  queryCommand,
  generateCommand,
  datasetCommand,
];

interface GlobalOptions {
  home: string;
  json?: boolean;
  verbose?: boolean;
}

function directory(value: string): string {
  if (value.startsWith('-')) throw new InvalidArgumentError('--home needs a directory');
  return value;
}

function program(act: Act, failedIn: (command: Command) => void): Command {
  const lakepipe = new Command('lakepipe')
    .description('lakepipe: the event-driven data pipeline and its local twin')
    .addOption(
      new Option('--home <dir>', 'the workspace folder').env('LAKEPIPE_HOME').default('.lakepipe').argParser(directory),
    )
    .option('--json', 'machine-readable output on stdout (progress stays on stderr)')
    .option('--verbose', "the Lambdas' Powertools logs (warnings and errors are always shown)")
    .addHelpText(
      'after',
      '\nexit codes: 0 success, 1 pipeline/execution failed, 2 bad usage or input (LAKEPIPE_DEBUG=1: stack traces)',
    )
    .configureHelp({ showGlobalOptions: true })
    // Commander's errors become one line of ours (printed by main) and exit code 2, instead of exiting itself.
    .exitOverride()
    .configureOutput({ outputError: () => failedIn(lakepipe) });
  for (const declare of COMMANDS) lakepipe.addCommand(inherit(lakepipe, declare(act), failedIn));
  return lakepipe;
}

/** The program's settings (exit override, help) on a command and its subcommands, and where an error came from. */
function inherit(parent: Command, command: Command, failedIn: (command: Command) => void): Command {
  command.copyInheritedSettings(parent).configureOutput({ outputError: () => failedIn(command) });
  for (const sub of command.commands) inherit(command, sub, failedIn);
  return command;
}

/** Commander's message (`error: unknown option '--x'`, maybe with a suggestion) as one line of ours. */
function usageLine(error: CommanderError, command: Command | undefined): string {
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/'([^']*)'/g, '"$1"');
  const names: string[] = [];
  for (let c = command; c?.parent; c = c.parent) names.unshift(c.name());
  return `${message} (see: ${['lakepipe', ...names].join(' ')} --help)`;
}

/**
 * --verbose: the Lambdas' logs at every level, on stderr like progress, so stdout stays the command's output
 * (`--json` included). Powertools writes INFO and DEBUG through console.info/debug (stdout); in its dev mode it uses
 * the global console, which is pointed at stderr here.
 */
function showLambdaLogsOnStderr(): void {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_DEV = 'true';
  for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;
}

export async function main(argv: string[]): Promise<ExitCode> {
  let io: CliIo = processIo(false);
  let code: ExitCode = EXIT.ok;
  let failedCommand: Command | undefined;
  const lakepipe = program(
    (work) =>
      async (...args) => {
        const globals = lakepipe.opts<GlobalOptions>();
        // Before a command loads any handler: the Lambdas' Logger reads its level once, like at a cold start.
        if (globals.verbose) showLambdaLogsOnStderr();
        io = processIo(Boolean(globals.json));
        // Every command starts from the dataset registry: a bad dataset.yml is refused here, naming file and field.
        registry();
        code = await work({ io, home: globals.home }, ...args);
      },
    (command) => {
      failedCommand = command;
    },
  );
  try {
    await lakepipe.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, help <command>
      // A bare `lakepipe` prints the help (on stderr) and is a usage error.
      if (error.code !== 'commander.help') io.error(`lakepipe: ${usageLine(error, failedCommand)}`);
      return EXIT.usage;
    }
    // A setting from the environment or a dataset.yml that is not what it should be is bad input, like a bad flag.
    if (
      error instanceof UsageError ||
      hasErrorName(error, 'ConfigError') ||
      hasErrorName(error, 'DatasetConfigError')
    ) {
      io.error(`lakepipe: ${errorMessage(error)}`);
      return EXIT.usage;
    }
    io.error(`lakepipe: ${errorName(error) ?? 'Error'}: ${errorMessage(error)}`);
    if (process.env.LAKEPIPE_DEBUG) io.error((error as Error).stack ?? '');
    return EXIT.failed;
  }
}
