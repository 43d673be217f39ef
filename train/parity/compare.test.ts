import { describe, expect, it } from 'vitest';
import { compareParity, formatParityReport } from './compare.js';

const pairNames = ['a-b', 'a-c', 'b-c'];
const options = { tolerance: 1e-4, minAgreement: 1, pairNames };

describe('compareParity', () => {
  it('passes identical sides and reports per-pair maxima with their rows', () => {
    const side = { labels: ['a', 'c'], scores: [1, 1, 0.5, -1, -2, -0.3] };
    const onnx = { labels: ['a', 'c'], scores: [1 + 2e-6, 1, 0.5, -1, -2, -0.3 - 5e-6] };
    const r = compareParity(side, onnx, options);
    expect(r).toMatchObject({ rows: 2, agreeingRows: 2, labelAgreement: 1, agreementOutsideTolerance: 1, rowsBeyondTolerance: 0, passed: true });
    expect(r.pairs.map((p) => [p.pair, p.row])).toEqual([
      ['a-b', 0],
      ['a-c', 0],
      ['b-c', 1],
    ]);
    expect(r.pairs[0].maxAbsDiff).toBeCloseTo(2e-6, 12);
    expect(r.pairs[2].maxAbsDiff).toBeCloseTo(5e-6, 12);
  });

  it('reports a label flip at |decision| <= tolerance as near-boundary, not as a disagreement (R13a)', () => {
    // Row 0: pair b-c sits at 3e-7 for us and -4e-7 for onnx: b wins for us, c for onnx (a loses both pairs).
    const ours = { labels: ['b'], scores: [-1, -1, 3e-7] };
    const onnx = { labels: ['c'], scores: [-1, -1, -4e-7] };
    const r = compareParity(ours, onnx, { ...options, lines: [2] });
    expect(r.disagreements).toEqual([]);
    expect(r.nearBoundary).toEqual([{ row: 0, line: 2, ours: 'b', onnx: 'c', margin: 3e-7, flipped: [{ pair: 'b-c', ours: 3e-7, onnx: -4e-7 }] }]);
    expect(r).toMatchObject({ labelAgreement: 0, agreementOutsideTolerance: 1, passed: true });
  });

  it('counts a flip beyond the tolerance as a disagreement and fails', () => {
    const ours = { labels: ['b', 'a'], scores: [-1, -1, 0.2, 1, 1, 1] };
    const onnx = { labels: ['c', 'a'], scores: [-1, -1, -0.2, 1, 1, 1] };
    const r = compareParity(ours, onnx, options);
    expect(r.disagreements.map((d) => [d.row, d.ours, d.onnx, d.flipped.map((f) => f.pair)])).toEqual([[0, 'b', 'c', ['b-c']]]);
    expect(r).toMatchObject({ agreeingRows: 1, labelAgreement: 0.5, agreementOutsideTolerance: 0.5, rowsBeyondTolerance: 1, passed: false });
    expect(compareParity(ours, onnx, { ...options, minAgreement: 0.5 }).passed).toBe(false); // the score difference still fails it
    expect(formatParityReport(r, 'title')).toMatch(/disagreeing row 0: ours b, onnx c, margin 2\.000e-1; b-c ours 2\.000e-1 onnx -2\.000e-1\nFAIL$/);
  });

  it('passes below-1 agreement when asked, as long as scores stay within the tolerance', () => {
    // Equal scores but different labels cannot come from the same model; this checks the threshold arithmetic only.
    const ours = { labels: ['a', 'a', 'a', 'a'], scores: new Array(12).fill(1) };
    const onnx = { labels: ['a', 'a', 'a', 'b'], scores: new Array(12).fill(1) };
    expect(compareParity(ours, onnx, { ...options, minAgreement: 0.75 })).toMatchObject({ agreementOutsideTolerance: 0.75, passed: true });
    expect(compareParity(ours, onnx, { ...options, minAgreement: 0.76 }).passed).toBe(false);
  });

  it.each([
    ['no rows', { labels: [], scores: [] }, { labels: [], scores: [] }, false],
    ['NaN from onnx', { labels: ['a'], scores: [1, 1, 1] }, { labels: ['a'], scores: [1, Number.NaN, 1] }, false],
  ])('%s fails', (_name, ours, onnx, passed) => {
    expect(compareParity(ours, onnx, options).passed).toBe(passed);
  });

  it('refuses sides of different sizes', () => {
    expect(() => compareParity({ labels: ['a'], scores: [1, 1, 1] }, { labels: ['a'], scores: [1, 1, 1, 1] }, options)).toThrow(/3 and 4 scores for 3 pairs/);
  });
});
