import { describe, expect, it } from 'vitest';
import { classificationReport } from '../classification-report.js';
import { averagePrecision, detectionMetrics, precisionAtBudget, precisionRecallCurve, prevalenceWeights } from './detection-metrics.js';

const classes = ['normal', 'c1', 'c2', 'c3'];
//                 normal x6            c1 x2   c2 x1  c3 x1
const yTrue = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]);
const yPred = Int32Array.from([0, 0, 0, 0, 0, 2, 1, 0, 2, 3]);
const score = Float64Array.from([-3, -2.5, -2, -1.5, -1, 0.5, 2, -0.5, 1.5, 3]);
const ones = new Float64Array(10).fill(1);

describe('detectionMetrics', () => {
  const m = detectionMetrics({ classes, yTrue, yPred, theftScore: score, inspectionBudget: 0.2 });

  it('counts a theft predicted as any theft class as caught, a normal predicted as theft as a false alarm', () => {
    expect({ theftRecall: m.theftRecall, theftPrecision: m.theftPrecision, falseAlarmRate: m.falseAlarmRate }).toEqual({ theftRecall: 3 / 4, theftPrecision: 3 / 4, falseAlarmRate: 1 / 6 });
    expect(m.recall).toEqual({ c1: 1 / 2, c2: 1, c3: 1 });
  });

  it('agrees with the classification report on accuracy, per-class F1 and macro F1 when unweighted', () => {
    const report = classificationReport(yTrue, yPred, classes);
    expect(m.accuracy).toBe(report.accuracy);
    expect(m.macroF1).toBeCloseTo(report.macroAvg.f1, 15);
    expect(m.confusionMatrix).toEqual(report.confusionMatrix);
    expect(Object.fromEntries(classes.map((c) => [c, m.perClass[c].f1]))).toEqual(Object.fromEntries(classes.map((c) => [c, report.perClass[c].f1])));
  });

  it('gives the top-2 (20 %) inspection precision and the PR-AUC of the theft score', () => {
    // Ranked by score: c3 (3), c1 (2), c2 (1.5), normal (0.5), c1 (-0.5), ...: the top two are thefts.
    expect(m.precisionAtBudget).toBe(1);
    // Thresholds: 3,2,1.5 -> recall 1/4,2/4,3/4 at precision 1; 0.5 -> precision 3/4; -0.5 -> recall 1, precision 4/5.
    expect(m.prAuc).toBeCloseTo(0.25 + 0.25 + 0.25 + 0.25 * (4 / 5), 15);
  });

  it('re-weights to a prevalence: recalls and the false-alarm rate stay, precision falls with fewer thefts', () => {
    const w = prevalenceWeights(yTrue, 0.01);
    const low = detectionMetrics({ classes, yTrue, yPred, theftScore: score, inspectionBudget: 0.2, weights: w });
    expect([low.theftRecall, low.falseAlarmRate, low.recall.c1]).toEqual([m.theftRecall, m.falseAlarmRate, m.recall.c1].map((v) => expect.closeTo(v, 12)));
    // Caught theft weight 3 * (0.01 * 10 / 4); false alarms 1 * (0.99 * 10 / 6).
    expect(low.theftPrecision).toBeCloseTo(0.075 / (0.075 + 1.65), 12);
    expect(low.theftPrecision).toBeLessThan(m.theftPrecision);
  });
});

describe('average precision and the curve', () => {
  it("matches scikit-learn's documented example (0.8333...)", () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [1, 1, 1, 1])).toBeCloseTo(0.8333333333333333, 15);
  });

  it('enters tied scores together', () => {
    expect(averagePrecision([1, 0], [1, 1], [1, 1])).toBe(0.5);
    expect(precisionRecallCurve([1, 0, 1], [2, 1, 1])).toEqual({ recall: [0, 0.5, 1], precision: [1, 1, 2 / 3] });
    // Stops at the first threshold with full recall: the trailing normal row (score 0) adds no point.
    expect(precisionRecallCurve([1, 1, 0], [3, 2, 0])).toEqual({ recall: [0, 0.5, 1], precision: [1, 1, 1] });
  });

  it('is 0 without a positive row', () => {
    expect(averagePrecision([0, 0], [1, 2], [1, 1])).toBe(0);
  });
});

describe('prevalenceWeights and precisionAtBudget', () => {
  it('makes theft the given share of a total weight equal to the row count', () => {
    const w = prevalenceWeights(yTrue, 0.085);
    const theft = Array.from(w).reduce((a, v, i) => a + (yTrue[i] ? v : 0), 0);
    expect([theft, Array.from(w).reduce((a, b) => a + b, 0)]).toEqual([expect.closeTo(0.85, 12), expect.closeTo(10, 12)]);
  });

  it('refuses rows of one kind only', () => {
    expect(() => prevalenceWeights([0, 0], 0.1)).toThrow(RangeError);
    expect(() => prevalenceWeights([1, 2], 0.1)).toThrow(RangeError);
  });

  it.each([
    [0.1, 1],
    [0.3, 1],
    [0.4, 3 / 4],
    [0.45, 3.5 / 4.5],
    [1, 4 / 10],
  ])('at budget %d of the rows gives precision %d (the edge row counts in part)', (budget, precision) => {
    expect(precisionAtBudget(Uint8Array.from(yTrue, (v) => (v ? 1 : 0)), score, ones, budget)).toBeCloseTo(precision, 12);
  });
});
