import { Command } from 'commander';
import { generateProfilesFile } from '../../generate/profiles';
import { GenerateOptionsError, generateTransactionsFile } from '../../generate/transactions';
import { type Act, type CommandContext, EXIT, type ExitCode, parseNumberOption, UsageError } from '../cli-io';

interface GenerateOptions {
  dataset: string;
  rows: string;
  out: string;
  seed?: string;
  dirtyRate?: string;
  customers?: string;
  idPrefix?: string;
}

/** The datasets with a sample generator. */
const GENERATORS = ['customer_transactions', 'customer_profiles'] as const;

export const generateCommand = (act: Act) =>
  new Command('generate')
    .summary('write realistic sample data for a dataset')
    .description(
      'Realistic sample data with a share of dirty rows of every kind the job rejects; deterministic for a seed. ' +
        'customer_transactions: a CSV of transactions, skewed customers, 18 months of dates. customer_profiles: ' +
        'JSON lines of profile changes, most customers changed more than once.',
    )
    .option('--dataset <name>', `${GENERATORS.join(' or ')}`, 'customer_transactions')
    .requiredOption('--rows <n>', 'how many rows')
    .requiredOption('--out <file>', 'the file to write')
    .option('--seed <s>', 'random seed (default: 42)')
    .option('--dirty-rate <r>', 'share of dirty rows (default: 0.02)')
    .option('--customers <n>', 'how many distinct customers')
    .option('--id-prefix <prefix>', 'prefix of the transaction ids (customer_transactions)')
    .action(act(generate));

async function generate({ io }: CommandContext, options: GenerateOptions): Promise<ExitCode> {
  const rows = parseNumberOption('rows', options.rows, 0);
  if (!Number.isInteger(rows)) throw new UsageError(`--rows must be a whole number, got "${options.rows}"`);
  const seed = parseNumberOption('seed', options.seed, 42);
  const dirtyRate = parseNumberOption('dirty-rate', options.dirtyRate, 0.02);
  const customers =
    options.customers === undefined ? undefined : parseNumberOption('customers', options.customers, 0, 1);
  if (!(GENERATORS as readonly string[]).includes(options.dataset)) {
    throw new UsageError(`no sample generator for dataset "${options.dataset}" (have: ${GENERATORS.join(', ')})`);
  }
  if (options.dataset === 'customer_profiles' && options.idPrefix !== undefined) {
    throw new UsageError('--id-prefix is for customer_transactions (profiles are keyed by customer)');
  }
  const started = Date.now();
  try {
    const stats =
      options.dataset === 'customer_profiles'
        ? await generateProfilesFile(options.out, { rows, seed, dirtyRate, customers })
        : await generateTransactionsFile(
            options.out,
            { rows, seed, dirtyRate, customers, idPrefix: options.idPrefix },
            (done) => io.progress(`  … ${done.toLocaleString('en-US')} rows`),
          );
    const seconds = (Date.now() - started) / 1000;
    io.say(
      `wrote ${stats.rows.toLocaleString('en-US')} rows (${(stats.bytes / 1e6).toFixed(1)} MB) to ${options.out} in ${seconds.toFixed(1)} s`,
    );
    if ('updatedCustomers' in stats) io.say(`customers changed more than once: ${stats.updatedCustomers}`);
    io.say(
      `dirty rows: ${Object.entries(stats.dirty)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    io.result({ file: options.out, dataset: options.dataset, ...stats, seconds });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof GenerateOptionsError) throw new UsageError(error.message);
    throw error;
  }
}
