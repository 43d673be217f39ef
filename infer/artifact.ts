/**
 * The model and scaler artifacts: the contract between training and every
 * place that predicts (CLI, Lambda, local stack, ONNX export).
 *
 * Layouts follow ONNX-ML's SVMClassifier so that the ONNX export is mechanical:
 * support vectors concatenated class by class, `vectorsPerClass`, libsvm's
 * one-vs-one dual coefficients ((classes - 1) rows of one entry per support
 * vector), one intercept (= -rho) per class pair in the order (0,1), (0,2), ...,
 * (1,2), ...; a positive decision value votes for the pair's first class.
 */

export const SCALER_FORMAT = 'gridsentry.scaler';
export const MODEL_FORMAT = 'gridsentry.svc';
/** Versions this build reads. A newer file is refused rather than half-understood. */
export const SCALER_VERSION = 1;
export const MODEL_VERSION = 1;

export interface FeatureSpec {
  name: string;
  /** Unit of the value the model receives (dataset units, see the calibration). */
  unit: string;
}

export interface ScalerArtifact {
  format: typeof SCALER_FORMAT;
  version: typeof SCALER_VERSION;
  features: FeatureSpec[];
  /** Per-feature mean, in feature units. */
  mean: number[];
  /** Per-feature population standard deviation (ddof 0); 1 where the feature was constant. */
  scale: number[];
  /** Rows the scaler was fitted on. */
  samples: number;
}

export const KERNEL_TYPES = ['rbf', 'linear', 'poly', 'sigmoid'] as const;
export type KernelType = (typeof KERNEL_TYPES)[number];

/** Kernel parameters with ONNX-ML's names: k(x, y) = exp(-gamma |x-y|^2), (gamma x.y + coef0)^degree, ... */
export interface KernelParams {
  type: KernelType;
  gamma: number;
  coef0: number;
  degree: number;
}

/** The math of a fitted one-vs-one C-SVC: everything needed to compute decision values. */
export interface SvcParams {
  /** Class names; the position is the class index (sorted as scikit-learn sorts its labels). */
  classes: string[];
  kernel: KernelParams;
  /** Support vectors per class, in class order; they sum to the number of support vectors. */
  vectorsPerClass: number[];
  /** Support vectors in scaled feature space, class by class: one row per vector. */
  supportVectors: number[][];
  /** libsvm's sv_coef: (classes - 1) rows, one entry per support vector. */
  dualCoef: number[][];
  /** One intercept (-rho) per class pair, pairs in the order (0,1), (0,2), ..., (1,2), ... */
  intercepts: number[];
}

/** How a meter reading becomes a feature row: feature = reading[source] * scale + offset. */
export interface CalibrationEntry {
  feature: string;
  /** Dotted path in the meter payload, e.g. `transformer1.current`. */
  source: string;
  sourceUnit: string;
  scale: number;
  offset: number;
}

export interface Calibration {
  /** Why these numbers: where they come from and what they assume. */
  description: string;
  entries: CalibrationEntry[];
}

export type ScalerProtocol = 'default' | 'notebook';
export type GammaSetting = 'scale' | 'auto' | number;

export interface TrainingParams {
  C: number;
  /** As requested; the resolved value is `kernel.gamma`. */
  gamma: GammaSetting;
  tol: number;
  shrinking: boolean;
  cacheSizeMb: number;
  /** Per-class weight multiplying C, by class name; absent means 1. */
  classWeight: Record<string, number>;
}

export interface TrainingMetadata {
  dataset: { file: string; sha256: string; rows: number };
  protocol: ScalerProtocol;
  testSize: number;
  seed: number;
  trainRows: number;
  testRows: number;
  params: TrainingParams;
  /** Row indices (0-based, in file order) of the support vectors, class by class. */
  supportIndices: number[];
  libraries: Record<string, string>;
  createdAt: string;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** scikit-learn's classification_report, plus the confusion matrix (rows: true class, columns: predicted). */
export interface ClassificationReport {
  classes: string[];
  perClass: Record<string, ClassMetrics>;
  accuracy: number;
  macroAvg: ClassMetrics;
  weightedAvg: ClassMetrics;
  confusionMatrix: number[][];
}

/** One engineered feature: (sum of `numerator` inputs) / (sum of `denominator` inputs); no denominator means the sum itself. */
export interface DerivedFeature {
  name: string;
  unit: string;
  numerator: string[];
  denominator: string[];
}

/**
 * How a model derives the features it was trained on from its raw inputs (infer/feature-sets.ts).
 * `inputs` are the model's `features` (what the calibration produces), in order; the scaler and the
 * support vectors live in the space of `features` here.
 */
export interface FeatureSet {
  name: string;
  inputs: string[];
  features: DerivedFeature[];
}

export interface ModelArtifact extends SvcParams {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** Stable id derived from the model's numbers: `svc-` + 12 hex digits of a sha256. */
  id: string;
  /** The raw inputs the model reads, in order: what the calibration produces. */
  features: FeatureSpec[];
  /** Optional: the engineered features the scaler and SVC work on. Absent: the raw features themselves. */
  featureSet?: FeatureSet;
  /** The scaler this model was trained with; loading refuses any other. */
  scaler: { file: string; digest: string };
  /** Range of each raw input over the training rows; inference flags readings outside it. */
  featureRanges: { min: number[]; max: number[] };
  calibration: Calibration;
  training: TrainingMetadata;
  /** Test-split metrics at training time. */
  metrics: ClassificationReport;
}
