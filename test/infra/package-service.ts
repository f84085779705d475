// Runs `serverless package` (the osls CLI, never the serverless v4 that serverless-step-functions drags in)
// on a copy of the service in a temp folder, with dummy credentials and, where Linux allows an
// unprivileged network namespace, with no network at all: packaging must never call AWS or a registry.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readZip, type ZipEntry } from './zip-reader';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const OSLS_BIN = path.join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
export const STAGE = 'test';
export const REGION = 'eu-west-1';
export const ALERT_EMAIL = 'ops@example.com';

/** What the packaged service is made of; the rest of the repository is irrelevant to the template. */
const SERVICE_PATHS = [
  'serverless.yml',
  'package.json',
  'tsconfig.json',
  'infra',
  'functions',
  'state-machines',
  'datasets',
  'glue-jobs',
];

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped by nature
export type Cfn = any;

export interface PackagedService {
  dir: string;
  template: { Resources: Record<string, Cfn>; Outputs: Record<string, Cfn> };
  zips: Map<string, ZipEntry[]>;
  networkIsolated: boolean;
  seconds: number;
  output: string;
}

export class PackageFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageFailedError';
  }
}

function canIsolateNetwork(): boolean {
  return spawnSync('unshare', ['-rn', 'true'], { stdio: 'ignore' }).status === 0;
}

export interface PackageRun {
  dir: string;
  out: string;
  status: number | null;
  output: string;
  stderr: string;
  networkIsolated: boolean;
  seconds: number;
}

/**
 * Runs `serverless package` on a fresh copy of the service; `prepare` may change the copy first (say, add a
 * dataset folder). The caller removes `dir`.
 */
export function runPackage(prepare?: (serviceDir: string) => void): PackageRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'lakepipe-package-'));
  const service = path.join(dir, 'service');
  for (const p of SERVICE_PATHS) {
    if (existsSync(path.join(REPO_ROOT, p)))
      cpSync(path.join(REPO_ROOT, p), path.join(service, p), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(service, 'node_modules'), 'dir');
  prepare?.(service);
  const out = path.join(dir, 'package');
  const args = [OSLS_BIN, 'package', '--stage', STAGE, '--param', `alertEmail=${ALERT_EMAIL}`, '--package', out];
  const networkIsolated = canIsolateNetwork();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir, // no ~/.aws, no ~/.serverlessrc of whoever runs the tests
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: REGION,
    SLS_TELEMETRY_DISABLED: '1',
  };
  const started = Date.now();
  const run = networkIsolated
    ? spawnSync('unshare', ['-rn', process.execPath, ...args], { cwd: service, env, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { cwd: service, env, encoding: 'utf8' });
  const seconds = (Date.now() - started) / 1000;
  return {
    dir,
    out,
    status: run.status,
    output: `${run.stdout}\n${run.stderr}`,
    stderr: run.stderr,
    networkIsolated,
    seconds,
  };
}

export function packageService(prepare?: (serviceDir: string) => void): PackagedService {
  const { dir, out, status, output, networkIsolated, seconds } = runPackage(prepare);
  if (status !== 0) throw new PackageFailedError(`serverless package failed (${status}):\n${output}`);
  const template = JSON.parse(readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  const zips = new Map<string, ZipEntry[]>();
  for (const file of readdirSync(out).filter((f) => f.endsWith('.zip'))) {
    zips.set(path.basename(file, '.zip'), readZip(readFileSync(path.join(out, file))));
  }
  return { dir, template, zips, networkIsolated, seconds, output };
}
