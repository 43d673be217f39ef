import { Mt19937 } from './mt19937.js';

/**
 * numpy's `np.random.RandomState(seed).permutation(n)`, which
 * scikit-learn's `train_test_split(..., random_state=seed)` uses to split.
 */
export function legacyPermutation(n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`n must be an integer in [0, 2**31 - 1], got ${n}`);
  }
  const mt = Mt19937.fromInitGenrand(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  // numpy's legacy shuffle: Fisher-Yates from the end, j = random_interval(i).
  for (let i = n - 1; i > 0; i--) {
    const j = randomInterval(mt, i);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm;
}

/**
 * numpy `random_interval(max)` for max < 2**32: mask a 32-bit draw with the
 * smallest all-ones mask covering max, reject values above max.
 */
function randomInterval(mt: Mt19937, max: number): number {
  const mask = 0xffffffff >>> Math.clz32(max);
  let value: number;
  do {
    value = (mt.nextUint32() & mask) >>> 0;
  } while (value > max);
  return value;
}
