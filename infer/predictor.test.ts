import { beforeAll, describe, expect, it } from 'vitest';
import { referenceModel } from '../test-support/reference-model.js';
import type { ModelArtifact, ScalerArtifact } from './artifact.js';
import { ArtifactError, InputError } from './errors.js';
import { Predictor } from './predictor.js';

let model: ModelArtifact;
let scaler: ScalerArtifact;
let predictor: Predictor;
const normalRow = [11.5, 1.2, 1.15, 1.2, 3.1];

beforeAll(async () => {
  const trained = await referenceModel();
  model = trained.model;
  scaler = trained.scaler;
  predictor = trained.predictor;
});

/** A deep copy of the model artifact with one edit applied. */
function edited(edit: (m: Record<string, any>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(model));
  edit(copy);
  return copy;
}

describe('Predictor', () => {
  it('round-trips both artifacts through JSON text with identical scores', () => {
    const again = Predictor.fromArtifacts(JSON.parse(JSON.stringify(model)), JSON.parse(JSON.stringify(scaler)));
    const rows = Array.from({ length: 50 }, (_, i) => [8 + i * 0.08, 0.8 + i * 0.015, 1.0, 1.1 - i * 0.004, 2.2 + i * 0.03]);
    expect(again.decisionFunction(rows)).toEqual(predictor.decisionFunction(rows));
    expect(again.predictMany(rows).map((p) => p.label)).toEqual(predictor.predictMany(rows).map((p) => p.label));
  });

  it('accepts a row as an array in feature order or as an object by name, ignoring extra keys', () => {
    const byName = { line_voltage: 11.5, c1: 1.2, c2: 1.15, c3: 1.2, feeder: 3.1, label: 'normal', device: 'x' };
    expect(predictor.predict(byName)).toEqual(predictor.predict(normalRow));
  });

  it('agrees between predict, predictMany, decisionFunction and the flat batch path', () => {
    const rows = [normalRow, [9.5, 1.3, 0.99, 1.0, 2.9], [11.2, 1.1, 1.1, 1.5, 3.2]];
    const one = rows.map((r) => predictor.predict(r));
    expect(predictor.predictMany(rows)).toEqual(one);
    expect(predictor.decisionFunction(rows)).toEqual(one.map((p) => p.decision));
    const batch = predictor.scoreBatch(Float64Array.from(rows.flat()), rows.length);
    expect(Array.from(batch.classIndex)).toEqual(one.map((p) => p.classIndex));
    expect(Array.from(batch.decision)).toEqual(one.flatMap((p) => p.decision));
  });

  it('votes as libsvm: a positive decision goes to the first class of the pair', () => {
    const p = predictor.predict(normalRow);
    const votes = [0, 0, 0, 0];
    const pairs = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]];
    pairs.forEach(([i, j], k) => votes[p.decision[k] > 0 ? i : j]++);
    expect(p.classIndex).toBe(votes.indexOf(Math.max(...votes)));
    expect(predictor.pairNames()).toEqual(['normal-c1', 'normal-c2', 'normal-c3', 'c1-c2', 'c1-c3', 'c2-c3']);
  });

  it('flags the features outside the training range', () => {
    expect(predictor.predict(normalRow).outOfRange).toEqual([]);
    expect(predictor.predict([30, 1.0, 1.0, 1.0, 99]).outOfRange).toEqual(['line_voltage', 'feeder']);
  });

  it.each([
    ['too few features', [1, 2, 3], 'expected 5 features (line_voltage, c1, c2, c3, feeder), found 3'],
    ['too many features', [1, 2, 3, 4, 5, 6], 'expected 5 features'],
    ['NaN', [12, Number.NaN, 1, 1, 3], 'feature c1: expected a finite number, found NaN'],
    ['Infinity', [12, 1, 1, 1, Infinity], 'feature feeder: expected a finite number, found Infinity'],
    ['a string', [12, 1, '1.0', 1, 3], 'feature c2: expected a finite number, found the string "1.0"'],
    ['null', [12, 1, 1, null, 3], 'feature c3: expected a finite number, found null'],
    ['a missing key', { line_voltage: 12, c1: 1, c2: 1, c3: 1 }, 'feature feeder: missing'],
    ['not a row', 42, 'expected an array or object of features, found number'],
  ])('refuses %s with an error naming the feature', (_name, row, message) => {
    expect(() => predictor.predict(row as never)).toThrow(InputError);
    expect(() => predictor.predict(row as never)).toThrow(message);
  });

  it('names the row of a bad value in a batch and scores nothing', () => {
    expect(() => predictor.predictMany([normalRow, normalRow, [12, 1, 1, 1, Number.NaN]])).toThrow('row 2, feature feeder');
    expect(() => predictor.scoreBatch(Float64Array.from([...normalRow, 12, 1, Number.NaN, 1, 3]), 2)).toThrow('row 1, feature c2');
  });

  it('returns empty results for an empty batch', () => {
    expect(predictor.predictMany([])).toEqual([]);
  });
});

describe('artifact validation', () => {
  it.each<[string, (m: Record<string, any>) => void, string]>([
    ['an unknown version', (m) => (m.version = 2), '$.version: unsupported model version 2; this build reads version 1'],
    ['another format', (m) => (m.format = 'sklearn'), '$.format: expected one of "gridsentry.svc", found the string "sklearn"'],
    ['gamma 0', (m) => (m.kernel.gamma = 0), '$.kernel.gamma: expected a number > 0, found 0'],
    ['gamma as a string', (m) => (m.kernel.gamma = '0.2'), '$.kernel.gamma: expected a finite number, found the string "0.2"'],
    ['a NaN support vector value (JSON null)', (m) => (m.supportVectors[3][1] = null), '$.supportVectors[3][1]: expected a finite number, found null'],
    ['a truncated support vector list', (m) => m.supportVectors.pop(), '$.supportVectors: expected 421 entries, found 420'],
    ['a short support vector', (m) => m.supportVectors[7].pop(), '$.supportVectors[7]: expected 5 entries, found 4'],
    ['counts that do not add up', (m) => (m.vectorsPerClass[0] = 193), '$.supportVectors: expected 420 entries, found 421'],
    ['a dual coefficient row too short', (m) => m.dualCoef[2].pop(), '$.dualCoef[2]: expected 421 entries, found 420'],
    ['a missing intercept', (m) => m.intercepts.pop(), '$.intercepts: expected 6 entries, found 5'],
    ['an unknown kernel', (m) => (m.kernel.type = 'laplacian'), '$.kernel.type: expected one of "rbf", "linear", "poly", "sigmoid"'],
    ['range min above max', (m) => (m.featureRanges.min[0] = 99), '$.featureRanges.min[0]: min 99 is above max'],
    ['calibration out of feature order', (m) => (m.calibration.entries[0].feature = 'c1'), '$.calibration.entries[0].feature: expected feature "line_voltage"'],
    ['no metrics', (m) => delete m.metrics, '$.metrics: expected an object, found undefined'],
    ['a support vector edited by hand', (m) => (m.supportVectors[0][0] += 1e-9), "does not match the model's numbers, which give svc-"],
    ['an intercept edited by hand', (m) => (m.intercepts[5] = 0.5), '$.id: svc-'],
  ])('refuses %s, naming the JSON path', (_name, edit, message) => {
    expect(() => Predictor.fromArtifacts(edited(edit), scaler)).toThrow(ArtifactError);
    expect(() => Predictor.fromArtifacts(edited(edit), scaler)).toThrow(message);
  });

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['scale 0', (s) => (s.scale[2] = 0), '$.scale[2]: expected a number > 0, found 0'],
    ['a scaler from another version', (s) => (s.version = 9), '$.version: unsupported scaler version 9'],
    ['a missing mean', (s) => s.mean.pop(), '$.mean: expected 5 entries, found 4'],
  ])('refuses a scaler with %s', (_name, edit, message) => {
    const s = JSON.parse(JSON.stringify(scaler));
    edit(s);
    expect(() => Predictor.fromArtifacts(model, s, { scaler: 'scaler.json' })).toThrow(`scaler.json: ${message}`);
  });

  it.each<[string, unknown, string]>([
    ['an array', [], '$: expected an object, found an array of 0'],
    ['null', null, '$: expected an object, found null'],
    ['a number', 42, '$: expected an object, found the number 42'],
    ['a string', 'model', '$: expected an object, found the string "model"'],
  ])('refuses a model.json that is %s', (_name, json, message) => {
    expect(() => Predictor.fromArtifacts(json, scaler)).toThrow(message);
  });

  it.each<[string, (m: Record<string, any>) => void, string]>([
    ['a nested array for a number', (m) => (m.dualCoef[0][1] = [1]), '$.dualCoef[0][1]: expected a finite number, found an array of 1'],
    ['a null section', (m) => (m.kernel = null), '$.kernel: expected an object, found null'],
    ['a null support vector', (m) => (m.supportVectors[3] = null), '$.supportVectors[3]: expected an array, found null'],
    ['a huge vector count', (m) => (m.vectorsPerClass[0] = 1e300), '$.supportVectors: expected 1e+300 entries, found 421'],
    ['a fractional vector count', (m) => (m.vectorsPerClass[0] = 1.5), '$.vectorsPerClass[0]: expected a whole number >= 0, found 1.5'],
    ['a version as text', (m) => (m.version = '1'), '$.version: expected a finite number, found the string "1"'],
    ['duplicate classes', (m) => (m.classes[1] = 'normal'), '$.classes: class names must be distinct'],
    ['no features', (m) => (m.features = []), '$.features: expected at least one feature, found none'],
    ['a 100 kB string for a number', (m) => (m.kernel.gamma = 'x'.repeat(100_000)), `$.kernel.gamma: expected a finite number, found the string "${'x'.repeat(40)}…"`],
  ])('refuses %s, naming the JSON path', (_name, edit, message) => {
    expect(() => Predictor.fromArtifacts(edited(edit), scaler)).toThrow(message);
  });

  it('reads hand-edited JSON with extra fields and __proto__ keys as the original, polluting nothing', () => {
    const text = JSON.stringify(model)
      .replace('{', '{"__proto__":{"polluted":true},"comment":"edited by hand",')
      .replace('"kernel":{', '"kernel":{"__proto__":{"gamma":-1},"note":1,');
    const again = Predictor.fromArtifacts(JSON.parse(text), JSON.parse(JSON.stringify(scaler)));
    expect(again.predict(normalRow)).toEqual(predictor.predict(normalRow));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a valid scaler that is not the one the model was trained with', () => {
    const other = JSON.parse(JSON.stringify(scaler));
    other.mean[0] += 1e-9;
    expect(() => Predictor.fromArtifacts(model, other)).toThrow(/\$\.scaler\.digest: model svc-[0-9a-f]{12} was trained with scaler sha256:/);
  });
});
