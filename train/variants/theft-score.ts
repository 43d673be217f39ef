/**
 * Scores from one-vs-one decision values (pair order (0,1), (0,2), ..., positive votes for the pair's
 * first class), with class 0 the normal class as in the notebook's encoding.
 *
 * Theft score: the largest margin by which any theft class beats `normal` in its own pairwise contest,
 *   score = max over j >= 1 of -d(normal, c_j) = -min_j d(normal, c_j).
 * It is > 0 exactly when at least one theft class wins its contest against normal, and grows the more
 * clearly a reading looks like theft on some channel; it ranks readings for inspection and gives the
 * precision-recall curve. Among the one-vs-one values only the normal-vs-theft pairs say how theft-like
 * a reading is; the theft-vs-theft pairs only say which channel.
 */
export function theftScores(decision: Float64Array, count: number, classCount: number): Float64Array {
  const pairs = (classCount * (classCount - 1)) / 2;
  const out = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let min = Infinity;
    for (let j = 0; j < classCount - 1; j++) min = Math.min(min, decision[r * pairs + j]);
    out[r] = -min;
  }
  return out;
}

/**
 * One-vs-rest scores per class from one-vs-one values, as scikit-learn's SVC computes
 * `decision_function_shape='ovr'` (`_ovr_decision_function`): votes plus the summed confidences squashed
 * into (-1/3, 1/3), so the ranking follows the votes and the margins break ties. Row-major, classCount wide.
 */
export function ovrScores(decision: Float64Array, count: number, classCount: number): Float64Array {
  const pairs = (classCount * (classCount - 1)) / 2;
  const out = new Float64Array(count * classCount);
  const sums = new Float64Array(classCount);
  for (let r = 0; r < count; r++) {
    sums.fill(0);
    const o = r * classCount;
    for (let i = 0, p = 0; i < classCount; i++) {
      for (let j = i + 1; j < classCount; j++, p++) {
        const d = decision[r * pairs + p];
        sums[i] += d;
        sums[j] -= d;
        if (d >= 0) out[o + i] += 1;
        else out[o + j] += 1;
      }
    }
    for (let c = 0; c < classCount; c++) out[o + c] += sums[c] / (3 * (Math.abs(sums[c]) + 1));
  }
  return out;
}
