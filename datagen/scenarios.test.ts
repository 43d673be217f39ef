import { describe, expect, it } from 'vitest';
import { validateDatasetRow, type DatasetRow } from './dataset-row.js';
import { OptionError } from './errors.js';
import { generateRows, type GenerateOptions } from './scenarios.js';

const row = (
  line_voltage: number,
  label: DatasetRow['label'],
  c1: number,
  c2: number,
  c3: number,
  feeder: number,
): DatasetRow => ({ line_voltage, label, c1, c2, c3, feeder });

describe('generateRows', () => {
  // python3 notebooks/original_generator.py --seed 42 --rows 6
  it('reproduces the original script for seed 42', () => {
    expect([...generateRows({ seed: 42, rows: 6 })]).toEqual([
      row(10.56, 'normal', 1.068, 1.033, 1.107, 2.846),
      row(11.57, 'normal', 1.176, 1.114, 1.141, 3.063),
      row(8.11, 'normal', 0.832, 0.814, 0.8, 2.176),
      row(11.24, 'normal', 1.16, 1.142, 1.125, 3.099),
      row(11.83, 'normal', 1.187, 1.145, 1.256, 3.192),
      row(11.23, 'c3', 1.129, 1.161, 1.243, 3.358),
    ]);
  });

  // ... --seed 42 --rows 4 --weights 0,1,0 (then 0,0,1)
  it.each([
    [
      'blatant',
      [0, 1, 0],
      [
        row(10.56, 'c2', 1.066, 1.154, 1.027, 3.035),
        row(10.18, 'c1', 1.077, 0.995, 1.039, 2.988),
        row(8.8, 'c3', 0.895, 0.876, 1.016, 2.593),
        row(11.04, 'c2', 1.119, 1.211, 1.186, 3.339),
      ],
    ],
    [
      'stealth',
      [0, 0, 1],
      [
        row(10.56, 'c2', 1.066, 1.139, 1.027, 2.96),
        row(10.18, 'c1', 1.07, 0.995, 1.039, 2.898),
        row(8.8, 'c3', 0.895, 0.876, 0.996, 2.525),
        row(11.04, 'c2', 1.119, 1.195, 1.186, 3.241),
      ],
    ],
  ])('draws only %s theft when weighted so', (_mode, weights, expected) => {
    expect([...generateRows({ seed: 42, rows: 4, weights })]).toEqual(expected);
  });

  it('yields nothing for zero rows', () => {
    expect([...generateRows({ seed: 1, rows: 0 })]).toEqual([]);
  });

  it.each([
    ['the original weights', undefined],
    ['blatant only', [0, 1, 0]],
    ['stealth only', [0, 0, 1]],
  ])('makes rows that all pass validateDatasetRow (%s)', (_name, weights) => {
    const rejected: string[] = [];
    let count = 0;
    for (const generated of generateRows({ seed: 7, rows: 100_000, weights })) {
      count++;
      try {
        validateDatasetRow(generated, count);
      } catch (error) {
        rejected.push((error as Error).message);
      }
    }
    expect({ count, rejected }).toEqual({ count: 100_000, rejected: [] });
  });

  it.each<[string, GenerateOptions, string]>([
    ['a fractional seed', { seed: 1.5, rows: 1 }, 'seed'],
    ['an unsafe number seed', { seed: 2 ** 53, rows: 1 }, 'seed'],
    ['negative rows', { seed: 1, rows: -1 }, 'rows'],
    ['fractional rows', { seed: 1, rows: 2.5 }, 'rows'],
    ['two weights', { seed: 1, rows: 1, weights: [1, 1] }, 'weights'],
    ['a negative weight', { seed: 1, rows: 1, weights: [1, -1, 1] }, 'weights'],
    ['a NaN weight', { seed: 1, rows: 1, weights: [1, NaN, 1] }, 'weights'],
    ['all-zero weights', { seed: 1, rows: 1, weights: [0, 0, 0] }, 'weights'],
  ])('refuses %s with an OptionError naming it', (_name, options, option) => {
    let caught: unknown;
    try {
      generateRows(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OptionError);
    expect((caught as OptionError).option).toBe(option);
  });
});
