import type { ClassificationReport, ClassMetrics } from '../infer/artifact.js';

/** Confusion matrix: rows are the true class, columns the predicted class. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classCount: number): number[][] {
  if (yTrue.length !== yPred.length) throw new RangeError(`${yTrue.length} true labels but ${yPred.length} predictions`);
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** scikit-learn's classification_report(output_dict=True) with zero_division=0, over every class of the model. */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: readonly string[]): ClassificationReport {
  const cm = confusionMatrix(yTrue, yPred, classes.length);
  const total = yTrue.length;
  const perClass: Record<string, ClassMetrics> = {};
  let correct = 0;
  classes.forEach((name, c) => {
    const tp = cm[c][c];
    correct += tp;
    const support = cm[c].reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, row) => a + row[c], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[name] = { precision, recall, f1, support };
  });
  const rows = classes.map((c) => perClass[c]);
  const average = (weight: (m: ClassMetrics) => number): ClassMetrics => {
    const w = rows.map(weight);
    const sum = w.reduce((a, b) => a + b, 0);
    const mean = (key: 'precision' | 'recall' | 'f1') => (sum > 0 ? rows.reduce((a, m, i) => a + m[key] * w[i], 0) / sum : 0);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  return {
    classes: [...classes],
    perClass,
    accuracy: total > 0 ? correct / total : 0,
    macroAvg: average(() => 1),
    weightedAvg: average((m) => m.support),
    confusionMatrix: cm,
  };
}

/** The text layout scikit-learn prints, two decimals. */
export function formatClassificationReport(report: ClassificationReport, digits = 2): string {
  const width = Math.max('weighted avg'.length, ...report.classes.map((c) => c.length), digits);
  const num = (v: number) => v.toFixed(digits).padStart(9);
  const head = `${' '.repeat(width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => h.padStart(9)).join(' ')}`;
  const line = (name: string, m: ClassMetrics) => `${name.padStart(width)} ${num(m.precision)} ${num(m.recall)} ${num(m.f1)} ${String(m.support).padStart(9)}`;
  const total = report.macroAvg.support;
  return [
    head,
    '',
    ...report.classes.map((c) => line(c, report.perClass[c])),
    '',
    `${'accuracy'.padStart(width)} ${' '.repeat(9)} ${' '.repeat(9)} ${num(report.accuracy)} ${String(total).padStart(9)}`,
    line('macro avg', report.macroAvg),
    line('weighted avg', report.weightedAvg),
  ].join('\n');
}

/** The confusion matrix as one JSON-like line, e.g. [[368,0,0,0],[5,70,0,0],...]. */
export function formatConfusionMatrix(cm: number[][]): string {
  return `[${cm.map((r) => `[${r.join(',')}]`).join(',')}]`;
}
