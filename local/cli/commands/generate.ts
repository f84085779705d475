import { parseArgs } from 'node:util';
import { GenerateOptionsError, generateTransactionsFile } from '../../generate/transactions';
import { type CliIo, EXIT, type ExitCode, parseNumberOption, UsageError } from '../cli-io';
import { USAGE } from '../usage';

export async function generate(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'dirty-rate': { type: 'string' },
      customers: { type: 'string' },
      'id-prefix': { type: 'string' },
    },
  });
  if (values.rows === undefined || values.out === undefined) throw new UsageError(`usage: ${USAGE.generate}`);
  const rows = parseNumberOption('rows', values.rows, 0);
  if (!Number.isInteger(rows)) throw new UsageError(`--rows must be a whole number, got "${values.rows}"`);
  const started = Date.now();
  try {
    const stats = await generateTransactionsFile(
      values.out,
      {
        rows,
        seed: parseNumberOption('seed', values.seed, 42),
        dirtyRate: parseNumberOption('dirty-rate', values['dirty-rate'], 0.02),
        customers: values.customers === undefined ? undefined : parseNumberOption('customers', values.customers, 0, 1),
        idPrefix: values['id-prefix'],
      },
      (done) => io.progress(`  … ${done.toLocaleString('en-US')} rows`),
    );
    const seconds = (Date.now() - started) / 1000;
    io.say(
      `wrote ${stats.rows.toLocaleString('en-US')} rows (${(stats.bytes / 1e6).toFixed(1)} MB) to ${values.out} in ${seconds.toFixed(1)} s`,
    );
    io.say(
      `dirty rows: ${Object.entries(stats.dirty)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    io.result({ file: values.out, ...stats, seconds });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof GenerateOptionsError) throw new UsageError(error.message);
    throw error;
  }
}
