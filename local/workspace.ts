// The local twin's workspace (`.lakepipe/` or `--home`): one folder per service, every write atomic.
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrorCode } from '../functions/shared/errors';

export const WORKSPACE_FOLDERS = [
  'buckets',
  'catalog',
  'crawlers',
  'jobs',
  'executions',
  'queries',
  'outbox',
  'landing',
] as const;
export type WorkspaceFolder = (typeof WORKSPACE_FOLDERS)[number];

export class Workspace {
  readonly home: string;

  constructor(home: string) {
    this.home = path.resolve(home);
  }

  /** Creates the workspace folders (idempotent) and returns the workspace. */
  static async open(home: string): Promise<Workspace> {
    const ws = new Workspace(home);
    await Promise.all(WORKSPACE_FOLDERS.map((f) => mkdir(ws.dir(f), { recursive: true })));
    return ws;
  }

  dir(folder: WorkspaceFolder, ...parts: string[]): string {
    return path.join(this.home, folder, ...parts);
  }
}

function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/** Writes a file atomically: a temp file in the same folder, then rename. A crash leaves the last good state. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await writeFile(tmp, data);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a JSON file; `undefined` when it does not exist. */
export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** A folder's entries; none when it does not exist (or is a file): a bucket or table with no data yet. */
export async function readdirIfExists(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}
