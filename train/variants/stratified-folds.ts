import { legacyPermutation } from '../../datagen/random/numpy-random-state.js';

/**
 * Stratified k-fold assignment: shuffles the rows with numpy's `RandomState(seed).permutation`, then deals
 * each class's rows round-robin across the folds, carrying on from where the previous class stopped.
 * Each fold then holds every class in proportion (counts differ by at most one per class) and the fold
 * sizes differ by at most one. Not scikit-learn's StratifiedKFold assignment, but the same guarantees.
 *
 * `y` holds class indices; returns the fold of each row.
 */
export function stratifiedFolds(y: ArrayLike<number>, folds: number, seed: number): Int32Array {
  const n = y.length;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be a whole number >= 2, got ${folds}`);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
  const smallest = Math.min(...counts.values());
  if (n === 0 || smallest < folds) {
    throw new RangeError(`${folds} folds need at least ${folds} rows of every class; the smallest class has ${n === 0 ? 0 : smallest}`);
  }
  const perm = legacyPermutation(n, seed);
  const classes = [...counts.keys()].sort((a, b) => a - b);
  const fold = new Int32Array(n);
  let next = 0;
  for (const c of classes) {
    for (let p = 0; p < n; p++) {
      const row = perm[p];
      if (y[row] !== c) continue;
      fold[row] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/** Row positions of the training and validation part of fold `k`. */
export function foldRows(fold: Int32Array, k: number): { train: Int32Array; validate: Int32Array } {
  const train: number[] = [];
  const validate: number[] = [];
  fold.forEach((f, i) => (f === k ? validate : train).push(i));
  return { train: Int32Array.from(train), validate: Int32Array.from(validate) };
}
