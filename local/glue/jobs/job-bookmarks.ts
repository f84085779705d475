// Job bookmarks: which source files earlier successful runs have read. Like Glue's S3 bookmarks, a file counts as
// read only with the size and modification time it had; a file rewritten in place is read again.
import path from 'node:path';
import type { Workspace } from '../../workspace';
import { readJsonIfExists, writeJsonAtomic } from '../../workspace';

export interface SourceFile {
  /** s3://bucket/key */
  uri: string;
  size: number;
  mtimeMs: number;
}

interface BookmarkFile {
  jobName: string;
  /** Run that last moved the bookmark. */
  runId: string;
  updatedAt: string;
  files: Record<string, { size: number; mtimeMs: number }>;
}

export class JobBookmarks {
  constructor(private readonly workspace: Workspace) {}

  private file(jobName: string): string {
    return this.workspace.dir('jobs', jobName, 'bookmark.json');
  }

  /** Files of `candidates` that no earlier successful run has read (in their current version). */
  async unread(jobName: string, candidates: SourceFile[]): Promise<SourceFile[]> {
    const mark = await readJsonIfExists<BookmarkFile>(this.file(jobName));
    if (!mark) return candidates;
    return candidates.filter((f) => {
      const seen = mark.files[f.uri];
      return !seen || seen.size !== f.size || seen.mtimeMs !== f.mtimeMs;
    });
  }

  /** Records that run `runId` read `files`; called only when the run commits. */
  async advance(jobName: string, runId: string, files: SourceFile[], now: Date): Promise<void> {
    const mark = (await readJsonIfExists<BookmarkFile>(this.file(jobName))) ?? {
      jobName,
      runId,
      updatedAt: now.toISOString(),
      files: {},
    };
    for (const f of files) mark.files[f.uri] = { size: f.size, mtimeMs: f.mtimeMs };
    await writeJsonAtomic(this.file(jobName), { ...mark, runId, updatedAt: now.toISOString() });
  }

  /** Where the bookmark lives, for operators. */
  location(jobName: string): string {
    return path.relative(this.workspace.home, this.file(jobName));
  }
}
