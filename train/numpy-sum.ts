/**
 * numpy's pairwise summation of a contiguous float64 run (numpy/core/src/umath/loops_utils.h):
 * eight accumulators below 128 elements, halving above. Used where a result must equal numpy's
 * bit for bit, e.g. gamma='scale' = 1 / (n_features * X.var()).
 */
export function numpyPairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3], a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    }
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpyPairwiseSum(a, start, n2) + numpyPairwiseSum(a, start + n2, n - n2);
}

/** numpy's `x.var()` over every value of a contiguous array (ddof 0): mean, then mean of squared deviations. */
export function numpyVariance(a: Float64Array): number {
  const n = a.length;
  const mean = numpyPairwiseSum(a, 0, n) / n;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    sq[i] = d * d;
  }
  return numpyPairwiseSum(sq, 0, n) / n;
}
