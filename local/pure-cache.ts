// A memo that outlives the process, for slow functions whose answer depends only on their input and the code that
// computes it (asl-validator's verdict on a definition, a SQL translation). It lives where build tools keep theirs,
// node_modules/.cache, so it survives between runs and workspaces and goes with `npm ci`. Any trouble reading or
// writing it only means computing again: the cache can make a run faster, never different.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DEFAULT_DIR = path.resolve(__dirname, '..', 'node_modules', '.cache', 'lakepipe');

/** Where the cache is; `LAKEPIPE_CACHE_DIR` moves it, `LAKEPIPE_CACHE_DIR=off` switches it off. */
function cacheDir(): string | undefined {
  const dir = process.env.LAKEPIPE_CACHE_DIR;
  if (dir === 'off') return undefined;
  return dir ? path.resolve(dir) : DEFAULT_DIR;
}

function entryFile(dir: string, namespace: string, version: string, input: string): string {
  const key = createHash('sha256').update(version).update('\0').update(input).digest('hex');
  return path.join(dir, namespace, `${key}.json`);
}

/**
 * `compute(input)`, or its earlier answer for the same namespace, version and input. `version` must change whenever
 * the answer could (the computing package's version, a hash of the code). Only answers `keep` accepts are stored.
 */
export function cachedPure<T>(
  namespace: string,
  version: string,
  input: string,
  compute: () => T,
  keep: (answer: T) => boolean = () => true,
): T {
  const dir = cacheDir();
  if (dir === undefined) return compute();
  const file = entryFile(dir, namespace, version, input);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { input: string; answer: T };
    // The key is a hash: the stored input settles it.
    if (stored.input === input) return stored.answer;
  } catch {
    // Not cached yet, or unreadable: compute.
  }
  const answer = compute();
  if (keep(answer)) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ input, answer }));
      renameSync(temp, file);
    } catch {
      // A read-only tree still runs, only slower.
    }
  }
  return answer;
}
