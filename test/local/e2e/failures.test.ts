// Failure paths on the twin: a bad file, a failing job then a redrive after the fix, a failed validation,
// a re-run, an interrupted execution, and a definition with an unbound Task.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rerunExecution } from '../../../local/cli/manual-runs';
import { BUCKETS, REPO_ROOT, STATE_MACHINE } from '../../../local/twin/config';
import { summarize } from '../../../local/twin/summary';
import { ASL_FILE } from '../../../local/twin/twin';
import { readJsonIfExists } from '../../../local/workspace';
import { generated, newTwin, outcome, readEml, runFiles, sql, tempDir } from './support';

jest.setTimeout(180_000);

async function emailOf(file: string | undefined): Promise<string> {
  expect(file).toBeDefined();
  const mail = readEml(await readFile(file ?? '', 'utf8'));
  return `Subject: ${mail.headers.subject}\n${mail.body}`;
}

describe('failure paths', () => {
  it('a bad file fails its execution naming the file and reason, is quarantined (kept), and does not poison the next run', async () => {
    const dir = await tempDir();
    const bad = path.join(dir, 'wrong-columns.csv');
    const badContent = 'id,name\n1,foo\n2,bar\n';
    await writeFile(bad, badContent);
    const good = await generated(dir, 'good.csv', { rows: 300, seed: 5, idPrefix: 'OK-' });
    const twin = await newTwin();

    const [failed] = await runFiles(twin, [bad]);
    const [ok] = await runFiles(twin, [good]);

    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toBe('BadInputFile');
    const summary = await summarize(twin, failed ?? (await twin.store.require('x')));
    const eml = await emailOf(summary.notificationFile);
    expect(eml).toContain('raw/customer_transactions/wrong-columns.csv');
    expect(eml).toContain('missing columns: transaction_id, customer_id, transaction_amount, transaction_date');
    expect(eml).toContain('quarantine/raw/customer_transactions/wrong-columns.csv');
    expect(eml).toContain(`lakepipe rerun ${failed?.name}`);
    const quarantined = await twin.s3.headObject({
      Bucket: BUCKETS.raw,
      Key: 'quarantine/raw/customer_transactions/wrong-columns.csv',
    });
    expect(quarantined.ContentLength).toBe(Buffer.byteLength(badContent));
    await expect(
      twin.s3.headObject({ Bucket: BUCKETS.raw, Key: 'raw/customer_transactions/wrong-columns.csv' }),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect(outcome(ok)).toEqual({ status: 'SUCCEEDED' });
  });

  it('a failing job ends FAILED with the job run as cause; after the fix, redrive resumes at the job without re-crawling', async () => {
    const dir = await tempDir();
    const broken = path.join(dir, 'job');
    await cp(path.join(REPO_ROOT, 'datasets', 'customer_transactions'), broken, { recursive: true });
    const step = path.join(broken, 'steps', '07-enriched.sql');
    await writeFile(step, `${(await readFile(step, 'utf8')).replace(/SELECT/, 'SELECT no_such_column,')}`);
    const file = await generated(dir, 'tx.csv', { rows: 200, seed: 6, idPrefix: 'J-' });
    const home = await tempDir();

    const brokenTwin = await newTwin({ jobManifest: path.join(broken, 'job.yml') }, home);
    const [failed] = await runFiles(brokenTwin, [file]);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toBe('States.TaskFailed');
    expect(failed?.cause).toContain('no_such_column');

    const fixedTwin = await newTwin({}, home);
    await fixedTwin.sfn.redriveExecution({ executionArn: failed?.executionArn });
    const redriven = await fixedTwin.sfn.waitFor(failed?.name ?? '');

    expect(outcome(redriven)).toEqual({ status: 'SUCCEEDED' });
    expect(redriven.redriveCount).toBe(1);
    const history = await fixedTwin.store.history(redriven.name);
    const redriveStates = history.filter((e) => e.attempt === 1 && e.type === 'StateEntered' && e.index === undefined);
    expect(redriveStates[0]?.state).toBe('RunJob');
    expect(redriveStates.map((e) => e.state)).not.toContain('CheckCatalog');
    const [row] = await sql(fixedTwin, 'SELECT count(DISTINCT run_id) AS runs, count(*) AS n FROM ingest_audit');
    expect(row).toEqual({ runs: '1', n: '1' });
  });

  it('a failed validation ends FAILED (ValidationFailed) and says which validation and why', async () => {
    const dir = await tempDir();
    const dirty = await generated(dir, 'dirty.csv', { rows: 1000, seed: 7, dirtyRate: 0.4, idPrefix: 'V-' });
    const twin = await newTwin();

    const [record] = await runFiles(twin, [dirty]);

    expect(record?.status).toBe('FAILED');
    expect(record?.error).toBe('ValidationFailed');
    const summary = await summarize(twin, record ?? (await twin.store.require('x')));
    expect(summary.validations.find((v) => v.name === 'rejected_share')?.passed).toBe(false);
    const eml = await emailOf(summary.notificationFile);
    expect(eml).toMatch(/^Subject: .*[Vv]alidation.*$/m);
    expect(eml).toContain('rejected_share');
  });

  it('a re-run starts <name>-rerun-1 with the same input, and it loads nothing twice', async () => {
    const dir = await tempDir();
    const file = await generated(dir, 'r.csv', { rows: 250, seed: 8, idPrefix: 'R-' });
    const twin = await newTwin();
    const [first] = await runFiles(twin, [file]);

    const out = await rerunExecution(twin.sfn, STATE_MACHINE.arn, first?.name ?? '');
    const rerun = await twin.sfn.waitFor(out.name);

    expect(out.name).toBe(`${first?.name}-rerun-1`);
    expect(outcome(rerun)).toEqual({ status: 'SUCCEEDED' });
    const firstInput = (first?.input ?? {}) as { objects?: unknown };
    expect(rerun.input).toMatchObject({ objects: firstInput.objects, trigger: 'manual' });
    const [row] = await sql(
      twin,
      'SELECT count(*) AS n, count(DISTINCT transaction_id) AS d FROM transactions_enriched',
    );
    expect(row?.n).toBe(row?.d);
  });

  it('an execution interrupted by a killed process is marked ABORTED, and redrive completes it', async () => {
    const dir = await tempDir();
    const home = await tempDir();
    const file = await generated(dir, 'k.csv', { rows: 100, seed: 9, idPrefix: 'K-' });
    // A slow crawler poll (Wait 30 s x 0.5) keeps the child busy long enough to be killed mid-run.
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'lakepipe.cjs'), 'run', file, '--home', home], {
      env: { ...process.env, LAKEPIPE_TIME_SCALE: '0.5' },
      stdio: 'ignore',
    });
    const executions = path.join(home, 'executions');
    const waitingName = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(async () => {
        for (const name of existsSync(executions)
          ? await import('node:fs/promises').then((f) => f.readdir(executions))
          : []) {
          const history = await readJsonIfExists<{ state?: string }[]>(path.join(executions, name, 'history.json'));
          if (history?.some((e) => e.state === 'WaitForCrawl' || e.state === 'RunJob')) {
            clearInterval(timer);
            resolve(name);
          }
        }
      }, 100);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run ended before it could be interrupted'));
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const twin = await newTwin({}, home);
    const interrupted = await twin.store.require(waitingName);
    expect(interrupted.status).toBe('ABORTED');
    await twin.sfn.redriveExecution({ executionArn: interrupted.executionArn });
    expect(outcome(await twin.sfn.waitFor(waitingName))).toEqual({ status: 'SUCCEEDED' });
  });

  it('refuses to start when the definition has a Task without a local binding, naming the state', async () => {
    const dir = await tempDir();
    const asl = path.join(dir, 'pipeline.asl.yml');
    const text = await readFile(ASL_FILE, 'utf8');
    await writeFile(
      asl,
      text.replace(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's own placeholder text, replaced here
        'Resource: ${PrepareValidationsFunctionArn}',
        'Resource: arn:aws:lambda:eu-west-1:123456789012:function:somebody-elses-function',
      ),
    );

    await expect(newTwin({ aslFile: asl })).rejects.toMatchObject({
      name: 'UnboundTaskError',
      message: expect.stringContaining('PrepareValidations'),
    });
  });
});
