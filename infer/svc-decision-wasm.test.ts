import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAll } from '../scripts/build-wasm.js';
import { SvcDecisionWasm } from './svc-decision-wasm.js';

/** A deterministic pseudo-random stream (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** libsvm's k_function for RBF: squared distance summed left to right, then libm's exp. */
function libsvmRbf(x: Float64Array, sv: Float64Array, s: number, nf: number, gamma: number): number {
  let sum = 0;
  for (let f = 0; f < nf; f++) {
    const d = x[f] - sv[s * nf + f];
    sum += d * d;
  }
  return Math.exp(-gamma * sum);
}

describe('SvcDecisionWasm', () => {
  it.each([
    [5, 421, 0.2],
    [3, 7, 1.5],
    [8, 33, 0.01],
    [1, 1, 40],
  ])('RBF kernel values of %i features x %i vectors (gamma %s) are within 4e-16 relative of libsvm with Math.exp, 0 below the normal range', (nf, count, gamma) => {
    const next = random(nf * 1000 + count);
    const vectors = Float64Array.from({ length: count * nf }, () => next() * 6 - 3);
    const wasm = new SvcDecisionWasm({
      vectors,
      vectorCount: count,
      featureCount: nf,
      classCount: 2,
      vectorsPerClass: [count, 0],
      dualCoef: new Float64Array(count),
      intercepts: new Float64Array(1),
    });
    let worst = 0;
    for (let r = 0; r < 200; r++) {
      const x = Float64Array.from({ length: nf }, () => next() * 8 - 4);
      wasm.rbf(x, 0, gamma);
      for (let s = 0; s < count; s++) {
        const expected = libsvmRbf(x, vectors, s, nf, gamma);
        const got = wasm.kernelValues[s];
        // Where libm returns a subnormal (exp(y) for y < -708) the kernel returns 0: both are below 2.3e-308.
        if (expected < 2.2250738585072014e-308) expect(got).toBe(0);
        else worst = Math.max(worst, Math.abs(got - expected) / expected);
      }
    }
    expect(worst).toBeLessThanOrEqual(4e-16);
  });

  it('returns 0 where the kernel underflows, never NaN or a negative value', () => {
    const wasm = new SvcDecisionWasm({
      vectors: Float64Array.from([0, 0, 1e3, 1e3, 1e200, 1e200]),
      vectorCount: 3,
      featureCount: 2,
      classCount: 2,
      vectorsPerClass: [3, 0],
      dualCoef: new Float64Array(3),
      intercepts: new Float64Array(1),
    });
    wasm.rbf(Float64Array.from([0, 0]), 0, 1);
    expect(Array.from(wasm.kernelValues)).toEqual([1, 0, 0]);
  });

  it('sums one-vs-one pairs as libsvm: sv_coef[j-1] over class i, sv_coef[i] over class j, plus the intercept', () => {
    // Three classes with 2, 1 and 2 vectors; kernel values set by hand.
    const coef = Float64Array.from([1, 2, 3, 4, 5, /* row 1 */ 6, 7, 8, 9, 10]);
    const wasm = new SvcDecisionWasm({
      vectors: new Float64Array(5),
      vectorCount: 5,
      featureCount: 1,
      classCount: 3,
      vectorsPerClass: [2, 1, 2],
      dualCoef: coef,
      intercepts: Float64Array.from([0.5, -1, 2]),
    });
    wasm.kernelValues.set([1, 10, 100, 1000, 10000]);
    wasm.ovo();
    const k = [1, 10, 100, 1000, 10000];
    expect(Array.from(wasm.decisions)).toEqual([
      1 * k[0] + 2 * k[1] + 3 * k[2] + 0.5, // (0,1): row 0 over class 0, row 0 over class 1
      6 * k[0] + 7 * k[1] + 4 * k[3] + 5 * k[4] - 1, // (0,2): row 1 over class 0, row 0 over class 2
      8 * k[2] + 9 * k[3] + 10 * k[4] + 2, // (1,2): row 1 over class 1, row 1 over class 2
    ]);
  });

  it('is built from the committed .wat source (npm run build:wasm leaves nothing to change)', async () => {
    expect(await buildAll(true)).toEqual([]);
    expect(path.basename(import.meta.filename)).toBe('svc-decision-wasm.test.ts');
  });
});
