// The customer_profiles job on the twin's DuckDB manifest runner (local/glue/jobs/job-runner.ts): a real workspace,
// a crawled-like JSON lines source table, bookmarks across two runs; the latest profile per customer wins, the
// email never reaches an output file in clear, and its hash depends on the salt. Then its validations.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sqlString } from '../../functions/shared/sql-literal';
import { datasetNamed } from '../../infra/registry.cjs';
import { DuckDb } from '../../local/duckdb';
import { emptyProfileStats, PROFILE_COLUMNS, profileLines } from '../../local/generate/profiles';
import { LocalGlueCatalog } from '../../local/glue/catalog/catalog';
import { buildTableScan } from '../../local/glue/catalog/table-scan';
import { JobBookmarks } from '../../local/glue/jobs/job-bookmarks';
import { loadManifest } from '../../local/glue/jobs/job-manifest';
import { executeJobRun } from '../../local/glue/jobs/job-runner';
import { prepareTrinoSession } from '../../local/sql/trino/session';
import { translateTrino } from '../../local/sql/trino/translate';
import { Workspace } from '../../local/workspace';
import { renderValidation } from '../etl/job-harness';

const DATASET = datasetNamed('customer_profiles');
const DATABASE = 'lakepipe_test';
const RAW = 's3://lakepipe-raw/customer_profiles/';
const RUN_1 = 'customer_profiles-20240401T000000Z-1111111111';
const RUN_2 = 'customer_profiles-20240405T000000Z-2222222222';

type Line = Partial<Record<(typeof PROFILE_COLUMNS)[number], string | null>>;

const FILE_1: Line[] = [
  {
    customer_id: 'C1',
    email: 'Ana@Example.com',
    country: 'de',
    loyalty_tier: 'bronze',
    signup_date: '2024-01-05',
    updated_at: '2024-02-01T10:00:00Z',
  },
  {
    customer_id: 'C1',
    email: 'ana.new@example.com',
    country: 'DE',
    loyalty_tier: 'gold',
    signup_date: '2024-01-05',
    updated_at: '2024-03-01T10:00:00Z',
  },
  {
    customer_id: 'C2',
    email: 'ben@example.org',
    country: 'FR',
    loyalty_tier: 'silver',
    signup_date: '2024-01-10',
    updated_at: '2024-02-15T08:30:00Z',
  },
  { customer_id: null, email: 'ghost@example.com', updated_at: '2024-02-01T00:00:00Z' },
  { customer_id: 'C4', email: 'not-an-email', updated_at: '2024-02-01T00:00:00Z' },
  { customer_id: 'C5', email: 'eva@example.com', updated_at: 'yesterday' },
];
// C1's line is older than its current profile (it must not win); C2's is newer; C3 is new.
const FILE_2: Line[] = [
  {
    customer_id: 'C1',
    email: 'ana.old@example.com',
    country: 'DE',
    loyalty_tier: 'bronze',
    signup_date: '2024-01-05',
    updated_at: '2024-02-20T10:00:00Z',
  },
  {
    customer_id: 'C2',
    email: 'ben.b@example.org',
    country: 'ES',
    loyalty_tier: 'gold',
    signup_date: '2024-01-10',
    updated_at: '2024-04-01T09:00:00Z',
  },
  {
    customer_id: 'C3',
    email: 'chloe@example.net',
    country: 'NL',
    signup_date: 'soon',
    updated_at: '2024-04-02T09:00:00Z',
  },
  { customer_id: 'C6', email: 'dev@example.com', country: 'PL', updated_at: '2024-04-02T09:00:00Z' },
];
const EMAILS = [...FILE_1, ...FILE_2].map((l) => l.email).filter((e): e is string => Boolean(e));

const saltedHash = (salt: string, email: string) =>
  createHash('sha256')
    .update(salt + email.trim().toLowerCase())
    .digest('hex');

interface Lake {
  home: string;
  workspace: Workspace;
  catalog: LocalGlueCatalog;
}

async function newLake(): Promise<Lake> {
  const home = await mkdtemp(path.join(tmpdir(), 'lakepipe-profiles-'));
  const workspace = await Workspace.open(home);
  const catalog = new LocalGlueCatalog(workspace);
  await catalog.createDatabase({ DatabaseInput: { Name: DATABASE } });
  // The table a crawler makes of JSON lines files (the runner reads every key as text).
  await catalog.createTable({
    DatabaseName: DATABASE,
    TableInput: {
      Name: 'customer_profiles',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'json' },
      StorageDescriptor: {
        Columns: PROFILE_COLUMNS.map((Name) => ({ Name, Type: 'string' })),
        Location: RAW,
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        SerdeInfo: {
          SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          Parameters: { paths: PROFILE_COLUMNS.join(',') },
        },
      },
    },
  });
  return { home, workspace, catalog };
}

async function landAndRun(lake: Lake, key: string, lines: Line[] | string, runId: string, salt: string): Promise<void> {
  const target = lake.workspace.dir('buckets', 'lakepipe-raw', 'customer_profiles', key);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, typeof lines === 'string' ? lines : lines.map((l) => JSON.stringify(l)).join('\n'));
  await executeJobRun({
    workspace: lake.workspace,
    catalog: lake.catalog,
    bookmarks: new JobBookmarks(lake.workspace),
    manifest: await loadManifest(DATASET.job.manifestFile),
    jobName: DATASET.job.name,
    runId,
    args: {
      '--database': DATABASE,
      '--source_table': 'customer_profiles',
      '--curated_location': 's3://lakepipe-curated/',
      '--run_id': runId,
    },
    // A secret parameter: its value reaches job_args, never the run's arguments.
    secrets: { email_salt: salt },
    startedOn: new Date('2024-04-05T06:00:00Z'),
    threads: 1,
    memoryLimit: '512MB',
  });
}

/** A DuckDB with one view per catalog table in schema DATABASE and a Trino session, like local Athena. */
async function openLake(lake: Lake): Promise<DuckDb> {
  const db = await DuckDb.open({ threads: 1, memoryLimit: '256MB' });
  await prepareTrinoSession(db.connection);
  await db.run(`CREATE SCHEMA ${DATABASE}`);
  const { TableList = [] } = await lake.catalog.getTables({ DatabaseName: DATABASE });
  for (const table of TableList) {
    const { Partitions = [] } = await lake.catalog.getPartitions({ DatabaseName: DATABASE, TableName: table.Name });
    const { sql } = await buildTableScan(db, lake.workspace, { table, partitions: Partitions });
    await db.run(`CREATE VIEW ${DATABASE}.${table.Name} AS ${sql}`);
  }
  return db;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

let lake: Lake;
let other: Lake;

beforeAll(async () => {
  lake = await newLake();
  await landAndRun(lake, 'export-1.jsonl', FILE_1, RUN_1, 'salt-one');
  await landAndRun(lake, 'export-2.jsonl', FILE_2, RUN_2, 'salt-one');
  other = await newLake();
  await landAndRun(other, 'export-1.jsonl', FILE_1, RUN_1, 'salt-two');
}, 60_000);

afterAll(async () => {
  await rm(lake.home, { recursive: true, force: true });
  await rm(other.home, { recursive: true, force: true });
});

describe('customer_profiles on the DuckDB runner', () => {
  it('keeps the latest valid profile per customer, with the lineage of the run that read it', async () => {
    // Prepare
    const db = await openLake(lake);
    try {
      // Act
      const current = await db.queryJson(
        `SELECT customer_id, email_sha256, country, loyalty_tier, CAST(signup_date AS VARCHAR) AS signup_date,
           CAST(updated_at AS VARCHAR) AS updated_at, source_file, run_id
         FROM ${DATABASE}.customer_profiles_current ORDER BY customer_id`,
      );
      // Assess
      expect(current).toEqual([
        {
          customer_id: 'C1',
          email_sha256: saltedHash('salt-one', 'ana.new@example.com'),
          country: 'DE',
          loyalty_tier: 'gold',
          signup_date: '2024-01-05',
          updated_at: '2024-03-01 10:00:00',
          source_file: `${RAW}export-1.jsonl`,
          run_id: RUN_1,
        },
        {
          customer_id: 'C2',
          email_sha256: saltedHash('salt-one', 'ben.b@example.org'),
          country: 'ES',
          loyalty_tier: 'gold',
          signup_date: '2024-01-10',
          updated_at: '2024-04-01 09:00:00',
          source_file: `${RAW}export-2.jsonl`,
          run_id: RUN_2,
        },
        {
          customer_id: 'C6',
          email_sha256: saltedHash('salt-one', 'dev@example.com'),
          country: 'PL',
          loyalty_tier: null,
          signup_date: null,
          updated_at: '2024-04-02 09:00:00',
          source_file: `${RAW}export-2.jsonl`,
          run_id: RUN_2,
        },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps every rejected row with its reason and lineage', async () => {
    // Prepare
    const db = await openLake(lake);
    try {
      // Act
      const rejected = await db.queryJson(
        `SELECT customer_id, email_sha256, reject_reason, run_id FROM ${DATABASE}.rejected_profiles
         ORDER BY run_id, reject_reason`,
      );
      // Assess
      expect(rejected).toEqual([
        {
          customer_id: 'C4',
          email_sha256: saltedHash('salt-one', 'not-an-email'),
          reject_reason: 'invalid_email',
          run_id: RUN_1,
        },
        {
          customer_id: null,
          email_sha256: saltedHash('salt-one', 'ghost@example.com'),
          reject_reason: 'missing_customer_id',
          run_id: RUN_1,
        },
        {
          customer_id: 'C5',
          email_sha256: saltedHash('salt-one', 'eva@example.com'),
          reject_reason: 'unparseable_updated_at',
          run_id: RUN_1,
        },
        {
          customer_id: 'C3',
          email_sha256: saltedHash('salt-one', 'chloe@example.net'),
          reject_reason: 'unparseable_signup_date',
          run_id: RUN_2,
        },
      ]);
    } finally {
      db.close();
    }
  });

  it('writes no email in clear to any output file', async () => {
    // Prepare
    const curated = lake.workspace.dir('buckets', 'lakepipe-curated');
    const files = await filesUnder(curated);
    const db = await DuckDb.open({ threads: 1 });
    try {
      // Act: every value of every Parquet file as text, and every other file's bytes
      const texts = await Promise.all(
        files.map(async (file) =>
          file.endsWith('.parquet')
            ? JSON.stringify(await db.queryJson(`SELECT * FROM read_parquet(${sqlString(file)})`))
            : readFile(file, 'utf8'),
        ),
      );
      // Assess
      expect(files.filter((f) => f.endsWith('.parquet')).length).toBeGreaterThanOrEqual(3);
      const all = texts.join('\n').toLowerCase();
      expect(EMAILS.filter((email) => all.includes(email.toLowerCase()))).toEqual([]);
      expect(all).not.toContain('@');
    } finally {
      db.close();
    }
  });

  it('salts the hash: another salt gives other hashes for the same addresses', async () => {
    // Prepare
    const one = await openLake(lake);
    const two = await openLake(other);
    try {
      // Act
      const query = `SELECT email_sha256 FROM ${DATABASE}.rejected_profiles WHERE run_id = ${sqlString(RUN_1)} ORDER BY customer_id`;
      const a = (await one.queryJson(query)).map((r) => r.email_sha256);
      const b = (await two.queryJson(query)).map((r) => r.email_sha256);
      // Assess
      expect(a).toHaveLength(3);
      expect(b).toEqual([
        saltedHash('salt-two', 'not-an-email'),
        saltedHash('salt-two', 'eva@example.com'),
        saltedHash('salt-two', 'ghost@example.com'),
      ]);
      expect(b.filter((hash) => a.includes(hash))).toEqual([]);
    } finally {
      one.close();
      two.close();
    }
  });

  it('passes its validations for run 2', async () => {
    // Prepare
    const db = await openLake(lake);
    try {
      const results: Record<string, unknown> = {};
      for (const name of DATASET.checks) {
        const sql = await readFile(path.join(DATASET.dir, 'validations', `${name}.sql`), 'utf8');
        // Act: translated from Trino as local Athena does
        const rendered = renderValidation(sql, { database: DATABASE, runId: RUN_2, share: 0.05 });
        const rows = await db.queryJson(translateTrino(rendered));
        results[name] = rows[0]?.passed;
      }
      // Assess
      expect(results).toEqual(Object.fromEntries(DATASET.checks.map((name) => [name, true])));
      expect(DATASET.checks).toHaveLength(5);
    } finally {
      db.close();
    }
  });

  it('takes what `lakepipe generate --dataset customer_profiles` writes: one profile per customer, every dirty row rejected', async () => {
    // Prepare
    const generated = await newLake();
    const stats = emptyProfileStats();
    const text = [...profileLines({ rows: 600, seed: 17, dirtyRate: 0.05 }, stats)].join('');
    const profiles = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string | null>);
    try {
      // Act
      await landAndRun(generated, 'generated.jsonl', text, RUN_1, 'salt-one');
      const db = await openLake(generated);
      try {
        const [counts] = await db.queryJson(
          `SELECT (SELECT count(*) FROM ${DATABASE}.customer_profiles_current) AS profiles,
             (SELECT count(DISTINCT customer_id) FROM ${DATABASE}.customer_profiles_current) AS customers,
             (SELECT count(*) FROM ${DATABASE}.rejected_profiles) AS rejected`,
        );
        // Assess: every generated dirty row is rejected, each customer with a valid line has one profile
        const dirty = Object.values(stats.dirty).reduce((a, b) => a + b, 0);
        expect(dirty).toBeGreaterThan(10);
        expect(Number(counts?.rejected)).toBe(dirty);
        expect(Number(counts?.profiles)).toBe(Number(counts?.customers));
        expect(Number(counts?.profiles)).toBeLessThan(profiles.length - dirty);
        expect(stats.updatedCustomers).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    } finally {
      await rm(generated.home, { recursive: true, force: true });
    }
  });
});
