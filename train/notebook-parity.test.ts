import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { maxAbsDiff, maxRelDiff } from '../test-support/closeness.js';
import { PICKLE, picklePredictions, REFERENCE_CSV } from '../test-support/reference.js';
import { SVC_DEFAULTS } from './fit-svc.js';
import { readLabeledCsv, type LabeledDataset } from './labeled-dataset.js';
import { trainModel, type TrainedModel } from './train-model.js';

// The notebook's way on the notebook's data must give the original pickle's model.
describe('notebook protocol on the reference dataset', () => {
  let dataset: LabeledDataset;
  let trained: TrainedModel;
  beforeAll(async () => {
    dataset = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
    trained = await trainModel(dataset, { protocol: 'notebook', testSize: 0.2, seed: 42, svc: SVC_DEFAULTS });
  });

  it('reads all 3000 rows with the reference label counts', () => {
    const counts = [0, 0, 0, 0];
    for (const c of dataset.y) counts[c]++;
    expect(counts).toEqual([1813, 408, 403, 376]);
  });

  it('fits the scaler to the pickle mean_ and scale_ within 1e-12 relative', () => {
    expect(maxRelDiff(trained.scaler.mean, PICKLE.mean)).toBeLessThanOrEqual(1e-12);
    expect(maxRelDiff(trained.scaler.scale, PICKLE.scale)).toBeLessThanOrEqual(1e-12);
  });

  it('resolves gamma="scale" to the pickle _gamma exactly', () => {
    expect(trained.model.kernel.gamma).toBe(PICKLE.gamma);
  });

  it('keeps the same support vectors: 421, split 194/84/67/76', () => {
    expect(trained.model.supportVectors).toHaveLength(421);
    expect(trained.model.vectorsPerClass).toEqual(PICKLE.vectorsPerClass);
  });

  it('recomputes the intercepts to within 1e-12 of the pickle (libsvm prints only 6 digits)', () => {
    expect(maxAbsDiff(trained.model.intercepts, PICKLE.intercepts)).toBeLessThanOrEqual(1e-12);
  });

  it("prints the notebook's test confusion matrix", () => {
    expect(trained.report.confusionMatrix).toEqual(PICKLE.testConfusion);
    expect(trained.report.accuracy).toBeCloseTo(590 / 600, 15);
  });

  it("predicts the pickle's label on all 3000 reference rows", () => {
    const ours = trained.predictor.predictMany(Array.from({ length: dataset.table.count }, (_, r) => dataset.table.values.subarray(r * 5, r * 5 + 5))).map((p) => p.label);
    expect(ours).toEqual(picklePredictions());
  });

  it('records how it was made: protocol, dataset digest, split sizes, support row indices', () => {
    const t = trained.model.training;
    expect({ protocol: t.protocol, rows: t.dataset.rows, trainRows: t.trainRows, testRows: t.testRows, seed: t.seed }).toEqual({
      protocol: 'notebook',
      rows: 3000,
      trainRows: 2400,
      testRows: 600,
      seed: 42,
    });
    expect(t.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(t.supportIndices).toHaveLength(421);
    expect(new Set(t.supportIndices).size).toBe(421);
    const test = new Set(trained.split.test);
    expect(t.supportIndices.filter((i) => test.has(i))).toEqual([]);
  });
});
