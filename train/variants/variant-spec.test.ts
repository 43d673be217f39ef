import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_FEATURE_SETS } from '../../infer/feature-sets.js';
import { VariantsFileError } from './errors.js';
import { DEFAULT_SETTINGS, parseVariantsFile } from './variant-spec.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../variants.example.yaml');

describe('parseVariantsFile', () => {
  it('expands the committed example into its 12 named variants with the notebook as baseline', () => {
    const plan = parseVariantsFile(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    expect(plan.variants.map((v) => v.name)).toEqual([
      'notebook', 'raw-C1', 'raw-C10', 'raw-C100', 'pvjf-C1', 'pvjf-C10', 'pvjf-C100', 'rawjf-C10', 'rawjf-C100', 'pvjf-balanced', 'shares', 'pvjf-linear',
    ]);
    expect(plan.settings).toEqual({ ...DEFAULT_SETTINGS, baseline: 'notebook' });
    expect(plan.variants[0]).toEqual({
      name: 'notebook', family: 'svc', features: 'raw', protocol: 'notebook', kernel: 'rbf', C: 1, gamma: 'scale', degree: 3, coef0: 0, classWeight: 'none',
    });
    expect(plan.variants[5].featureSet).toEqual(BUILTIN_FEATURE_SETS['per-volt+jf']);
    expect(plan.variants[10].featureSet?.name).toBe('shares+jf');
  });

  it('takes the cartesian product of every listed key, tagging names only with the keys that vary', () => {
    const plan = parseVariantsFile('variants:\n  - name: g\n    C: [1, 10]\n    gamma: [scale, 0.5]\n    classWeight: [none, balanced]\n    kernel: rbf\n');
    expect(plan.variants.map((v) => v.name)).toEqual([
      'g-C1-gscale-wnone', 'g-C1-gscale-wbalanced', 'g-C1-g0.5-wnone', 'g-C1-g0.5-wbalanced',
      'g-C10-gscale-wnone', 'g-C10-gscale-wbalanced', 'g-C10-g0.5-wnone', 'g-C10-g0.5-wbalanced',
    ]);
    expect(plan.variants.map((v) => [v.C, v.gamma, v.classWeight])).toEqual([
      [1, 'scale', 'none'], [1, 'scale', 'balanced'], [1, 0.5, 'none'], [1, 0.5, 'balanced'],
      [10, 'scale', 'none'], [10, 'scale', 'balanced'], [10, 0.5, 'none'], [10, 0.5, 'balanced'],
    ]);
  });

  it('reads JSON as well as YAML', () => {
    const plan = parseVariantsFile(JSON.stringify({ cv: { folds: 3, seed: 9 }, variants: [{ name: 'a', features: 'per-volt', classWeight: { c1: 2 } }] }));
    expect(plan.settings.folds).toBe(3);
    expect(plan.settings.cvSeed).toBe(9);
    expect(plan.variants[0].classWeight).toEqual({ c1: 2 });
    expect(plan.variants[0].featureSet?.name).toBe('per-volt');
  });

  it.each([
    ['no variants', 'variants: []', '$.variants'],
    ['an unknown top-level key', 'variant: []', '$.variant'],
    ['an unknown variant key', 'variants:\n  - { name: a, cost: 1 }', '$.variants[0].cost'],
    ['a missing name', 'variants:\n  - { C: 1 }', '$.variants[0].name'],
    ['a name unfit for a file', 'variants:\n  - { name: "a/b" }', '$.variants[0].name'],
    ['C of 0', 'variants:\n  - { name: a, C: 0 }', '$.variants[0].C'],
    ['C as a string', 'variants:\n  - { name: a, C: "1" }', '$.variants[0].C'],
    ['a bad C inside a grid', 'variants:\n  - { name: a, C: [1, -1] }', '$.variants[0].C[1]'],
    ['an empty grid', 'variants:\n  - { name: a, C: [] }', '$.variants[0].C'],
    ['an unknown kernel', 'variants:\n  - { name: a, kernel: cubic }', '$.variants[0].kernel'],
    ['an unknown feature set', 'variants:\n  - { name: a, features: ratios }', '$.variants[0].features'],
    ['duplicate names', 'variants:\n  - { name: a }\n  - { name: a }', '$.variants'],
    ['a baseline that is no variant', 'baseline: nb\nvariants:\n  - { name: a }', '$.baseline'],
    ['one fold', 'cv: { folds: 1 }\nvariants:\n  - { name: a }', '$.cv.folds'],
    ['a test size of 1', 'split: { testSize: 1 }\nvariants:\n  - { name: a }', '$.split.testSize'],
    ['a prevalence of 0', 'prevalences: [0.01, 0]\nvariants:\n  - { name: a }', '$.prevalences[1]'],
    ['an unknown selection metric', 'selectBy: f2\nvariants:\n  - { name: a }', '$.selectBy'],
    ['a feature set over other inputs', 'featureSets:\n  - { name: x, inputs: [c1, c2], features: [{ name: r, unit: u, numerator: [c1], denominator: [c2] }] }\nvariants:\n  - { name: a }', '$.featureSets[0].inputs'],
    ['a feature set with a bad term', 'featureSets:\n  - { name: x, inputs: [line_voltage, c1, c2, c3, feeder], features: [{ name: r, unit: u, numerator: [c9] }] }\nvariants:\n  - { name: a }', '$.featureSets[0].features[0].numerator[0]'],
    ['a feature set redefining a built-in', `featureSets:\n  - ${JSON.stringify(BUILTIN_FEATURE_SETS['per-volt'])}\nvariants:\n  - { name: a }`, '$.featureSets[0].name'],
    ['text that is not YAML', 'variants: [a', '$'],
  ])('rejects %s, naming the file and path', (_, text, where) => {
    let error: unknown;
    try {
      parseVariantsFile(text, 'v.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(VariantsFileError);
    expect({ path: (error as VariantsFileError).path, file: (error as VariantsFileError).file }).toEqual({ path: where, file: 'v.yaml' });
  });
});
