// Local Glue jobs: job definitions registered by the twin, runs executed in the background by the DuckDB manifest
// runner, JobRun records persisted under `<home>/jobs/<job>/runs/<JobRunId>.json` in Glue's shapes.

import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type * as Glue from '@aws-sdk/client-glue';
import { AwsServiceError, errorMessage } from '../../../functions/shared/errors';
import { wasInterrupted } from '../../interrupted-runs';
import { pageOf } from '../../paging';
import { readJsonIfExists, type Workspace, writeJsonAtomic } from '../../workspace';
import { JobBookmarks } from './job-bookmarks';
import { type JobManifest, loadManifest } from './job-manifest';
import type { JobCatalog } from './job-output';
import { executeJobRun, JobRunError, type JobRunRequest, type JobRunStats } from './job-runner';

export interface LocalJobDefinition {
  Name: string;
  /** `glue-jobs/<job>/job.yml` */
  manifestPath: string;
  /** e.g. `--curated_location`, `--as_of`; a run's Arguments override them. */
  DefaultArguments?: Record<string, string>;
  /** Glue's ExecutionProperty.MaxConcurrentRuns; default 1 as in Glue. */
  MaxConcurrentRuns?: number;
  /** Minutes; default 2880 as in Glue. */
  Timeout?: number;
}

export interface LocalGlueJobsOptions {
  workspace: Workspace;
  catalog: JobCatalog;
  clock?: () => Date;
  threads?: number;
  memoryLimit?: string;
  shimsFile?: string;
  /** Runner tuning (bench/job.ts measures both); defaults are the runner's. */
  runner?: Pick<JobRunRequest, 'stepsAs' | 'materializeSource'>;
  /**
   * The value of a secret parameter, from its argument's name and the run's value of that argument (on AWS the
   * name of an SSM parameter); without a store, a manifest with a secret parameter fails its runs.
   */
  secrets?: (argument: string, given: string | undefined) => Promise<string>;
}

/** `text` with every secret value replaced. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, '***') : out), text);
}

/** What `<home>/jobs/<job>/runs/<id>.json` holds: the JobRun (dates as ISO text) and the run's counts. */
interface StoredRun {
  /** The process running it, while it is in progress. */
  pid?: number;
  jobRun: Omit<Glue.JobRun, 'StartedOn' | 'CompletedOn' | 'LastModifiedOn'> & {
    StartedOn?: string;
    CompletedOn?: string;
    LastModifiedOn?: string;
  };
  /** Rows read from the source and written per output; present once the run succeeded. */
  stats?: JobRunStats;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR', 'EXPIRED']);
const RUN_ID = /^jr_[0-9a-f]{64}$/;

function toJobRun(stored: StoredRun['jobRun']): Glue.JobRun {
  const { StartedOn, CompletedOn, LastModifiedOn, ...rest } = stored;
  return {
    ...rest,
    ...(StartedOn ? { StartedOn: new Date(StartedOn) } : {}),
    ...(LastModifiedOn ? { LastModifiedOn: new Date(LastModifiedOn) } : {}),
    ...(CompletedOn ? { CompletedOn: new Date(CompletedOn) } : {}),
  };
}

export class LocalGlueJobs {
  private readonly definitions = new Map<string, LocalJobDefinition>();
  /** Runs executing in this process, by JobRunId. */
  private readonly active = new Map<string, { jobName: string; done: Promise<Glue.JobRun> }>();
  private readonly bookmarks: JobBookmarks;
  private readonly clock: () => Date;

  constructor(private readonly options: LocalGlueJobsOptions) {
    this.bookmarks = new JobBookmarks(options.workspace);
    this.clock = options.clock ?? (() => new Date());
  }

  registerJob(definition: LocalJobDefinition): void {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(definition.Name)) {
      throw new AwsServiceError('InvalidInputException', `Job name ${JSON.stringify(definition.Name)} is not valid.`);
    }
    this.definitions.set(definition.Name, definition);
  }

  private definition(name: string | undefined): LocalJobDefinition {
    const def = name === undefined ? undefined : this.definitions.get(name);
    if (!def) throw new AwsServiceError('EntityNotFoundException', `Job ${name} not found`);
    return def;
  }

  private runFile(jobName: string, runId: string): string {
    return this.options.workspace.dir('jobs', jobName, 'runs', `${runId}.json`);
  }

  private async readRun(jobName: string, runId: string): Promise<StoredRun | undefined> {
    if (!RUN_ID.test(runId)) return undefined;
    // Decided before reading: a run that ends while its file is read must not look abandoned.
    const runsHere = this.active.has(runId);
    const stored = await readJsonIfExists<StoredRun>(this.runFile(jobName, runId));
    if (!stored) return undefined;
    if (!TERMINAL.has(stored.jobRun.JobRunState ?? '') && wasInterrupted(stored.pid, runsHere)) {
      stored.jobRun = {
        ...stored.jobRun,
        JobRunState: 'FAILED',
        ErrorMessage: 'The local twin stopped while this run was in progress; start a new run.',
      };
    }
    return stored;
  }

  private async writeRun(stored: StoredRun): Promise<void> {
    await writeJsonAtomic(this.runFile(stored.jobRun.JobName ?? '', stored.jobRun.Id ?? ''), stored);
  }

  async startJobRun(input: Glue.StartJobRunRequest): Promise<Glue.StartJobRunResponse> {
    const def = this.definition(input.JobName);
    const running = [...this.active.values()].filter((run) => run.jobName === def.Name).length;
    const max = def.MaxConcurrentRuns ?? 1;
    if (running >= max) {
      throw new AwsServiceError(
        'ConcurrentRunsExceededException',
        `Concurrent runs exceeded for ${def.Name}: ${running} run(s) active, MaxConcurrentRuns is ${max}.`,
      );
    }
    const id = `jr_${randomBytes(32).toString('hex')}`;
    const now = this.clock();
    const timeout = input.Timeout ?? def.Timeout ?? 2880;
    const stored: StoredRun = {
      pid: process.pid,
      jobRun: {
        Id: id,
        Attempt: 0,
        JobName: def.Name,
        JobMode: 'SCRIPT',
        StartedOn: now.toISOString(),
        LastModifiedOn: now.toISOString(),
        JobRunState: 'STARTING',
        Arguments: { ...(def.DefaultArguments ?? {}), ...(input.Arguments ?? {}) },
        PredecessorRuns: [],
        ExecutionTime: 0,
        Timeout: timeout,
        GlueVersion: '5.0',
        ExecutionClass: 'STANDARD',
      },
    };
    // Registered before the first await, so a second start in the same tick already counts this run.
    const persisted = this.writeRun(stored);
    const done = persisted.then(() => this.execute(stored, def, timeout, now));
    this.active.set(id, { jobName: def.Name, done });
    done.then(
      () => this.active.delete(id),
      () => this.active.delete(id),
    );
    await persisted;
    return { JobRunId: id };
  }

  private async execute(
    stored: StoredRun,
    def: LocalJobDefinition,
    timeoutMinutes: number,
    startedOn: Date,
  ): Promise<Glue.JobRun> {
    const id = stored.jobRun.Id ?? '';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMinutes * 60_000);
    timer.unref();
    const t0 = performance.now();
    let jobRun = { ...stored.jobRun };
    let secrets: Record<string, string> = {};
    try {
      jobRun = { ...jobRun, JobRunState: 'RUNNING', LastModifiedOn: this.clock().toISOString() };
      await this.writeRun({ jobRun });
      await this.removeStaleStaging(def.Name);
      const manifest = await loadManifest(def.manifestPath);
      secrets = await this.secretValues(manifest, jobRun.Arguments ?? {});
      const stats = await executeJobRun({
        workspace: this.options.workspace,
        catalog: this.options.catalog,
        bookmarks: this.bookmarks,
        manifest,
        jobName: def.Name,
        runId: id,
        args: jobRun.Arguments ?? {},
        secrets,
        startedOn,
        signal: controller.signal,
        threads: this.options.threads,
        memoryLimit: this.options.memoryLimit,
        shimsFile: this.options.shimsFile,
        ...this.options.runner,
      });
      jobRun = this.finished(jobRun, 'SUCCEEDED', t0);
      await this.writeRun({ jobRun, stats });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      jobRun = this.finished(jobRun, timedOut ? 'TIMEOUT' : 'FAILED', t0);
      // A step's error may quote a value computed from a secret: the record never holds one.
      jobRun.ErrorMessage = timedOut
        ? `Job run timed out after ${timeoutMinutes} minute(s).`
        : redact(errorMessage(error), Object.values(secrets));
      await this.writeRun({ jobRun });
    } finally {
      clearTimeout(timer);
    }
    return toJobRun(jobRun);
  }

  /** The manifest's secret parameters' values, by parameter name, from the secret store. */
  private async secretValues(manifest: JobManifest, args: Record<string, string>): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const [name, p] of Object.entries(manifest.parameters)) {
      if (!p.secret) continue;
      if (!this.options.secrets) throw new JobRunError(`secret parameter ${name} has no value: no secret store`);
      values[name] = await this.options.secrets(p.argument, args[`--${p.argument}`]);
    }
    return values;
  }

  /** Staging (and spill) folders of runs that a stopped twin left behind: never visible, but they hold disk. */
  private async removeStaleStaging(jobName: string): Promise<void> {
    const dir = this.options.workspace.dir('jobs', jobName, 'staging');
    let entries: string[] = [];
    try {
      entries = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const entry of entries) {
      if (!this.active.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }

  private finished(jobRun: StoredRun['jobRun'], state: Glue.JobRunState, t0: number): StoredRun['jobRun'] {
    const now = this.clock().toISOString();
    return {
      ...jobRun,
      JobRunState: state,
      CompletedOn: now,
      LastModifiedOn: now,
      ExecutionTime: Math.round((performance.now() - t0) / 1000),
    };
  }

  /** Resolves with the final JobRun once the run ends (never rejects: failures are in JobRunState). */
  async whenDone(runId: string): Promise<Glue.JobRun> {
    const active = this.active.get(runId);
    if (active) return active.done;
    for (const name of this.definitions.keys()) {
      const stored = await this.readRun(name, runId);
      if (stored) return toJobRun(stored.jobRun);
    }
    throw new AwsServiceError('EntityNotFoundException', `Job run ${runId} not found`);
  }

  async getJobRun(input: Glue.GetJobRunRequest): Promise<Glue.GetJobRunResponse> {
    const def = this.definition(input.JobName);
    const stored = await this.readRun(def.Name, input.RunId ?? '');
    if (!stored) throw new AwsServiceError('EntityNotFoundException', `Job run ${input.RunId} not found`);
    return { JobRun: toJobRun(stored.jobRun) };
  }

  /** Newest first, like Glue; NextToken is an offset. */
  async getJobRuns(input: Glue.GetJobRunsRequest): Promise<Glue.GetJobRunsResponse> {
    const def = this.definition(input.JobName);
    const dir = this.options.workspace.dir('jobs', def.Name, 'runs');
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const runs: Glue.JobRun[] = [];
    for (const name of names) {
      const stored = await this.readRun(def.Name, path.basename(name, '.json'));
      if (stored) runs.push(toJobRun(stored.jobRun));
    }
    runs.sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0));
    const { page, next } = pageOf(runs, input.NextToken, Math.min(input.MaxResults ?? 100, 200));
    return { JobRuns: page, ...(next ? { NextToken: next } : {}) };
  }

  /** Rows read from the source and written per output of a succeeded run (the twin's summary shows them). */
  async getRunStats(jobName: string, runId: string): Promise<JobRunStats | undefined> {
    return (await this.readRun(jobName, runId))?.stats;
  }
}
