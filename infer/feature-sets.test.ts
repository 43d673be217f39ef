import { describe, expect, it } from 'vitest';
import { ArtifactError, InputError } from './errors.js';
import { BUILTIN_FEATURE_SETS, CompiledFeatureSet, RAW_INPUTS } from './feature-sets.js';

const row = [10, 1.0, 1.1, 1.2, 3.0];

describe('CompiledFeatureSet', () => {
  it('derives each channel over line voltage and the joining factor (channel sum / feeder)', () => {
    const fs = CompiledFeatureSet.fromJSON(BUILTIN_FEATURE_SETS['per-volt+jf']);
    expect(fs.specs.map((s) => s.name)).toEqual(['c1_per_v', 'c2_per_v', 'c3_per_v', 'feeder_per_v', 'jf']);
    expect(Array.from(fs.deriveInto(row, 1, new Float64Array(5)))).toEqual([1.0 / 10, 1.1 / 10, 1.2 / 10, 3.0 / 10, (1.0 + 1.1 + 1.2) / 3.0]);
  });

  it('passes raw inputs through unchanged and derives several rows at once', () => {
    const fs = CompiledFeatureSet.fromJSON(BUILTIN_FEATURE_SETS['raw+jf']);
    const two = [...row, 12, 1.3, 1.2, 1.25, 3.4];
    expect(Array.from(fs.deriveInto(two, 2, new Float64Array(12)))).toEqual([...row, (1.0 + 1.1 + 1.2) / 3.0, 12, 1.3, 1.2, 1.25, 3.4, (1.3 + 1.2 + 1.25) / 3.4]);
  });

  it('every built-in set reads the raw five in the notebook order', () => {
    expect(Object.values(BUILTIN_FEATURE_SETS).map((s) => s.inputs)).toEqual(Object.keys(BUILTIN_FEATURE_SETS).map(() => [...RAW_INPUTS]));
  });

  it('refuses a row whose denominator is 0, naming the row and the derived feature', () => {
    const fs = CompiledFeatureSet.fromJSON(BUILTIN_FEATURE_SETS['per-volt']);
    expect(() => fs.deriveInto([...row, 0, 1, 1, 1, 1], 2, new Float64Array(8))).toThrow(InputError);
    expect(() => fs.deriveInto([...row, 0, 1, 1, 1, 1], 2, new Float64Array(8))).toThrow(/row 1, feature c1_per_v/);
  });

  const valid = { name: 'x', inputs: ['a', 'b'], features: [{ name: 'r', unit: 'ratio', numerator: ['a'], denominator: ['b'] }] };
  it.each([
    ['not an object', 5, '$.featureSet'],
    ['no inputs', { ...valid, inputs: [] }, '$.featureSet.inputs'],
    ['duplicate inputs', { ...valid, inputs: ['a', 'a'] }, '$.featureSet.inputs'],
    ['no derived features', { ...valid, features: [] }, '$.featureSet.features'],
    ['an unknown input in a numerator', { ...valid, features: [{ ...valid.features[0], numerator: ['z'] }] }, '$.featureSet.features[0].numerator[0]'],
    ['an unknown input in a denominator', { ...valid, features: [{ ...valid.features[0], denominator: ['a', 'q'] }] }, '$.featureSet.features[0].denominator[1]'],
    ['an empty numerator', { ...valid, features: [{ ...valid.features[0], numerator: [] }] }, '$.featureSet.features[0].numerator'],
    ['a duplicate derived name', { ...valid, features: [valid.features[0], valid.features[0]] }, '$.featureSet.features[1].name'],
    ['a missing unit', { ...valid, features: [{ name: 'r', numerator: ['a'] }] }, '$.featureSet.features[0].unit'],
    ['a number as input name', { ...valid, inputs: ['a', 7] }, '$.featureSet.inputs[1]'],
  ])('rejects %s at its JSON path', (_, json, path) => {
    let error: unknown;
    try {
      CompiledFeatureSet.fromJSON(json);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ArtifactError);
    expect((error as ArtifactError).path).toBe(path);
  });

  it('treats a missing denominator as none (the plain sum)', () => {
    const fs = CompiledFeatureSet.fromJSON({ name: 's', inputs: ['a', 'b'], features: [{ name: 'sum', unit: 'u', numerator: ['a', 'b'] }] });
    expect(Array.from(fs.deriveInto([2, 3], 1, new Float64Array(1)))).toEqual([5]);
  });
});
