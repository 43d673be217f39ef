import { svcDecisionBase64 } from './wasm/svc-decision-wasm.js';

interface DecisionExports {
  memory: WebAssembly.Memory;
  rbf_row(x: number, nf: number, sv: number, stride: number, count: number, negGamma: number, out: number): void;
  ovo(table: number, pairs: number, intercepts: number, out: number): void;
}

export interface SvcLayout {
  vectors: Float64Array;
  vectorCount: number;
  featureCount: number;
  classCount: number;
  vectorsPerClass: readonly number[];
  /** libsvm's sv_coef, row-major: (classes - 1) x vectorCount. */
  dualCoef: Float64Array;
  intercepts: Float64Array;
}

let compiled: WebAssembly.Module | undefined;
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * The decision function's hot loops in WebAssembly SIMD (wasm/svc-decision.wat): RBF kernel values eight
 * support vectors per step with an inlined exp (four independent polynomial chains, so the multiplier never
 * waits on one), then the one-vs-one sums; about six times the plain JavaScript loop around Math.exp.
 * Each instance owns its memory: everything is copied in once at load, support vectors feature-major, each
 * pair's coefficients contiguous.
 */
export class SvcDecisionWasm {
  /** Kernel values of the current row, one per support vector (a view into the module's memory). */
  readonly kernelValues: Float64Array;
  /** Decision values of the current row, one per class pair (a view into the module's memory). */
  readonly decisions: Float64Array;
  private readonly exports: DecisionExports;
  private readonly row: Float64Array;
  private readonly featureCount: number;
  private readonly stride: number;
  private readonly pairCount: number;
  private readonly at: { x: number; sv: number; kernel: number; table: number; intercepts: number; out: number };

  constructor(m: SvcLayout) {
    compiled ??= new WebAssembly.Module(Buffer.from(svcDecisionBase64, 'base64'));
    this.exports = new WebAssembly.Instance(compiled, {}).exports as unknown as DecisionExports;
    const k = m.classCount;
    const nf = m.featureCount;
    this.featureCount = nf;
    this.pairCount = (k * (k - 1)) / 2;
    this.stride = Math.ceil(m.vectorCount / 8) * 8;
    const x = 0;
    const sv = align16(nf * 8);
    const kernel = align16(sv + this.stride * nf * 8);
    const coef = align16(kernel + this.stride * 8);
    // Each pair's coefficients: those of its first class's vectors, then its second's.
    const table = align16(coef + this.pairCount * 2 * m.vectorCount * 8);
    const intercepts = align16(table + this.pairCount * 24);
    const out = align16(intercepts + this.pairCount * 8);
    const bytes = out + this.pairCount * 8;
    const memory = this.exports.memory;
    const pages = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
    this.at = { x, sv, kernel, table, intercepts, out };

    const buffer = memory.buffer;
    const svs = new Float64Array(buffer, sv, this.stride * nf);
    for (let s = 0; s < m.vectorCount; s++) for (let f = 0; f < nf; f++) svs[f * this.stride + s] = m.vectors[s * nf + f];
    const starts = [0];
    for (let c = 1; c < k; c++) starts.push(starts[c - 1] + m.vectorsPerClass[c - 1]);
    const coefs = new Float64Array(buffer, coef, this.pairCount * 2 * m.vectorCount);
    const rows = new Int32Array(buffer, table, this.pairCount * 6);
    let p = 0;
    let next = 0;
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++, p++) {
        for (const [cls, coefRow] of [[i, j - 1], [j, i]]) {
          const n = m.vectorsPerClass[cls];
          const first = starts[cls];
          coefs.set(m.dualCoef.subarray(coefRow * m.vectorCount + first, coefRow * m.vectorCount + first + n), next);
          rows.set([kernel + first * 8, n, coef + next * 8], p * 6 + (cls === i ? 0 : 3));
          next += n;
        }
      }
    }
    new Float64Array(buffer, intercepts, this.pairCount).set(m.intercepts);
    this.row = new Float64Array(buffer, x, nf);
    this.kernelValues = new Float64Array(buffer, kernel, m.vectorCount);
    this.decisions = new Float64Array(buffer, out, this.pairCount);
  }

  /** exp(-gamma |x - sv|^2) for the row at `rows[offset..]` into `kernelValues`. */
  rbf(rows: Float64Array, offset: number, gamma: number): void {
    for (let f = 0; f < this.featureCount; f++) this.row[f] = rows[offset + f];
    this.exports.rbf_row(this.at.x, this.featureCount, this.at.sv, this.stride, this.stride, -gamma, this.at.kernel);
  }

  /** One-vs-one decision values from `kernelValues` into `decisions`. */
  ovo(): void {
    this.exports.ovo(this.at.table, this.pairCount, this.at.intercepts, this.at.out);
  }
}
