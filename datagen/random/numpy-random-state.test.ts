import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython, reportSkip } from '../python-for-tests.js';
import { legacyPermutation } from './numpy-random-state.js';

const { python, skipReason } = findPython(['numpy']);
reportSkip('legacyPermutation against numpy', skipReason);

describe('legacyPermutation', () => {
  it('starts as the notebook split does: RandomState(42).permutation(3000)', () => {
    const perm = legacyPermutation(3000, 42);
    expect(Array.from(perm.subarray(0, 10))).toEqual([1801, 1190, 1817, 251, 2505, 1117, 1411, 2113, 408, 2579]);
    expect(Array.from(perm.subarray(-5))).toEqual([1638, 1095, 1130, 1294, 860]);
  });

  it('is a permutation of 0..n-1', () => {
    const sorted = Array.from(legacyPermutation(3000, 42)).sort((a, b) => a - b);
    expect(sorted).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it.each([
    [0, []],
    [1, [0]],
  ])('handles n = %i', (n, expected) => {
    expect(Array.from(legacyPermutation(n, 42))).toEqual(expected);
  });

  // numpy 2.4: RandomState(seed).permutation(10)
  it.each([
    [0, [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]],
    [4294967295, [6, 9, 5, 1, 8, 0, 7, 4, 2, 3]],
  ])('matches numpy for seed %i', (seed, expected) => {
    expect(Array.from(legacyPermutation(10, seed))).toEqual(expected);
  });

  it.skipIf(skipReason !== undefined)('matches numpy over whole permutations of several sizes and seeds', () => {
    const cases: [number, number][] = [
      [3000, 42],
      [3000, 7],
      [65537, 123],
      [1000, 4294967295],
    ];
    const script = `import json, sys, numpy as np
for n, seed in json.loads(sys.argv[1]):
    print(json.dumps(np.random.RandomState(seed).permutation(n).tolist()))`;
    const run = spawnSync(python, ['-c', script, JSON.stringify(cases)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.stderr).toBe('');
    const expected = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
    expect(cases.map(([n, seed]) => Array.from(legacyPermutation(n, seed)))).toEqual(expected);
  });

  it.each([-1, 1.5, 2 ** 32])('refuses seed %s', (seed) => {
    expect(() => legacyPermutation(10, seed)).toThrow(RangeError);
  });
});
