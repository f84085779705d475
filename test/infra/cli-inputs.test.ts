// `serverless package` refuses bad deploy inputs before building anything, naming what to fix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OSLS_BIN, REPO_ROOT } from './package-service';

function packageWith(args: string[]) {
  const out = mkdtempSync(path.join(tmpdir(), 'lakepipe-cli-'));
  try {
    return spawnSync(process.execPath, [OSLS_BIN, 'package', ...args, '--package', path.join(out, 'package')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: out,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_REGION: 'eu-west-1',
      },
      encoding: 'utf8',
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('serverless package inputs', () => {
  it('refuses a stage that cannot name buckets and the Glue database', () => {
    // Prepare / Act
    const run = packageWith(['--stage', 'My-Stage', '--param', 'alertEmail=ops@example.com']);
    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/StageNameError: Stage "My-Stage" is not usable/);
  }, 60_000);

  it('refuses to deploy without an alert address', () => {
    // Prepare / Act
    const run = packageWith(['--stage', 'dev']);
    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/AlertEmailError: Pass the alert address: --param alertEmail=<address>/);
  }, 60_000);
});
