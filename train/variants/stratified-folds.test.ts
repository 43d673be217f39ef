import { describe, expect, it } from 'vitest';
import { foldRows, stratifiedFolds } from './stratified-folds.js';

/** 60 % class 0, then 15 / 13 / 12 % of classes 1..3, in a fixed interleaved order. */
const y = Int32Array.from({ length: 200 }, (_, i) => (i % 20 < 12 ? 0 : i % 20 < 15 ? 1 : i % 20 < 18 ? 2 : 3));

describe('stratifiedFolds', () => {
  it('keeps every class in proportion in every fold, fold sizes within one row', () => {
    const fold = stratifiedFolds(y, 5, 0);
    const perFold = Array.from({ length: 5 }, (_, k) => [0, 1, 2, 3].map((c) => y.filter((v, i) => v === c && fold[i] === k).length));
    expect(perFold).toEqual(Array.from({ length: 5 }, () => [24, 6, 6, 4]));
  });

  it('puts each row in exactly one validation part', () => {
    const fold = stratifiedFolds(y, 4, 3);
    const validated = [0, 1, 2, 3].flatMap((k) => Array.from(foldRows(fold, k).validate));
    expect(validated.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const { train, validate } = foldRows(fold, 2);
    expect(train.length + validate.length).toBe(200);
    expect(Array.from(train).filter((r) => fold[r] === 2)).toEqual([]);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedFolds(y, 5, 11)).toEqual(stratifiedFolds(y, 5, 11));
    expect(stratifiedFolds(y, 5, 11)).not.toEqual(stratifiedFolds(y, 5, 12));
  });

  it.each([
    ['one fold', y, 1],
    ['a class smaller than the fold count', Int32Array.from([0, 0, 0, 1, 1]), 3],
    ['no rows', new Int32Array(0), 2],
  ])('refuses %s', (_, labels, folds) => {
    expect(() => stratifiedFolds(labels, folds, 0)).toThrow(RangeError);
  });
});
