import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelType } from '../infer/artifact.js';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { REFERENCE_CSV } from '../test-support/reference.js';
import { fitScaler } from './fit-scaler.js';
import { fitSvc, SVC_DEFAULTS } from './fit-svc.js';
import { readLabeledCsv } from './labeled-dataset.js';
import { loadLibsvm } from './libsvm-module.js';
import { gatherRows } from './train-model.js';

const classes = ['normal', 'c1', 'c2', 'c3'];
let x: Float64Array;
let y: Int32Array;
const n = 400;

beforeAll(async () => {
  const d = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const raw = gatherRows(d.table.values, 5, rows);
  x = fitScaler(raw, n, DEFAULT_FEATURES).transformInto(raw, n, new Float64Array(raw.length));
  y = d.y.slice(0, n);
});

/** libsvm-js's own predictions for the same data and parameters, rows sorted by class as fitSvc does. */
async function libsvmLabels(kernel: KernelType, gamma: number, C: number, weight?: Record<string, number>): Promise<number[]> {
  const SVM = await loadLibsvm();
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const svm = new SVM({
    type: SVM.SVM_TYPES.C_SVC,
    kernel: { linear: '0', poly: '1', rbf: '2', sigmoid: '3' }[kernel],
    cost: C,
    gamma,
    degree: 3,
    coef0: kernel === 'sigmoid' ? -1 : 0.5,
    tolerance: 1e-3,
    shrinking: true,
    cacheSize: 200,
    quiet: true,
    ...(weight ? { weight } : {}),
  });
  try {
    svm.train(order.map((i) => Array.from(x.subarray(i * 5, i * 5 + 5))), order.map((i) => y[i]));
    const s = svm as unknown as { predictOne(row: number[]): number };
    return Array.from({ length: n }, (_, i) => s.predictOne(Array.from(x.subarray(i * 5, i * 5 + 5))));
  } finally {
    svm.free();
  }
}

describe('fitSvc', () => {
  it.each<[KernelType, number, number]>([
    ['rbf', 0.5, 1],
    ['linear', 0.2, 10],
    ['poly', 0.3, 1],
    ['sigmoid', 0.05, 1],
  ])('%s kernel: our decision function votes exactly as libsvm predicts', async (kernel, gamma, C) => {
    const coef0 = kernel === 'sigmoid' ? -1 : 0.5;
    const fit = await fitSvc(x, y, classes, { ...SVC_DEFAULTS, kernel, gamma, C, coef0 });
    const out = new Float64Array(6);
    const ours = Array.from({ length: n }, (_, i) => fit.svc.decide(x, i * 5, out, 0));
    expect(ours).toEqual(await libsvmLabels(kernel, gamma, C));
  });

  it('gives the same classes, support set and decisions whichever class comes first in the data', async () => {
    const reference = await fitSvc(x, y, classes, SVC_DEFAULTS);
    for (const first of [1, 2, 3]) {
      // Move the first row of class `first` to the top: libsvm alone would then number that class 0.
      const at = Array.from(y).indexOf(first);
      const order = [at, ...Array.from({ length: n }, (_, i) => i).filter((i) => i !== at)];
      const fit = await fitSvc(gatherRows(x, 5, order), Int32Array.from(order, (i) => y[i]), classes, SVC_DEFAULTS);
      expect(fit.svc.classes).toEqual(classes);
      expect(fit.svc.vectorsPerClass).toEqual(reference.svc.vectorsPerClass);
      expect(Array.from(fit.supportRows, (p) => order[p]).sort((a, b) => a - b)).toEqual(Array.from(reference.supportRows).sort((a, b) => a - b));
      expect(Array.from(fit.svc.intercepts).map((v, i) => Math.abs(v - reference.svc.intercepts[i]) < 1e-6)).toEqual(new Array(6).fill(true));
    }
  });

  it('trains with class weights whose C needs all 17 digits (libsvm prints alpha with 16) and votes as libsvm', async () => {
    const classWeight = { c1: 1 / 3, c2: 0.1 + 0.2 };
    const fit = await fitSvc(x, y, classes, { ...SVC_DEFAULTS, gamma: 0.5, classWeight });
    const out = new Float64Array(6);
    const ours = Array.from({ length: n }, (_, i) => fit.svc.decide(x, i * 5, out, 0));
    expect(ours).toEqual(await libsvmLabels('rbf', 0.5, 1, { 1: 1 / 3, 2: 0.1 + 0.2 }));
  });

  it('refuses training data that lacks a class', async () => {
    const onlyNormal = Int32Array.from(y, () => 0);
    await expect(fitSvc(x, onlyNormal, classes, SVC_DEFAULTS)).rejects.toThrow('no training rows of class c1, c2, c3');
  });

  it.each([
    [{ classWeight: { theft: 2 } }, 'class weight names unknown class "theft"'],
    [{ classWeight: { c1: 0 } }, 'class weight of c1 must be a number > 0, got 0'],
    [{ gamma: -1 }, 'gamma must be a number > 0, got -1'],
  ])('refuses bad options %j', async (options, message) => {
    await expect(fitSvc(x, y, classes, { ...SVC_DEFAULTS, ...options })).rejects.toThrow(message);
  });

  it('weights a class: a higher C for c1 never recalls fewer c1 rows on its own training data', async () => {
    const recall = async (w: number) => {
      const fit = await fitSvc(x, y, classes, { ...SVC_DEFAULTS, classWeight: { c1: w } });
      let hits = 0;
      for (let i = 0; i < n; i++) if (y[i] === 1 && fit.svc.decide(x, i * 5, new Float64Array(6), 0) === 1) hits++;
      return hits;
    };
    expect(await recall(10)).toBeGreaterThanOrEqual(await recall(1));
  });
});
