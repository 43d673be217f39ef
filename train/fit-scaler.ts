import type { FeatureSpec } from '../infer/artifact.js';
import { FittedScaler } from '../infer/standard-scaler.js';
import { numpyPairwiseSum } from './numpy-sum.js';

/**
 * Fits a StandardScaler on `count` rows of a flat row-major matrix, bit for bit as scikit-learn's
 * `_incremental_mean_and_var` does on the notebook's pandas DataFrame: pandas hands scikit-learn a
 * column-major array, so each column is one contiguous run that numpy sums pairwise. Mean, then the
 * corrected two-pass variance, population variance (ddof 0). A (near-)constant feature gets scale 1
 * by scikit-learn's `_is_constant_feature` bound, so nothing divides by zero.
 */
export function fitScaler(values: Float64Array, count: number, features: FeatureSpec[]): FittedScaler {
  const n = features.length;
  if (count < 1) throw new RangeError('cannot fit a scaler on zero rows');
  const column = new Float64Array(count);
  const mean = new Float64Array(n);
  const scale = new Float64Array(n);
  const eps = 2 ** -52;
  for (let f = 0; f < n; f++) {
    for (let r = 0; r < count; r++) column[r] = values[r * n + f];
    const m = numpyPairwiseSum(column, 0, count) / count;
    for (let r = 0; r < count; r++) column[r] -= m;
    const correction = numpyPairwiseSum(column, 0, count);
    for (let r = 0; r < count; r++) column[r] *= column[r];
    const squares = numpyPairwiseSum(column, 0, count);
    const variance = (squares - (correction * correction) / count) / count;
    const upperBound = count * eps * variance + (count * m * eps) ** 2;
    mean[f] = m;
    scale[f] = variance <= upperBound ? 1 : Math.sqrt(variance);
  }
  return FittedScaler.fromStatistics(features, mean, scale, count);
}
