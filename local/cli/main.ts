// The `lakepipe` CLI. Global flags: --home DIR (default .lakepipe), --json, --help.
// Exit codes: 0 success, 1 the pipeline or execution failed, 2 bad usage or bad input (one-line reason).
import { type CliIo, EXIT, type ExitCode, processIo, UsageError } from './cli-io';
import { USAGE } from './usage';

type Command = (args: string[], io: CliIo, home: string) => Promise<ExitCode>;

interface CommandEntry {
  /**
   * Loaded on use, so `--help` and usage errors never pay for DuckDB or the AWS SDK (`require`: the CLI runs
   * as CommonJS through tsx, whose hook resolves TypeScript for require, not for dynamic import).
   */
  load: () => Promise<Command>;
  usage: string;
  summary: string;
}

const COMMANDS: Record<keyof typeof USAGE, CommandEntry> = {
  run: {
    load: async () => (require('./commands/run') as typeof import('./commands/run')).run,
    usage: USAGE.run,
    summary: 'land files (or a generated sample) and run the pipeline on them',
  },
  watch: {
    load: async () => (require('./commands/watch') as typeof import('./commands/watch')).watchCommand,
    usage: USAGE.watch,
    summary: 'run the pipeline on every file dropped in the landing folder',
  },
  invoke: {
    load: async () => (require('./commands/invoke') as typeof import('./commands/invoke')).invoke,
    usage: USAGE.invoke,
    summary: 'run one Lambda handler with an event file',
  },
  executions: {
    load: async () => (require('./commands/executions') as typeof import('./commands/executions')).executions,
    usage: USAGE.executions,
    summary: 'list executions, newest first',
  },
  describe: {
    load: async () => (require('./commands/executions') as typeof import('./commands/executions')).describe,
    usage: USAGE.describe,
    summary: 'an execution: input, status, every state',
  },
  rerun: {
    load: async () => (require('./commands/manual') as typeof import('./commands/manual')).rerun,
    usage: USAGE.rerun,
    summary: 'a new execution with the same input (<name>-rerun-<n>)',
  },
  redrive: {
    load: async () => (require('./commands/manual') as typeof import('./commands/manual')).redrive,
    usage: USAGE.redrive,
    summary: 'resume a failed execution from the state that failed',
  },
  catalog: {
    load: async () => (require('./commands/catalog-query') as typeof import('./commands/catalog-query')).catalog,
    usage: USAGE.catalog,
    summary: 'tables in the catalog, or one table',
  },
  query: {
    load: async () => (require('./commands/catalog-query') as typeof import('./commands/catalog-query')).query,
    usage: USAGE.query,
    summary: 'Athena SQL over the catalog tables',
  },
  generate: {
    load: async () => (require('./commands/generate') as typeof import('./commands/generate')).generate,
    usage: USAGE.generate,
    summary: 'write realistic transactions CSV',
  },
};

function isCommand(name: string): name is keyof typeof USAGE {
  return Object.hasOwn(COMMANDS, name);
}

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
    if (!isCommand(name)) throw new UsageError(`unknown command "${name}" (see: lakepipe --help)`);
    const command = COMMANDS[name];
    if (help) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return EXIT.ok;
    }
    return await (await command.load())(args, io, home);
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
