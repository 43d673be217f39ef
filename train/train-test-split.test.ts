import { describe, expect, it } from 'vitest';
import { trainTestSplit } from './train-test-split.js';

describe('trainTestSplit (scikit-learn ShuffleSplit on numpy RandomState)', () => {
  it('puts the notebook permutation first: the test set starts 1801, 1190, 1817, ...', () => {
    const split = trainTestSplit(3000, 0.2, 42);
    expect(Array.from(split.test.slice(0, 10))).toEqual([1801, 1190, 1817, 251, 2505, 1117, 1411, 2113, 408, 2579]);
    expect([split.test.length, split.train.length]).toEqual([600, 2400]);
  });

  it('covers every row exactly once', () => {
    const split = trainTestSplit(101, 0.25, 7);
    expect([...split.test, ...split.train].sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(split.test.length).toBe(26);
  });

  it.each([
    [0, 'between 0 and 1'],
    [1, 'between 0 and 1'],
    [Number.NaN, 'between 0 and 1'],
  ])('refuses test size %s', (size, message) => {
    expect(() => trainTestSplit(10, size, 1)).toThrow(message);
  });

  it('refuses a split that leaves a side empty', () => {
    expect(() => trainTestSplit(1, 0.5, 1)).toThrow('need at least one row in each split');
  });
});
