import { Command } from 'commander';
import { GenerateOptionsError, generateTransactionsFile } from '../../generate/transactions';
import { type Act, type CommandContext, EXIT, type ExitCode, parseNumberOption, UsageError } from '../cli-io';

interface GenerateOptions {
  rows: string;
  out: string;
  seed?: string;
  dirtyRate?: string;
  customers?: string;
  idPrefix?: string;
}

export const generateCommand = (act: Act) =>
  new Command('generate')
    .summary('write realistic transactions CSV')
    .description(
      'Realistic transactions: skewed customers, 18 months of dates, and a share of dirty rows of every kind the ' +
        'job rejects; deterministic for a seed.',
    )
    .requiredOption('--rows <n>', 'how many rows')
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--seed <s>', 'random seed (default: 42)')
    .option('--dirty-rate <r>', 'share of dirty rows (default: 0.02)')
    .option('--customers <n>', 'how many distinct customers')
    .option('--id-prefix <prefix>', 'prefix of the transaction ids')
    .action(act(generate));

async function generate({ io }: CommandContext, options: GenerateOptions): Promise<ExitCode> {
  const rows = parseNumberOption('rows', options.rows, 0);
  if (!Number.isInteger(rows)) throw new UsageError(`--rows must be a whole number, got "${options.rows}"`);
  const started = Date.now();
  try {
    const stats = await generateTransactionsFile(
      options.out,
      {
        rows,
        seed: parseNumberOption('seed', options.seed, 42),
        dirtyRate: parseNumberOption('dirty-rate', options.dirtyRate, 0.02),
        customers:
          options.customers === undefined ? undefined : parseNumberOption('customers', options.customers, 0, 1),
        idPrefix: options.idPrefix,
      },
      (done) => io.progress(`  … ${done.toLocaleString('en-US')} rows`),
    );
    const seconds = (Date.now() - started) / 1000;
    io.say(
      `wrote ${stats.rows.toLocaleString('en-US')} rows (${(stats.bytes / 1e6).toFixed(1)} MB) to ${options.out} in ${seconds.toFixed(1)} s`,
    );
    io.say(
      `dirty rows: ${Object.entries(stats.dirty)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    io.result({ file: options.out, ...stats, seconds });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof GenerateOptionsError) throw new UsageError(error.message);
    throw error;
  }
}
