import { legacyPermutation } from '../datagen/random/numpy-random-state.js';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/**
 * scikit-learn's `train_test_split(..., test_size, random_state=seed)` without stratification:
 * ShuffleSplit takes `RandomState(seed).permutation(n)`; the first ceil(test_size * n) indices are the test set.
 */
export function trainTestSplit(n: number, testSize: number, seed: number): Split {
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`test size must be between 0 and 1 (exclusive), got ${testSize}`);
  const nTest = Math.ceil(testSize * n);
  if (nTest < 1 || nTest >= n) throw new RangeError(`test size ${testSize} leaves ${nTest} of ${n} rows for testing; need at least one row in each split`);
  const perm = legacyPermutation(n, seed);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}
