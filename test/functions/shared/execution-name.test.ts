// Deterministic execution names and manual re-run names (functions/shared/execution-name.ts).
import { createHash } from 'node:crypto';
import { compactUtc, EXECUTION_NAME, executionName, rerunName } from '../../../functions/shared/execution-name';

const objects = [
  { key: 'raw/ds/b.csv', eTag: 'e2', eventTime: '2026-11-23T22:20:01.000Z' },
  { key: 'raw/ds/a.csv', eTag: 'e1', eventTime: '2026-11-23T22:19:59.950Z' },
];

/** The digest written out independently: sha256 over the sorted lines, first 10 hex. */
function digestOf(lines: string[]): string {
  return createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex')
    .slice(0, 10);
}

describe('executionName', () => {
  it('is <dataset>-<earliest eventTime, compact UTC>-<10 hex of sha256 over sorted bucket/key/eTag>', () => {
    // Act
    const name = executionName('ds', 'bkt', objects);

    // Assess
    expect(name).toBe(`ds-20261123T221959Z-${digestOf(['bkt/raw/ds/a.csv/e1', 'bkt/raw/ds/b.csv/e2'])}`);
  });

  it('matches a digest computed with sha256sum for a fixed input', () => {
    // Act: printf 'bkt/raw/ds/a.csv/e1\nbkt/raw/ds/b.csv/e2' | sha256sum | cut -c1-10 gives cd36fb8948.
    const name = executionName('ds', 'bkt', objects);

    // Assess
    expect(name).toBe('ds-20261123T221959Z-cd36fb8948');
  });

  it('does not depend on the order of the objects', () => {
    // Act
    const forward = executionName('ds', 'bkt', objects);
    const backward = executionName('ds', 'bkt', [...objects].reverse());

    // Assess
    expect(backward).toBe(forward);
  });

  it('changes when an eTag changes (the same key overwritten is new data)', () => {
    // Act
    const before = executionName('ds', 'bkt', objects);
    const after = executionName('ds', 'bkt', [
      { ...objects[0], eTag: 'e3' } as (typeof objects)[0],
      objects[1] as (typeof objects)[0],
    ]);

    // Assess
    expect(after).not.toBe(before);
  });

  it('uses UTC for eventTimes written with an offset', () => {
    // Act
    const compact = compactUtc('2026-11-24T01:30:00+02:00');

    // Assess
    expect(compact).toBe('20261123T233000Z');
  });

  it('replaces characters outside [A-Za-z0-9_-] and keeps to 80 characters, shortening only the dataset', () => {
    // Prepare
    const dataset = `sales.eu/${'x'.repeat(100)}`;

    // Act
    const name = executionName(dataset, 'bkt', objects);

    // Assess: the tail is "-" + 16 time chars + "-" + 10 hex = 28, so the dataset keeps 52.
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(name.startsWith('sales-eu-xxx')).toBe(true);
    expect(name.endsWith(`-20261123T221959Z-${digestOf(['bkt/raw/ds/a.csv/e1', 'bkt/raw/ds/b.csv/e2'])}`)).toBe(true);
  });

  it('refuses an empty object list and a bad eventTime', () => {
    // Act
    const empty = () => executionName('ds', 'bkt', []);
    const badTime = () => executionName('ds', 'bkt', [{ key: 'k', eTag: 'e', eventTime: 'not a time' }]);

    // Assess
    expect(empty).toThrow(expect.objectContaining({ name: 'ExecutionNameError' }));
    expect(badTime).toThrow(expect.objectContaining({ name: 'ExecutionNameError' }));
  });
});

describe('rerunName', () => {
  it('appends -rerun-<n> to a short name', () => {
    // Act
    const name = rerunName('ds-20261123T221959Z-0123456789', 3);

    // Assess
    expect(name).toBe('ds-20261123T221959Z-0123456789-rerun-3');
  });

  it('shortens the dataset part of a long generated name and keeps time, digest and suffix', () => {
    // Prepare: an 80-character generated name.
    const base = `${'d'.repeat(52)}-20261123T221959Z-0123456789`;

    // Act
    const name = rerunName(base, 12);

    // Assess: 80 - "-rerun-12" (9) - tail (28) = 43 dataset characters.
    expect(name).toBe(`${'d'.repeat(43)}-20261123T221959Z-0123456789-rerun-12`);
    expect(name).toHaveLength(80);
  });

  it('keeps long names that differ only at the end apart', () => {
    // Prepare: two 80-character names that are not generated ones and differ in their last character.
    const a = `${'m'.repeat(79)}a`;
    const b = `${'m'.repeat(79)}b`;

    // Act
    const names = [rerunName(a, 1), rerunName(b, 1)];

    // Assess
    expect(names[0]).not.toBe(names[1]);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(80);
      expect(n.endsWith('-rerun-1')).toBe(true);
    }
  });

  it('gives different numbers different names and refuses n < 1 or fractions', () => {
    // Act
    const first = rerunName('ds-x', 1);
    const second = rerunName('ds-x', 2);

    // Assess
    expect(first).not.toBe(second);
    expect(() => rerunName('ds-x', 0)).toThrow(expect.objectContaining({ name: 'ExecutionNameError' }));
    expect(() => rerunName('ds-x', 1.5)).toThrow(expect.objectContaining({ name: 'ExecutionNameError' }));
  });
});

describe('EXECUTION_NAME', () => {
  it('accepts every generated and re-run name, and nothing with other characters or over 80', () => {
    // Prepare
    const generated = executionName('a.very long dataset name/'.repeat(6), 'bucket', objects);

    // Act
    const accepted = [generated, rerunName(generated, 12), 'a', 'x'.repeat(80)].map((n) => EXECUTION_NAME.test(n));
    const refused = ['', 'x'.repeat(81), 'a b', 'a/b', 'é'].map((n) => EXECUTION_NAME.test(n));

    // Assess
    expect(accepted).toEqual([true, true, true, true]);
    expect(refused).toEqual([false, false, false, false, false]);
  });
});
