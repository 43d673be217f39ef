import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../infer/calibration.js';
import { ArtifactError, InputError } from '../../infer/errors.js';
import { BUILTIN_FEATURE_SETS } from '../../infer/feature-sets.js';
import { Predictor } from '../../infer/predictor.js';
import { referenceModel } from '../../test-support/reference-model.js';
import { REFERENCE_CSV } from '../../test-support/reference.js';
import { readLabeledCsv, type LabeledDataset } from '../labeled-dataset.js';
import { gatherRows, type TrainedModel } from '../train-model.js';
import { explainModel } from '../../infer/explain.js';
import { buildOnnxModel } from '../onnx/onnx-graph.js';
import { classWeights, trainVariant } from './train-variant.js';
import type { VariantSpec } from './variant-spec.js';

const CREATED = '2026-01-01T00:00:00.000Z';
const base: VariantSpec = { name: 'v', family: 'svc', features: 'raw', protocol: 'notebook', kernel: 'rbf', C: 1, gamma: 'scale', degree: 3, coef0: 0, classWeight: 'none' };
const engineered: VariantSpec = { ...base, name: 'pvjf', protocol: 'default', C: 10, features: 'per-volt+jf', featureSet: BUILTIN_FEATURE_SETS['per-volt+jf'] };

let dataset: LabeledDataset;
let trained: TrainedModel;

beforeAll(async () => {
  dataset = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
  trained = await trainVariant(dataset, engineered, { testSize: 0.2, seed: 42, createdAt: CREATED });
});

describe('trainVariant', () => {
  it('explains a feature-set model: raw inputs with their ranges, then each derived feature with its scaler', () => {
    const text = explainModel(trained.predictor);
    expect(text).toContain('inputs (model units) and their training range:');
    expect(text).toContain('features the SVM sees (feature set per-volt+jf, derived from the inputs) and their scaler:');
    expect(text).toContain(`  ${'jf'.padEnd(13)} = (c1 + c2 + c3) / (feeder)   mean ${trained.predictor.scaler.mean[4]}, scale ${trained.predictor.scaler.scale[4]}`);
  });

  it('is refused by the ONNX export, whose graph takes the derived features as raw ones', () => {
    expect(() => buildOnnxModel(trained.predictor, 'float32')).toThrow(/derives its features \(feature set per-volt\+jf: .*jf\); the ONNX export covers raw-feature models only/);
  });

  it('a raw-feature variant is exactly npm run train: same artifact as trainModel', async () => {
    const raw = await trainVariant(dataset, base, { testSize: 0.2, seed: 42, createdAt: CREATED });
    const reference = await referenceModel();
    expect(raw.model).toEqual(reference.model);
    expect(raw.model.featureSet).toBeUndefined();
  });

  it('a feature-set model reads the raw five, carries the set as data, and its scaler works on the derived features', () => {
    expect(trained.model.features).toEqual(DEFAULT_FEATURES);
    expect(trained.model.featureSet).toEqual(BUILTIN_FEATURE_SETS['per-volt+jf']);
    expect(trained.scaler.features.map((f) => f.name)).toEqual(['c1_per_v', 'c2_per_v', 'c3_per_v', 'feeder_per_v', 'jf']);
    expect(trained.model.supportVectors[0]).toHaveLength(5);
    expect(trained.model.calibration.entries.map((e) => e.feature)).toEqual(DEFAULT_FEATURES.map((f) => f.name));
    expect(trained.predictor.featureNames).toEqual(DEFAULT_FEATURES.map((f) => f.name));
  });

  it('round-trips through JSON text and predicts raw test rows to the confusion matrix recorded at training', () => {
    const again = Predictor.fromArtifacts(JSON.parse(JSON.stringify(trained.model)), JSON.parse(JSON.stringify(trained.scaler)));
    const test = trained.split.test;
    const raw = gatherRows(dataset.table.values, 5, test);
    const batch = again.scoreBatch(raw, test.length);
    const cm = [0, 1, 2, 3].map((t) => [0, 1, 2, 3].map((p) => test.filter((r, i) => dataset.y[r] === t && batch.classIndex[i] === p).length));
    expect(cm).toEqual(trained.model.metrics.confusionMatrix);
    const rows = Array.from({ length: 20 }, (_, i) => Array.from(raw.subarray(i * 5, i * 5 + 5)));
    expect(again.predictMany(rows)).toEqual(rows.map((r) => trained.predictor.predict(r)));
    expect(again.predict({ line_voltage: rows[0][0], c1: rows[0][1], c2: rows[0][2], c3: rows[0][3], feeder: rows[0][4] })).toEqual(again.predict(rows[0]));
  });

  it('flags raw inputs outside the training range, not derived ones', () => {
    expect(trained.predictor.predict([30, 1.0, 1.0, 1.0, 2.7]).outOfRange).toEqual(['line_voltage']);
  });

  it('refuses a row whose derived feature divides by zero', () => {
    expect(() => trained.predictor.predict([0, 1, 1, 1, 2.7])).toThrow(InputError);
    expect(() => trained.predictor.predict([10, 1, 1, 1, 0])).toThrow(/feature jf/);
  });

  const edit = (change: (m: Record<string, any>) => void) => {
    const copy = JSON.parse(JSON.stringify(trained.model));
    change(copy);
    return copy;
  };
  it.each([
    ['inputs other than the model features', (m: Record<string, any>) => (m.featureSet.inputs = ['line_voltage', 'c1', 'c2', 'feeder', 'c3']), '$.featureSet.inputs'],
    ['a derived feature reading an unknown input', (m: Record<string, any>) => (m.featureSet.features[4].numerator = ['c4']), '$.featureSet.features[4].numerator[0]'],
    ['a derived feature renamed away from the scaler', (m: Record<string, any>) => (m.featureSet.features[4].name = 'joining'), '$.featureSet.features'],
    ['one derived feature fewer than the support vectors have', (m: Record<string, any>) => m.featureSet.features.pop(), '$.supportVectors[0]'],
    ['a feature set that is not an object', (m: Record<string, any>) => (m.featureSet = 'per-volt'), '$.featureSet'],
  ])('refuses a model.json with %s', (_, change, path) => {
    let error: unknown;
    try {
      Predictor.fromArtifacts(edit(change), trained.scaler);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ArtifactError);
    expect((error as ArtifactError).path).toBe(path);
  });
});

describe('classWeights', () => {
  it.each([
    ['none', 'none' as const, {}],
    ['explicit weights', { c1: 2 }, { c1: 2 }],
    ['balanced: n / (classes x count)', 'balanced' as const, { normal: 6 / 8, c1: 6 / 4, c2: 6 / 8, c3: 6 / 4 }],
  ])('%s', (_, setting, expected) => {
    expect(classWeights(setting, [0, 0, 1, 2, 2, 3], ['normal', 'c1', 'c2', 'c3'])).toEqual(expected);
  });
});
