// The `lakepipe` CLI. Global flags: --home DIR (default .lakepipe), --json, --help.
// Exit codes: 0 success, 1 the pipeline or execution failed, 2 bad usage or bad input (one-line reason).
import { type CliIo, EXIT, type ExitCode, processIo, UsageError } from './cli-io';
import { catalog, catalogUsage, query, queryUsage } from './commands/catalog-query';
import { describe, describeUsage, executions, executionsUsage } from './commands/executions';
import { generate, usage as generateUsage } from './commands/generate';
import { invoke, invokeUsage } from './commands/invoke';
import { redrive, redriveUsage, rerun, rerunUsage } from './commands/manual';
import { run, runUsage } from './commands/run';
import { watchCommand, watchUsage } from './commands/watch';

type Command = (args: string[], io: CliIo, home: string) => Promise<ExitCode>;

interface CommandEntry {
  run: Command;
  usage: string;
  summary: string;
}

const COMMANDS: Record<string, CommandEntry> = {
  run: { run, usage: runUsage, summary: 'land files (or a generated sample) and run the pipeline on them' },
  watch: {
    run: watchCommand,
    usage: watchUsage,
    summary: 'run the pipeline on every file dropped in the landing folder',
  },
  invoke: { run: invoke, usage: invokeUsage, summary: 'run one Lambda handler with an event file' },
  executions: { run: executions, usage: executionsUsage, summary: 'list executions, newest first' },
  describe: { run: describe, usage: describeUsage, summary: 'an execution: input, status, every state' },
  rerun: { run: rerun, usage: rerunUsage, summary: 'a new execution with the same input (<name>-rerun-<n>)' },
  redrive: { run: redrive, usage: redriveUsage, summary: 'resume a failed execution from the state that failed' },
  catalog: { run: catalog, usage: catalogUsage, summary: 'tables in the catalog, or one table' },
  query: { run: query, usage: queryUsage, summary: 'Athena SQL over the catalog tables' },
  generate: { run: (a, io) => generate(a, io), usage: generateUsage, summary: 'write realistic transactions CSV' },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n      ${c.usage}`);
  return [
    'lakepipe: the event-driven data pipeline and its local twin',
    '',
    'commands:',
    ...lines,
    '',
    'global flags: --home DIR (default .lakepipe), --json (machine-readable output), --verbose (Lambda logs), --help',
    'exit codes: 0 success, 1 pipeline/execution failed, 2 bad usage or input',
  ].join('\n');
}

/** Splits the global flags off, wherever they stand. */
export function splitGlobal(argv: string[]): { home: string; json: boolean; help: boolean; rest: string[] } {
  let home = process.env.LAKEPIPE_HOME ?? '.lakepipe';
  let json = false;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--home') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--home needs a directory');
      home = value;
    } else if (arg.startsWith('--home=')) home = arg.slice('--home='.length);
    else rest.push(arg);
  }
  return { home, json, help, rest };
}

export async function main(argv: string[]): Promise<ExitCode> {
  let io = processIo(argv.includes('--json'));
  try {
    const { home, json, help, rest } = splitGlobal(argv);
    io = processIo(json);
    const [name, ...args] = rest;
    if (name === undefined || name === 'help' || (help && name === undefined)) {
      process.stdout.write(`${helpText()}\n`);
      return name === undefined && !help ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}" (see: lakepipe --help)`);
    if (help) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(args, io, home);
  } catch (error) {
    const err = error as Error & { code?: string };
    if (err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.error(`lakepipe: ${err.message}`);
      return EXIT.usage;
    }
    io.error(`lakepipe: ${err.name}: ${err.message}`);
    if (process.env.LAKEPIPE_DEBUG) io.error(err.stack ?? '');
    return EXIT.failed;
  }
}
