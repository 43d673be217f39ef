import { KERNEL_TYPES, type KernelParams, type SvcParams } from './artifact.js';
import { ArtifactError } from './errors.js';
import {
  expectArray,
  expectCount,
  expectFinite,
  expectLiteral,
  expectNumbers,
  expectObject,
  expectPositive,
  expectStrings,
} from './json-checks.js';
import { fillKernelRow } from './kernels.js';
import { SvcDecisionWasm } from './svc-decision-wasm.js';

/**
 * A fitted one-vs-one C-SVC, evaluated the way libsvm's svm_predict_values does:
 * each support vector's kernel value is computed once per row and shared by all pairs.
 * Arrays are flat Float64Arrays prepared once at load (onnxruntime's SVM kernel does the same);
 * the loops run in WebAssembly SIMD (svc-decision-wasm.ts).
 */
export class FittedSvc {
  readonly classes: readonly string[];
  readonly kernel: Readonly<KernelParams>;
  readonly vectorsPerClass: readonly number[];
  readonly featureCount: number;
  readonly vectorCount: number;
  readonly pairCount: number;
  /** Support vectors, row-major, class by class. */
  readonly vectors: Float64Array;
  /** libsvm's sv_coef, row-major: (classes - 1) x vectorCount. */
  readonly dualCoef: Float64Array;
  readonly intercepts: Float64Array;
  private readonly wasm: SvcDecisionWasm;
  /** Reused by every call, so the hot loop allocates nothing. */
  private readonly votes: Int32Array;

  private constructor(p: SvcParams) {
    this.classes = [...p.classes];
    this.kernel = { ...p.kernel };
    this.vectorsPerClass = [...p.vectorsPerClass];
    this.vectorCount = p.supportVectors.length;
    this.featureCount = p.supportVectors[0]?.length ?? 0;
    this.pairCount = (p.classes.length * (p.classes.length - 1)) / 2;
    this.vectors = Float64Array.from(p.supportVectors.flat());
    this.dualCoef = Float64Array.from(p.dualCoef.flat());
    this.intercepts = Float64Array.from(p.intercepts);
    this.wasm = new SvcDecisionWasm({ ...this, classCount: p.classes.length });
    this.votes = new Int32Array(p.classes.length);
  }

  /** Validates every length against its declared count, every number finite, gamma > 0 where the kernel uses it. */
  static fromJSON(json: unknown, featureCount?: number): FittedSvc {
    const o = expectObject(json, '$');
    const classes = expectStrings(o.classes, '$.classes');
    if (classes.length < 2) throw new ArtifactError('$.classes', `expected at least 2 classes, found ${classes.length}`);
    if (new Set(classes).size !== classes.length) throw new ArtifactError('$.classes', 'class names must be distinct');
    const k = expectObject(o.kernel, '$.kernel');
    const type = expectLiteral(k.type, '$.kernel.type', KERNEL_TYPES);
    const kernel: KernelParams = {
      type,
      gamma: type === 'linear' ? expectFinite(k.gamma, '$.kernel.gamma') : expectPositive(k.gamma, '$.kernel.gamma'),
      coef0: expectFinite(k.coef0, '$.kernel.coef0'),
      degree: expectCount(k.degree, '$.kernel.degree'),
    };
    const vectorsPerClass = expectArray(o.vectorsPerClass, '$.vectorsPerClass', classes.length).map((v, i) =>
      expectCount(v, `$.vectorsPerClass[${i}]`),
    );
    const total = vectorsPerClass.reduce((a, b) => a + b, 0);
    const rows = expectArray(o.supportVectors, '$.supportVectors', total);
    if (total === 0) throw new ArtifactError('$.supportVectors', 'expected at least one support vector, found none');
    const width = featureCount ?? expectArray(rows[0], '$.supportVectors[0]').length;
    const supportVectors = rows.map((r, i) => expectNumbers(r, `$.supportVectors[${i}]`, width));
    const dualCoef = expectArray(o.dualCoef, '$.dualCoef', classes.length - 1).map((r, i) =>
      expectNumbers(r, `$.dualCoef[${i}]`, total),
    );
    const pairs = (classes.length * (classes.length - 1)) / 2;
    const intercepts = expectNumbers(o.intercepts, '$.intercepts', pairs);
    return new FittedSvc({ classes, kernel, vectorsPerClass, supportVectors, dualCoef, intercepts });
  }

  toJSON(): SvcParams {
    const n = this.featureCount;
    const supportVectors: number[][] = [];
    for (let s = 0; s < this.vectorCount; s++) supportVectors.push(Array.from(this.vectors.subarray(s * n, s * n + n)));
    const dualCoef: number[][] = [];
    for (let r = 0; r < this.classes.length - 1; r++) {
      dualCoef.push(Array.from(this.dualCoef.subarray(r * this.vectorCount, (r + 1) * this.vectorCount)));
    }
    return {
      classes: [...this.classes],
      kernel: { ...this.kernel },
      vectorsPerClass: [...this.vectorsPerClass],
      supportVectors,
      dualCoef,
      intercepts: Array.from(this.intercepts),
    };
  }

  /**
   * One-vs-one decision values of one scaled row (at `rows[offset..]`) into `out[outOffset..]`.
   * Returns the winning class index: most votes, ties to the lowest index (libsvm's rule).
   */
  decide(rows: Float64Array, offset: number, out: Float64Array, outOffset: number): number {
    const kernel = this.kernel;
    if (kernel.type === 'rbf') this.wasm.rbf(rows, offset, kernel.gamma);
    else fillKernelRow(kernel as Parameters<typeof fillKernelRow>[0], this.vectors, this.vectorCount, this.featureCount, rows, offset, this.wasm.kernelValues);
    this.wasm.ovo();
    const decisions = this.wasm.decisions;
    const votes = this.votes;
    const nClasses = this.classes.length;
    votes.fill(0);
    for (let i = 0, p = 0; i < nClasses; i++) {
      for (let j = i + 1; j < nClasses; j++, p++) {
        const sum = decisions[p];
        out[outOffset + p] = sum;
        if (sum > 0) votes[i]++;
        else votes[j]++;
      }
    }
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (votes[c] > votes[best]) best = c;
    return best;
  }
}
