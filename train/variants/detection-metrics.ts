/**
 * What a utility wants to know about a theft detector, on labelled rows (class 0 = normal, the rest are
 * theft on one channel each): accuracy and macro F1 over the four classes, recall per theft class, the
 * false-alarm rate on normal readings, the area under the theft precision-recall curve, and the precision
 * of an inspection budget spent on the highest theft scores.
 *
 * Every metric takes row weights, so the same numbers can be given at another theft prevalence: theft
 * rows are weighted so that they make up `prevalence` of the total, normal rows the rest (the mix among
 * the theft classes stays as observed). Recalls and the false-alarm rate are ratios within a class and do
 * not change with prevalence; precision, F1, accuracy, PR-AUC and the budget precision do.
 */

export interface DetectionMetrics {
  accuracy: number;
  macroF1: number;
  /** Share of theft rows predicted as any theft class (the inspector is sent either way). */
  theftRecall: number;
  /** Share of rows predicted as theft that are theft. */
  theftPrecision: number;
  /** Recall of each theft class, by name. */
  recall: Record<string, number>;
  /** Per class, by name: precision, recall, F1. */
  perClass: Record<string, { precision: number; recall: number; f1: number }>;
  /** Share of normal rows predicted as some theft. */
  falseAlarmRate: number;
  /** Average precision of the theft score (theft vs normal), as scikit-learn's average_precision_score. */
  prAuc: number;
  /** Precision among the top `inspectionBudget` share of rows ranked by theft score. */
  precisionAtBudget: number;
  /** Weighted confusion matrix, rows true, columns predicted (counts when unweighted). */
  confusionMatrix: number[][];
}

export interface MetricsInput {
  classes: readonly string[];
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  theftScore: ArrayLike<number>;
  inspectionBudget: number;
  /** Row weights; all 1 when absent. */
  weights?: ArrayLike<number>;
}

export function detectionMetrics(input: MetricsInput): DetectionMetrics {
  const { classes, yTrue, yPred, theftScore } = input;
  const n = yTrue.length;
  if (yPred.length !== n || theftScore.length !== n) throw new RangeError(`${n} labels, ${yPred.length} predictions and ${theftScore.length} scores`);
  const w = input.weights ?? new Float64Array(n).fill(1);
  const k = classes.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) cm[yTrue[i]][yPred[i]] += w[i];
  const rowSum = cm.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = cm[0].map((_, c) => cm.reduce((a, r) => a + r[c], 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const perClass: DetectionMetrics['perClass'] = {};
  classes.forEach((name, c) => {
    const precision = ratio(cm[c][c], colSum[c]);
    const recall = ratio(cm[c][c], rowSum[c]);
    perClass[name] = { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  });
  const theftRows = total - rowSum[0];
  const theftCaught = theftRows - cm.slice(1).reduce((a, r) => a + r[0], 0);
  const predictedTheft = total - colSum[0];
  const isTheft = Uint8Array.from({ length: n }, (_, i) => (yTrue[i] !== 0 ? 1 : 0));
  return {
    accuracy: ratio(cm.reduce((a, r, c) => a + r[c], 0), total),
    macroF1: classes.reduce((a, name) => a + perClass[name].f1, 0) / k,
    theftRecall: ratio(theftCaught, theftRows),
    theftPrecision: ratio(theftCaught, predictedTheft),
    recall: Object.fromEntries(classes.slice(1).map((name) => [name, perClass[name].recall])),
    perClass,
    falseAlarmRate: ratio(rowSum[0] - cm[0][0], rowSum[0]),
    prAuc: averagePrecision(isTheft, theftScore, w),
    precisionAtBudget: precisionAtBudget(isTheft, theftScore, w, input.inspectionBudget),
    confusionMatrix: cm,
  };
}

/** Weights that make theft rows (class != 0) `prevalence` of the total weight, which stays the row count. */
export function prevalenceWeights(yTrue: ArrayLike<number>, prevalence: number): Float64Array {
  const n = yTrue.length;
  let theft = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] !== 0) theft++;
  if (theft === 0 || theft === n) throw new RangeError('re-weighting to a prevalence needs both normal and theft rows');
  const wTheft = (prevalence * n) / theft;
  const wNormal = ((1 - prevalence) * n) / (n - theft);
  return Float64Array.from({ length: n }, (_, i) => (yTrue[i] !== 0 ? wTheft : wNormal));
}

/** Rows by descending score; equal scores keep row order. */
function byScore(score: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
}

/**
 * scikit-learn's average_precision_score with sample weights: sum over distinct thresholds (descending)
 * of (R_t - R_{t-1}) * P_t. Rows with equal scores enter together. 0 when there is no positive row.
 */
export function averagePrecision(positive: ArrayLike<number>, score: ArrayLike<number>, weights: ArrayLike<number>): number {
  const order = byScore(score);
  let allPositive = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) allPositive += weights[i];
  if (allPositive === 0) return 0;
  let tp = 0;
  let fp = 0;
  let lastRecall = 0;
  let ap = 0;
  for (let p = 0; p < order.length; ) {
    const s = score[order[p]];
    for (; p < order.length && score[order[p]] === s; p++) {
      const i = order[p];
      if (positive[i]) tp += weights[i];
      else fp += weights[i];
    }
    const recall = tp / allPositive;
    ap += (recall - lastRecall) * (tp + fp > 0 ? tp / (tp + fp) : 0);
    lastRecall = recall;
  }
  return ap;
}

/** Precision-recall points at each distinct threshold (descending score), from recall 0 up to the first threshold reaching full recall (as scikit-learn's precision_recall_curve stops). */
export function precisionRecallCurve(positive: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): { recall: number[]; precision: number[] } {
  const w = weights ?? new Float64Array(score.length).fill(1);
  const order = byScore(score);
  let allPositive = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) allPositive += w[i];
  const recall = [0];
  const precision = [1];
  let tp = 0;
  let fp = 0;
  for (let p = 0; p < order.length; ) {
    const s = score[order[p]];
    for (; p < order.length && score[order[p]] === s; p++) {
      if (positive[order[p]]) tp += w[order[p]];
      else fp += w[order[p]];
    }
    recall.push(allPositive > 0 ? tp / allPositive : 0);
    precision.push(tp + fp > 0 ? tp / (tp + fp) : 0);
    if (tp >= allPositive) break;
  }
  return { recall, precision };
}

/**
 * Precision when inspectors visit the `budget` share of readings with the highest theft scores, by
 * weight; the reading at the budget's edge counts with the part of its weight that fits.
 */
export function precisionAtBudget(positive: ArrayLike<number>, score: ArrayLike<number>, weights: ArrayLike<number>, budget: number): number {
  const order = byScore(score);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let room = budget * total;
  if (!(room > 0)) return 0;
  let taken = 0;
  let hits = 0;
  for (let p = 0; p < order.length && room > 0; p++) {
    const i = order[p];
    const part = Math.min(weights[i], room);
    taken += part;
    if (positive[i]) hits += part;
    room -= part;
  }
  return taken > 0 ? hits / taken : 0;
}
