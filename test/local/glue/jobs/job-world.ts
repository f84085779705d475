// A small, real twin world for job tests: a workspace, the local catalog with a raw CSV table `lake.orders`,
// and LocalGlueJobs with the test manifests under test/fixtures/jobs registered.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { withDuckDb } from '../../../../local/duckdb';
import { LocalGlueCatalog } from '../../../../local/glue/catalog/catalog';
import { LocalGlueJobs, type LocalGlueJobsOptions, type LocalJobDefinition } from '../../../../local/glue/jobs/jobs';
import { Workspace } from '../../../../local/workspace';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/jobs');
export const RAW_LOCATION = 's3://lake-raw/raw/orders/';
export const CURATED = 's3://lake-curated/';

export interface JobWorld {
  workspace: Workspace;
  catalog: LocalGlueCatalog;
  jobs: LocalGlueJobs;
  /** Writes a raw CSV file (header + rows) under the orders table location. */
  putRaw(name: string, rows: string[]): Promise<string>;
  register(name: string, manifest: string, extra?: Partial<LocalJobDefinition>): void;
  /** Every file under a folder of the workspace, relative, sorted. */
  filesUnder(...parts: string[]): Promise<string[]>;
}

export const HEADER = 'order_id,customer,amount,order_date';
/** The arguments every job of this world runs with: where to write, and the orders table as its source. */
export const ORDERS_ARGS = { '--curated_location': CURATED, '--database': 'lake', '--source_table': 'orders' };

export async function jobWorld(
  options: {
    clock?: () => Date;
    runner?: LocalGlueJobsOptions['runner'];
    /** What the jobs service sees of the catalog, e.g. one that pauses a call (the test's `catalog` stays plain). */
    jobsCatalog?: (catalog: LocalGlueCatalog) => LocalGlueJobsOptions['catalog'];
  } = {},
): Promise<JobWorld> {
  const workspace = await Workspace.open(await mkdtemp(path.join(tmpdir(), 'lakepipe-jobs-')));
  const catalog = new LocalGlueCatalog(workspace);
  await catalog.createDatabase({ DatabaseInput: { Name: 'lake' } });
  // The shape the crawler gives a headed CSV folder.
  await catalog.createTable({
    DatabaseName: 'lake',
    TableInput: {
      Name: 'orders',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
      PartitionKeys: [],
      StorageDescriptor: {
        Columns: [
          { Name: 'order_id', Type: 'bigint' },
          { Name: 'customer', Type: 'string' },
          { Name: 'amount', Type: 'double' },
          { Name: 'order_date', Type: 'string' },
        ],
        Location: RAW_LOCATION,
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        SerdeInfo: {
          SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          Parameters: { 'field.delim': ',' },
        },
      },
    },
  });
  const jobs = new LocalGlueJobs({
    workspace,
    catalog: options.jobsCatalog?.(catalog) ?? catalog,
    clock: options.clock,
    runner: options.runner,
  });
  const rawDir = workspace.dir('buckets', 'lake-raw', 'raw', 'orders');

  async function walk(dir: string, base: string): Promise<string[]> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) out.push(...(await walk(full, base)));
      else out.push(path.relative(base, full).split(path.sep).join('/'));
    }
    return out.sort();
  }

  return {
    workspace,
    catalog,
    jobs,
    async putRaw(name, rows) {
      await mkdir(rawDir, { recursive: true });
      await writeFile(path.join(rawDir, name), `${[HEADER, ...rows].join('\n')}\n`);
      return `${RAW_LOCATION}${name}`;
    },
    register(name, manifest, extra = {}) {
      jobs.registerJob({
        Name: name,
        manifestPath: path.join(FIXTURES, manifest, 'job.yml'),
        DefaultArguments: ORDERS_ARGS,
        ...extra,
      });
    },
    filesUnder(...parts) {
      const dir = path.join(workspace.home, ...parts);
      return walk(dir, dir);
    },
  };
}

/** Redefines the raw `orders` table: `change` gets its TableInput as it is and returns the new one. */
export async function changeOrdersTable(
  world: JobWorld,
  change: (table: Glue.TableInput & { Name: string }) => Glue.TableInput & { Name: string },
): Promise<void> {
  const { Table: orders } = await world.catalog.getTable({ DatabaseName: 'lake', Name: 'orders' });
  const current = {
    Name: 'orders',
    Parameters: orders?.Parameters,
    StorageDescriptor: orders?.StorageDescriptor ?? {},
    PartitionKeys: orders?.PartitionKeys,
  };
  await world.catalog.updateTable({ DatabaseName: 'lake', TableInput: change(current) });
}

/** Rows of the Parquet files under an output folder (Hive partition folders read as columns), sorted. */
export async function readOutput(dir: string, columns: string): Promise<Record<string, unknown>[]> {
  return withDuckDb((db) =>
    db.queryJson(`SELECT ${columns} FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) ORDER BY ALL`),
  );
}

/** Starts a run of a registered job and waits for its end: the JobRun and the run's counts. */
export async function runJob(world: JobWorld, job: string, args: Record<string, string> = {}) {
  const { JobRunId } = await world.jobs.startJobRun({ JobName: job, Arguments: args });
  const done = await world.jobs.whenDone(JobRunId ?? '');
  return { id: JobRunId ?? '', done, stats: await world.jobs.getRunStats(job, JobRunId ?? '') };
}
