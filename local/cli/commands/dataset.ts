import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { errorMessage, hasErrorName } from '../../../functions/shared/errors';
import { loadRegistry, REPO_ROOT } from '../../../infra/registry.cjs';
import { type Act, type CommandContext, EXIT, type ExitCode, UsageError } from '../cli-io';
import { heavy } from '../heavy-modules';

interface RootOption {
  root?: string;
}

interface NewOptions extends RootOption {
  sample: string;
  key?: string;
}

const withRoot = (command: Command) =>
  command.option('--root <dir>', 'the project folder that holds datasets/ (default: this repository)');

export const datasetCommand = (act: Act) =>
  new Command('dataset')
    .summary('add, list and check datasets (datasets/<name>/)')
    .description('The dataset registry: one folder per dataset under datasets/ (docs/datasets.md).')
    .addCommand(
      withRoot(
        new Command('new')
          .summary('write datasets/<name>/ from a sample file')
          .description(
            "Infers the contract from a sample with the crawler's own analysis and writes datasets/<name>/: " +
              'dataset.yml, a default job (typed columns, de-duplicated by the key, rejected rows kept with a ' +
              'reason, snappy Parquet, lineage), default validations and a README; prints what it decided and ' +
              'what to review.',
          )
          .argument('<name>', 'the dataset name: [a-z][a-z0-9_]*, at most 48 characters')
          .requiredOption('--sample <file>', 'a CSV (with a header), JSON lines or Parquet file of the data')
          .option('--key <columns>', 'the columns that identify a record, comma-separated (default: inferred)'),
      ).action(act(newDataset)),
    )
    .addCommand(
      withRoot(new Command('list').summary('every dataset: prefix, formats, policy, job, checks')).action(
        act(listDatasets),
      ),
    )
    .addCommand(
      withRoot(
        new Command('check')
          .summary("a dataset's contract, manifest and SQL (Spark and Trino grammars)")
          .argument('<name>', 'the dataset'),
      ).action(act(check)),
    );

async function newDataset({ io }: CommandContext, name: string, options: NewOptions): Promise<ExitCode> {
  const { DATASET_NAME, decisions, inferScaffold, renderScaffold } = heavy.datasetScaffold();
  const { checkDataset } = heavy.datasetCheck();
  const { withDuckDb } = heavy.duckdb();
  if (!DATASET_NAME.test(name)) {
    throw new UsageError(`bad dataset name "${name}": it must match [a-z][a-z0-9_]* (at most 48 characters)`);
  }
  const root = options.root ?? REPO_ROOT;
  const dir = path.join(root, 'datasets', name);
  if (await stat(dir).catch(() => undefined)) throw new UsageError(`datasets/${name}/ exists already`);
  const sample = path.resolve(options.sample);
  const found = await stat(sample).catch(() => undefined);
  if (!found?.isFile()) throw new UsageError(`cannot read the sample ${options.sample}: no such file`);
  const key = options.key === undefined ? [] : options.key.split(',').map((k) => k.trim().toLowerCase());
  const scaffold = await withDuckDb((db) => inferScaffold(db, name, sample, key)).catch((error: unknown) => {
    throw hasErrorName(error, 'SampleError') ? new UsageError(errorMessage(error)) : error;
  });
  await mkdir(path.join(root, 'datasets'), { recursive: true });
  // Not recursive: a folder made meanwhile is refused, never written into.
  await mkdir(dir).catch((error: unknown) => {
    throw new UsageError(`cannot create datasets/${name}/: ${errorMessage(error)}`);
  });
  try {
    for (const [file, text] of Object.entries(renderScaffold(scaffold))) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    // What it wrote must load with the registry and pass the gates; otherwise nothing is left behind.
    const result = await checkDataset(root, name);
    if (result.problems.length > 0) {
      throw new UsageError(`the sample gives a dataset that does not check: ${result.problems[0]}`);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { decided, review } = decisions(scaffold);
  io.say(`wrote datasets/${name}/ (dataset.yml, job.yml, steps/, validations/, README.md)`);
  io.say('decided:');
  for (const line of decided) io.say(`  ${line}`);
  io.say('review:');
  for (const line of review) io.say(`  - ${line}`);
  io.result({ dataset: name, dir, decided, review, key: scaffold.key, partitionBy: scaffold.partitionBy ?? null });
  return EXIT.ok;
}

async function listDatasets({ io }: CommandContext, options: RootOption): Promise<ExitCode> {
  const rows = loadRegistry(options.root ?? REPO_ROOT).map((d) => ({
    name: d.name,
    prefix: d.raw.prefix,
    formats: d.raw.formats,
    policy: d.contract.schemaChange,
    job: d.job.name,
    checks: d.checks,
  }));
  const table = [
    ['name', 'prefix', 'formats', 'policy', 'job', 'checks'],
    ...rows.map((r) => [r.name, r.prefix, r.formats.join(','), r.policy, r.job, r.checks.join(',')]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of table)
    io.say(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  io.result(rows);
  return EXIT.ok;
}

async function check({ io }: CommandContext, name: string, options: RootOption): Promise<ExitCode> {
  const { checkDataset } = heavy.datasetCheck();
  const result = await checkDataset(options.root ?? REPO_ROOT, name);
  io.result(result);
  if (result.problems.length > 0) {
    for (const problem of result.problems) io.error(`lakepipe: ${problem}`);
    return EXIT.usage;
  }
  io.say(
    `datasets/${name}: ok (contract, manifest, ${result.steps} step(s) as Spark SQL, ${result.validations} validation(s) as Trino SQL)`,
  );
  return EXIT.ok;
}
