import type { GammaSetting, KernelParams, KernelType } from '../infer/artifact.js';
import { powi } from '../infer/kernels.js';
import { FittedSvc } from '../infer/svc.js';
import { TrainingError } from './errors.js';
import { loadLibsvm } from './libsvm-module.js';
import { parseLibsvmTextModel } from './libsvm-text-model.js';
import { numpyVariance } from './numpy-sum.js';

export interface SvcOptions {
  kernel: KernelType;
  C: number;
  gamma: GammaSetting;
  degree: number;
  coef0: number;
  tol: number;
  shrinking: boolean;
  cacheSizeMb: number;
  /** Multiplies C per class, by class name. */
  classWeight: Record<string, number>;
}

/** scikit-learn's SVC defaults. */
export const SVC_DEFAULTS: SvcOptions = {
  kernel: 'rbf',
  C: 1,
  gamma: 'scale',
  degree: 3,
  coef0: 0,
  tol: 1e-3,
  shrinking: true,
  cacheSizeMb: 200,
  classWeight: {},
};

export interface SvcFit {
  svc: FittedSvc;
  /** Positions, in the rows given to `fitSvc`, of each support vector (class by class). */
  supportRows: Int32Array;
}

const LIBSVM_KERNEL: Record<KernelType, string> = { linear: '0', poly: '1', rbf: '2', sigmoid: '3' };

/** scikit-learn's gamma: 'scale' = 1 / (n_features * X.var()) over the training matrix, 'auto' = 1 / n_features. */
export function resolveGamma(gamma: GammaSetting, x: Float64Array, featureCount: number): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / featureCount;
  const variance = numpyVariance(x);
  return variance !== 0 ? 1 / (featureCount * variance) : 1;
}

/**
 * Trains a one-vs-one C-SVC with libsvm (WebAssembly), the solver scikit-learn's SVC wraps, and returns
 * it at full double precision. `x` holds scaled rows (row-major), `y` class indices into `classes`.
 */
export async function fitSvc(x: Float64Array, y: Int32Array, classes: readonly string[], options: SvcOptions): Promise<SvcFit> {
  const n = y.length;
  const nf = x.length / n;
  const k = classes.length;
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]++;
  const missing = classes.filter((_, c) => counts[c] === 0);
  if (missing.length > 0) throw new TrainingError(`no training rows of class ${missing.join(', ')}; every class needs at least one`);
  const gamma = resolveGamma(options.gamma, x, nf);
  if (options.kernel !== 'linear' && !(gamma > 0 && Number.isFinite(gamma))) throw new TrainingError(`gamma must be a number > 0, got ${gamma}`);
  for (const [name, w] of Object.entries(options.classWeight)) {
    if (!classes.includes(name)) throw new TrainingError(`class weight names unknown class "${name}" (classes: ${classes.join(', ')})`);
    if (!(w > 0 && Number.isFinite(w))) throw new TrainingError(`class weight of ${name} must be a number > 0, got ${w}`);
  }

  // libsvm numbers classes by first appearance while scikit-learn sorts them; a stable sort by class
  // reproduces scikit-learn's grouping, and with it the solver's path and its intercepts.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const samples = Array.from(order, (i) => Array.from(x.subarray(i * nf, i * nf + nf)));
  const labels = Array.from(order, (i) => y[i]);

  const SVM = await loadLibsvm();
  const weight: Record<string, number> = {};
  classes.forEach((name, c) => {
    if (options.classWeight[name] !== undefined) weight[String(c)] = options.classWeight[name];
  });
  // Every parameter explicitly: libsvm-js's own gamma default is not scikit-learn's.
  const model = new SVM({
    type: SVM.SVM_TYPES.C_SVC,
    kernel: LIBSVM_KERNEL[options.kernel],
    cost: options.C,
    gamma,
    degree: options.degree,
    coef0: options.coef0,
    tolerance: options.tol,
    shrinking: options.shrinking,
    cacheSize: options.cacheSizeMb,
    probabilityEstimates: false,
    quiet: true,
    ...(Object.keys(weight).length > 0 ? { weight } : {}),
  });
  let svIndices: number[];
  let text: string;
  let modelLabels: number[];
  try {
    model.train(samples, labels);
    svIndices = model.getSVIndices();
    modelLabels = model.getLabels();
    text = model.serializeModel();
  } finally {
    model.free();
  }
  const parsed = parseLibsvmTextModel(text);
  if (modelLabels.some((l, i) => l !== i)) throw new TrainingError(`libsvm ordered classes as [${modelLabels}], expected 0..${k - 1}`);

  const supportRows = Int32Array.from(svIndices, (p) => order[p]);
  const kernel: KernelParams = { type: options.kernel, gamma, coef0: options.coef0, degree: options.degree };
  const cost = classes.map((name) => options.C * (options.classWeight[name] ?? 1));
  const intercepts = recomputeIntercepts(x, nf, order, labels, supportRows, parsed.nrSv, parsed.svCoef, kernel, cost);
  checkAgainstPrintedRho(text, intercepts);
  const svc = FittedSvc.fromJSON({
    classes: [...classes],
    kernel,
    vectorsPerClass: parsed.nrSv,
    supportVectors: Array.from(supportRows, (r) => Array.from(x.subarray(r * nf, r * nf + nf))),
    dualCoef: parsed.svCoef,
    intercepts,
  });
  return { svc, supportRows };
}

/**
 * libsvm's calculate_rho for each class pair, at full precision: the mean of y*G over the free
 * support vectors, or the midpoint of the bounds when none is free. The solver keeps kernel values
 * in float32 (Qfloat) and uses the training-time kernel formula, so both are reproduced here.
 */
function recomputeIntercepts(
  x: Float64Array,
  nf: number,
  order: Int32Array,
  sortedLabels: number[],
  supportRows: Int32Array,
  nrSv: number[],
  svCoef: number[][],
  kernel: KernelParams,
  cost: number[],
): number[] {
  const k = nrSv.length;
  const nSv = supportRows.length;
  const svStart = [0];
  for (let c = 1; c < k; c++) svStart.push(svStart[c - 1] + nrSv[c - 1]);
  const rowStart = [0];
  for (let c = 1; c < k; c++) rowStart.push(rowStart[c - 1] + sortedLabels.filter((l) => l === c - 1).length);
  rowStart.push(sortedLabels.length);
  const trainKernel = makeTrainingKernel(kernel, x, nf);
  const intercepts: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      // The pair's support vectors and their y*alpha; every other training row of the pair has alpha 0.
      const rows: number[] = [];
      const coefs: number[] = [];
      for (let s = svStart[i]; s < svStart[i] + nrSv[i]; s++) rows.push(supportRows[s]), coefs.push(svCoef[j - 1][s]);
      for (let s = svStart[j]; s < svStart[j] + nrSv[j]; s++) rows.push(supportRows[s]), coefs.push(svCoef[i][s]);
      const yOf = (p: number) => (p < nrSv[i] ? 1 : -1);
      // libsvm prints alpha with 16 significant digits; a C (x class weight) that needs 17 would make a
      // vector at its bound read back as free, so "at the bound" allows for that last digit.
      const boundOf = (y: number) => (y === 1 ? cost[i] : cost[j]) * (1 - 1e-12);
      /** y*G of a training row: its decision value without rho, minus its label sign. */
      const yG = (t: number, y: number) => {
        let f = 0;
        for (let q = 0; q < rows.length; q++) f += Math.fround(trainKernel(t, rows[q])) * coefs[q];
        return f - y;
      };
      let nrFree = 0;
      let sumFree = 0;
      rows.forEach((t, p) => {
        const y = yOf(p);
        const alpha = Math.abs(coefs[p]);
        if (alpha > 0 && alpha < boundOf(y)) {
          nrFree++;
          sumFree += yG(t, y);
        }
      });
      if (nrFree > 0) {
        intercepts.push(-(sumFree / nrFree));
        continue;
      }
      // No free vector: libsvm's midpoint of the bounds, over every training row of the pair.
      const alphaOf = new Map(rows.map((t, p) => [t, Math.abs(coefs[p])]));
      let ub = Infinity;
      let lb = -Infinity;
      for (const cls of [i, j]) {
        const y = cls === i ? 1 : -1;
        for (let p = rowStart[cls]; p < rowStart[cls + 1]; p++) {
          const t = order[p];
          const g = yG(t, y);
          const atUpper = (alphaOf.get(t) ?? 0) >= boundOf(y);
          if (atUpper === (y === -1)) ub = Math.min(ub, g);
          else lb = Math.max(lb, g);
        }
      }
      intercepts.push(-((ub + lb) / 2));
    }
  }
  if (nSv === 0) throw new TrainingError('libsvm returned no support vectors');
  return intercepts;
}

/** libsvm's Kernel::kernel_* (training side): RBF via |x|^2 + |y|^2 - 2 x.y, as the solver computes it. */
function makeTrainingKernel(kernel: KernelParams, x: Float64Array, nf: number): (a: number, b: number) => number {
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let f = 0; f < nf; f++) s += x[a * nf + f] * x[b * nf + f];
    return s;
  };
  const n = x.length / nf;
  switch (kernel.type) {
    case 'rbf': {
      const sq = Float64Array.from({ length: n }, (_, r) => dot(r, r));
      return (a, b) => Math.exp(-kernel.gamma * (sq[a] + sq[b] - 2 * dot(a, b)));
    }
    case 'linear':
      return dot;
    case 'poly':
      return (a, b) => powi(kernel.gamma * dot(a, b) + kernel.coef0, kernel.degree);
    case 'sigmoid':
      return (a, b) => Math.tanh(kernel.gamma * dot(a, b) + kernel.coef0);
  }
}

/** The text model prints rho with 6 significant digits: enough to catch a recomputation that went wrong. */
function checkAgainstPrintedRho(text: string, intercepts: number[]): void {
  const line = text.split('\n').find((l) => l.startsWith('rho '));
  if (!line) return;
  const printed = line.trim().split(/\s+/).slice(1).map(Number);
  printed.forEach((rho, p) => {
    const ours = -intercepts[p];
    if (Math.abs(ours - rho) > 1e-5 * Math.max(1, Math.abs(rho))) {
      throw new TrainingError(`recomputed rho of pair ${p} is ${ours}, libsvm printed ${rho}`);
    }
  });
}
