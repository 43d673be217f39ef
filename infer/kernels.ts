import type { KernelParams } from './artifact.js';

/**
 * Kernel values between one row and every support vector, written into `out`, for the kernels
 * other than RBF (which runs in WebAssembly: rbf-kernel-wasm.ts). Formulas and evaluation order
 * follow libsvm's k_function (the code scikit-learn's SVC runs), so results match it bit for bit.
 */
export function fillKernelRow(
  kernel: Readonly<KernelParams> & { type: Exclude<KernelParams['type'], 'rbf'> },
  vectors: Float64Array,
  vectorCount: number,
  featureCount: number,
  rows: Float64Array,
  offset: number,
  out: Float64Array,
): void {
  switch (kernel.type) {
    case 'linear':
      for (let s = 0; s < vectorCount; s++) out[s] = dot(vectors, s * featureCount, rows, offset, featureCount);
      return;
    case 'poly':
      for (let s = 0; s < vectorCount; s++) {
        out[s] = powi(kernel.gamma * dot(vectors, s * featureCount, rows, offset, featureCount) + kernel.coef0, kernel.degree);
      }
      return;
    case 'sigmoid':
      for (let s = 0; s < vectorCount; s++) {
        out[s] = Math.tanh(kernel.gamma * dot(vectors, s * featureCount, rows, offset, featureCount) + kernel.coef0);
      }
      return;
  }
}

function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, n: number): number {
  let sum = 0;
  for (let f = 0; f < n; f++) sum += a[aOffset + f] * b[bOffset + f];
  return sum;
}

/** libsvm's powi: exponentiation by squaring, so poly kernels match it bit for bit. */
export function powi(base: number, times: number): number {
  let tmp = base;
  let ret = 1.0;
  for (let t = times; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}
