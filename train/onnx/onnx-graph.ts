import type { KernelType } from '../../infer/artifact.js';
import type { Predictor } from '../../infer/predictor.js';
import { OnnxExportError } from './errors.js';
import {
  AttributeType,
  DataType,
  rawDoubles,
  rawInt64s,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto.js';

/**
 * One graph layout for every SVC we export, shared with notebooks/pickle_to_onnx.py (keep the two in step;
 * onnx-graph.test.ts compares them node by node):
 *
 *   input  features [N, F]   raw feature rows (the scaler is in the graph)
 *   output label    [N]      class name (string)
 *   output scores   [N, P]   one-vs-one decision values, P = K(K-1)/2, pairs (0,1), (0,2), ..., (1,2), ...;
 *                            positive votes for the pair's first class (libsvm's sign, our artifact's)
 *
 * float32: ai.onnx.ml Scaler + SVMClassifier, the portable form. onnxruntime evaluates them in float32.
 * float64: the same math from standard ops on doubles, which agrees with our predictor to rounding.
 */
export type OnnxPrecision = 'float32' | 'float64';
export const ONNX_PRECISIONS: readonly OnnxPrecision[] = ['float32', 'float64'];

export const IR_VERSION = 8;
export const OPSET_ONNX = 17;
export const OPSET_ML = 3;
export const INPUT_NAME = 'features';
export const LABEL_NAME = 'label';
export const SCORES_NAME = 'scores';
export const SCORES_DOC =
  "one-vs-one decision values, pairs (0,1),(0,2),...,(1,2),...; positive votes for the pair's first class (libsvm's sign)";
/** metadata_props keys; the parity tool checks a graph's features and classes against the model's with them. */
export const META = {
  features: 'gridsentry.features',
  classes: 'gridsentry.classes',
  pairs: 'gridsentry.pairs',
  scores: 'gridsentry.scores',
  precision: 'gridsentry.precision',
  source: 'gridsentry.source',
} as const;

const ONNX_KERNELS: Record<KernelType, string> = { linear: 'LINEAR', poly: 'POLY', rbf: 'RBF', sigmoid: 'SIGMOID' };
const FLOAT32_MAX = 3.4028234663852886e38;

/** The numbers of a validated model, flat, in the artifact's conventions. */
export interface SvcGraphParams {
  features: readonly string[];
  classes: readonly string[];
  kernel: { type: KernelType; gamma: number; coef0: number; degree: number };
  vectorsPerClass: readonly number[];
  /** Row-major, class by class: vectorCount x features.length. */
  supportVectors: Float64Array;
  /** libsvm's sv_coef, row-major: (classes - 1) x vectorCount. */
  dualCoef: Float64Array;
  intercepts: Float64Array;
  mean: Float64Array;
  scale: Float64Array;
}

export function graphParams(predictor: Predictor): SvcGraphParams {
  const { svc, scaler } = predictor;
  const featureSet = predictor.artifact.featureSet;
  if (featureSet) {
    // The graph's input would be the raw readings while the scaler expects derived features: refuse rather than export a wrong model.
    throw new OnnxExportError(
      `model ${predictor.id} derives its features (feature set ${featureSet.name}: ${featureSet.features.map((f) => f.name).join(', ')}); the ONNX export covers raw-feature models only`,
    );
  }
  return {
    features: predictor.featureNames,
    classes: svc.classes,
    kernel: { ...svc.kernel },
    vectorsPerClass: svc.vectorsPerClass,
    supportVectors: svc.vectors,
    dualCoef: svc.dualCoef,
    intercepts: svc.intercepts,
    mean: scaler.mean,
    scale: scaler.scale,
  };
}

/** The ONNX model of a loaded predictor (its artifacts are validated on load); `source` is recorded in the metadata. */
export function buildOnnxModel(predictor: Predictor, precision: OnnxPrecision, source = `gridsentry model ${predictor.id}`): OnnxModel {
  return buildSvcModel(graphParams(predictor), precision, source, 'gridsentry-export-onnx');
}

export function buildSvcModel(m: SvcGraphParams, precision: OnnxPrecision, source: string, producer: string): OnnxModel {
  const k = m.classes.length;
  const pairs = (k * (k - 1)) / 2;
  const f = m.features.length;
  const { nodes, inits } = precision === 'float64' ? float64Graph(m) : float32Graph(m);
  const elemType = precision === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
  const pairNames: string[] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairNames.push(`${m.classes[i]}-${m.classes[j]}`);
  return {
    ir_version: IR_VERSION,
    producer_name: producer,
    producer_version: '1',
    opset_import: [{ domain: '', version: OPSET_ONNX }, ...(precision === 'float32' ? [{ domain: 'ai.onnx.ml', version: OPSET_ML }] : [])],
    graph: {
      name: 'gridsentry_svc',
      node: nodes,
      initializer: inits,
      input: [{ name: INPUT_NAME, elemType, shape: ['N', f] }],
      output: [
        { name: LABEL_NAME, elemType: DataType.STRING, shape: ['N'] },
        { name: SCORES_NAME, elemType, shape: ['N', pairs] },
      ],
    },
    metadata: [
      [META.features, m.features.join(',')],
      [META.classes, m.classes.join(',')],
      [META.pairs, pairNames.join(',')],
      [META.scores, SCORES_DOC],
      [META.precision, precision],
      [META.source, source],
    ],
  };
}

function float32Graph(m: SvcGraphParams): { nodes: OnnxNode[]; inits: OnnxTensor[] } {
  const k = m.classes.length;
  for (const [name, values] of Object.entries({ supportVectors: m.supportVectors, dualCoef: m.dualCoef, intercepts: m.intercepts, mean: m.mean, scale: m.scale })) {
    if (values.some((v) => Math.abs(v) > FLOAT32_MAX)) throw new OnnxExportError(`${name} exceeds float32's range; export with --precision float64`);
  }
  // For two classes onnxruntime's SVMClassifier writes [-v, v] per row; the graph keeps v, libsvm's value.
  const svcScores = k > 2 ? SCORES_NAME : 'scores_both';
  const nodes: OnnxNode[] = [
    node('Scaler', [INPUT_NAME], ['scaled'], 'scaler', {
      offset: floats(m.mean),
      scale: floats(Array.from(m.scale, (s) => 1 / s)),
    }, 'ai.onnx.ml'),
    node('SVMClassifier', ['scaled'], [LABEL_NAME, svcScores], 'svc', {
      classlabels_strings: strings(m.classes),
      coefficients: floats(m.dualCoef),
      kernel_params: floats([m.kernel.gamma, m.kernel.coef0, m.kernel.degree]),
      kernel_type: str(ONNX_KERNELS[m.kernel.type]),
      post_transform: str('NONE'),
      rho: floats(m.intercepts),
      support_vectors: floats(m.supportVectors),
      vectors_per_class: ints(m.vectorsPerClass),
    }, 'ai.onnx.ml'),
  ];
  const inits: OnnxTensor[] = [];
  if (k === 2) {
    inits.push(int64Tensor('second_start', [1]), int64Tensor('second_end', [2]), int64Tensor('axis1', [1]));
    nodes.push(node('Slice', [svcScores, 'second_start', 'second_end', 'axis1'], [SCORES_NAME], 'libsvm_sign'));
  }
  return { nodes, inits };
}

/** Standard ops on doubles. coefficients[s, pair] holds support vector s's coefficient in that pair (0 outside it). */
function float64Graph(m: SvcGraphParams): { nodes: OnnxNode[]; inits: OnnxTensor[] } {
  const k = m.classes.length;
  const p = (k * (k - 1)) / 2;
  const f = m.features.length;
  const nSv = m.supportVectors.length / f;
  const starts = [0];
  for (const c of m.vectorsPerClass) starts.push(starts[starts.length - 1] + c);
  const w = new Float64Array(nSv * p);
  const voteDelta = new Float64Array(p * k);
  const voteBase = new Float64Array(k);
  let q = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      for (let s = starts[i]; s < starts[i + 1]; s++) w[s * p + q] = m.dualCoef[(j - 1) * nSv + s];
      for (let s = starts[j]; s < starts[j + 1]; s++) w[s * p + q] = m.dualCoef[i * nSv + s];
      voteDelta[q * k + i] = 1;
      voteDelta[q * k + j] = -1;
      voteBase[j] += 1;
      q++;
    }
  }
  const kp = m.kernel;
  const inits: OnnxTensor[] = [
    doubleTensor('mean', [f], m.mean),
    doubleTensor('scale', [f], m.scale),
    doubleTensor('coefficients', [nSv, p], w),
    doubleTensor('rho', [p], m.intercepts),
    doubleTensor('vote_delta', [p, k], voteDelta),
    doubleTensor('vote_base', [k], voteBase),
    doubleTensor('zero', [1], [0]),
    { name: 'classlabels', dims: [k], data_type: DataType.STRING, string_data: m.classes.map(utf8) },
  ];
  const nodes: OnnxNode[] = [node('Sub', [INPUT_NAME, 'mean'], ['centered'], 'center'), node('Div', ['centered', 'scale'], ['scaled'], 'scale')];
  if (kp.type === 'rbf') {
    // |x - s|^2 summed feature by feature, as libsvm's k_function does (no |x|^2 + |s|^2 - 2x.s cancellation).
    inits.push(doubleTensor('support_vectors', [nSv, f], m.supportVectors), doubleTensor('neg_gamma', [1], [-kp.gamma]), int64Tensor('axis1', [1]), int64Tensor('axis2', [2]));
    nodes.push(
      node('Unsqueeze', ['scaled', 'axis1'], ['scaled_3d'], 'rows_3d'),
      node('Sub', ['scaled_3d', 'support_vectors'], ['diff'], 'diff'),
      node('Mul', ['diff', 'diff'], ['diff_sq'], 'diff_sq'),
      node('ReduceSum', ['diff_sq', 'axis2'], ['dist_sq'], 'dist_sq', { keepdims: int(0) }),
      node('Mul', ['dist_sq', 'neg_gamma'], ['exponent'], 'exponent'),
      node('Exp', ['exponent'], ['kernel'], 'kernel'),
    );
  } else {
    const transposed = new Float64Array(nSv * f);
    for (let s = 0; s < nSv; s++) for (let c = 0; c < f; c++) transposed[c * nSv + s] = m.supportVectors[s * f + c];
    inits.push(doubleTensor('support_vectors_t', [f, nSv], transposed));
    nodes.push(node('MatMul', ['scaled', 'support_vectors_t'], [kp.type === 'linear' ? 'kernel' : 'dot'], 'dot'));
    if (kp.type !== 'linear') {
      // gamma as a row, not a scalar: onnxruntime fuses MatMul * scalar into FusedMatMul, whose alpha is float32.
      inits.push(doubleTensor('gamma', [nSv], new Float64Array(nSv).fill(kp.gamma)), doubleTensor('coef0', [1], [kp.coef0]));
      nodes.push(node('Mul', ['dot', 'gamma'], ['dot_scaled'], 'dot_scaled'), node('Add', ['dot_scaled', 'coef0'], ['affine'], 'affine'));
      if (kp.type === 'poly') {
        inits.push(doubleTensor('degree', [1], [kp.degree]));
        nodes.push(node('Pow', ['affine', 'degree'], ['kernel'], 'kernel'));
      } else {
        nodes.push(node('Tanh', ['affine'], ['kernel'], 'kernel'));
      }
    }
  }
  nodes.push(
    node('MatMul', ['kernel', 'coefficients'], ['weighted'], 'weighted'),
    node('Add', ['weighted', 'rho'], [SCORES_NAME], 'scores'),
    node('Greater', [SCORES_NAME, 'zero'], ['positive'], 'positive'),
    node('Cast', ['positive'], ['positive_f'], 'positive_f', { to: int(DataType.DOUBLE) }),
    node('MatMul', ['positive_f', 'vote_delta'], ['vote_change'], 'vote_change'),
    node('Add', ['vote_change', 'vote_base'], ['votes'], 'votes'),
    // Ties go to the lowest class index, libsvm's rule.
    node('ArgMax', ['votes'], ['class_index'], 'class_index', { axis: int(1), keepdims: int(0), select_last_index: int(0) }),
    node('Gather', ['classlabels', 'class_index'], [LABEL_NAME], 'label', { axis: int(0) }),
  );
  return { nodes, inits };
}

type AttrValue = Omit<OnnxAttribute, 'name'>;

/** Attributes sorted by name, as onnx.helper.make_node writes them. */
function node(opType: string, input: string[], output: string[], name: string, attrs: Record<string, AttrValue> = {}, domain = ''): OnnxNode {
  const attribute = Object.keys(attrs)
    .sort()
    .map((key) => ({ name: key, ...attrs[key] }));
  return { input, output, name, op_type: opType, domain, attribute };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const int = (i: number): AttrValue => ({ type: AttributeType.INT, i });
const ints = (v: ArrayLike<number>): AttrValue => ({ type: AttributeType.INTS, ints: Array.from(v) });
const floats = (v: ArrayLike<number>): AttrValue => ({ type: AttributeType.FLOATS, floats: Array.from(v) });
const str = (s: string): AttrValue => ({ type: AttributeType.STRING, s: utf8(s) });
const strings = (v: readonly string[]): AttrValue => ({ type: AttributeType.STRINGS, strings: v.map(utf8) });

function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, dims, data_type: DataType.DOUBLE, raw_data: rawDoubles(values) };
}

function int64Tensor(name: string, values: number[]): OnnxTensor {
  return { name, dims: [values.length], data_type: DataType.INT64, raw_data: rawInt64s(values) };
}
