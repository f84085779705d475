// The persistent memo of slow pure functions (local/pure-cache.ts): an answer is reused only for the same
// namespace, version and input, only answers `keep` accepts are stored, and a damaged entry is computed again.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedPure } from '../../local/pure-cache';
import { validateAsl } from '../../local/sfn/definition';

let dir: string;
const saved = process.env.LAKEPIPE_CACHE_DIR;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lakepipe-cache-'));
  process.env.LAKEPIPE_CACHE_DIR = dir;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.LAKEPIPE_CACHE_DIR;
  else process.env.LAKEPIPE_CACHE_DIR = saved;
});

function counting<T>(answer: T) {
  const calls = { n: 0 };
  const compute = () => {
    calls.n += 1;
    return answer;
  };
  return { calls, compute };
}

describe('cachedPure', () => {
  it('computes once for the same namespace, version and input, again when any of them changes', () => {
    // Prepare
    const { calls, compute } = counting({ sql: 'SELECT 1' });
    // Act
    const answers = [
      cachedPure('t', 'v1', 'a', compute),
      cachedPure('t', 'v1', 'a', compute),
      cachedPure('t', 'v2', 'a', compute),
      cachedPure('t', 'v1', 'b', compute),
      cachedPure('u', 'v1', 'a', compute),
    ];
    // Assess
    expect(answers).toEqual(Array(5).fill({ sql: 'SELECT 1' }));
    expect(calls.n).toBe(4);
  });

  it('stores only the answers `keep` accepts', () => {
    // Prepare
    const { calls, compute } = counting(['an error']);
    // Act
    cachedPure('t', 'v', 'bad', compute, (a) => a.length === 0);
    cachedPure('t', 'v', 'bad', compute, (a) => a.length === 0);
    // Assess
    expect(calls.n).toBe(2);
  });

  it('computes again over a damaged entry, and not at all from the cache when it is off', () => {
    // Prepare
    const { calls, compute } = counting(42);
    cachedPure('t', 'v', 'x', compute);
    const [entry] = readdirSync(path.join(dir, 't'));
    writeFileSync(path.join(dir, 't', entry ?? ''), '{"inp');
    // Act
    const repaired = cachedPure('t', 'v', 'x', compute);
    process.env.LAKEPIPE_CACHE_DIR = 'off';
    cachedPure('t', 'v', 'x', compute);
    // Assess
    expect(repaired).toBe(42);
    expect(calls.n).toBe(3);
  });
});

describe('validateAsl through the cache', () => {
  it('reports an invalid definition every time (a refusal is never remembered as a pass)', () => {
    // Prepare
    const invalid = { StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } };
    // Act
    const first = validateAsl(invalid);
    const second = validateAsl(invalid);
    // Assess
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(validateAsl({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })).toEqual([]);
    expect(readdirSync(path.join(dir, 'asl-validator'))).toHaveLength(1);
  });
});
