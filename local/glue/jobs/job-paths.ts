// Data files under an output table's location, with what bookmarks compare (size, mtime).
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToS3Uri } from '../../s3/s3-paths';
import { readdirIfExists, type Workspace } from '../../workspace';
import type { SourceFile } from './job-bookmarks';

/** Hadoop and Spark skip files and folders whose name starts with `_` or `.` (markers, temp files). */
function hidden(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/** A file another run's commit moved away between readdir and stat is no longer one of the folder's files. */
async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Data files under a local folder (recursive), sorted, with size and mtime; a missing folder has none. */
export async function listDataFiles(workspace: Workspace, dir: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  async function walk(current: string): Promise<void> {
    const entries = await readdirIfExists(current);
    for (const entry of entries) {
      if (hidden(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const info = await statIfExists(full);
        if (info) out.push({ uri: pathToS3Uri(workspace, full), size: info.size, mtimeMs: info.mtimeMs });
      }
    }
  }
  await walk(dir);
  return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}
