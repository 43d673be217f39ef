import { describe, expect, it } from 'vitest';
import { chiSquareSurvival1, mcnemar } from './mcnemar.js';

describe('mcnemar', () => {
  it.each([
    // b, c, exact two-sided p (binomial sums by hand), chi-square with continuity correction
    [1, 9, 22 / 1024, 49 / 10],
    [5, 5, 1, 0.1],
    [0, 3, 0.25, 4 / 3],
    [10, 0, 2 / 1024, 8.1],
    [0, 0, 1, 0],
  ])('b=%d c=%d: exact p %d, chi-square %d', (b, c, exactP, chiSquare) => {
    const t = mcnemar(b, c);
    expect(t.exactP).toBeCloseTo(exactP, 14);
    expect(t.chiSquare).toBeCloseTo(chiSquare, 14);
  });

  it('stays finite for thousands of discordant rows', () => {
    const t = mcnemar(1500, 1600);
    expect(t.exactP).toBeGreaterThan(0.05);
    expect(t.exactP).toBeLessThan(0.1);
    expect(Math.abs(t.exactP - t.continuityP)).toBeLessThan(0.002);
  });

  it.each([[-1, 2], [1.5, 2], [Number.NaN, 0]])('refuses counts %d and %d', (b, c) => {
    expect(() => mcnemar(b, c)).toThrow(RangeError);
  });
});

describe('chiSquareSurvival1', () => {
  it.each([
    // quantiles of chi-square(1): scipy.stats.chi2.isf(p, 1)
    [3.841458820694124, 0.05],
    [6.634896601021214, 0.01],
    [10.827566170662733, 0.001],
    [0.454936423119572, 0.5],
    [0.015790774093431218, 0.9],
    [0, 1],
  ])('P(X > %d) = %d', (x, p) => {
    expect(chiSquareSurvival1(x)).toBeCloseTo(p, 12);
  });
});
