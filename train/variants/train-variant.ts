import type { Calibration, FeatureSpec, ModelArtifact } from '../../infer/artifact.js';
import { DEFAULT_CALIBRATION } from '../../infer/calibration.js';
import { modelId } from '../../infer/digest.js';
import { CompiledFeatureSet } from '../../infer/feature-sets.js';
import { Predictor } from '../../infer/predictor.js';
import { fitScaler } from '../fit-scaler.js';
import { fitSvc, SVC_DEFAULTS, type SvcOptions } from '../fit-svc.js';
import type { LabeledDataset } from '../labeled-dataset.js';
import { gatherRows, trainModel, type TrainedModel } from '../train-model.js';
import { trainTestSplit } from '../train-test-split.js';
import type { ClassWeightSetting, VariantSpec } from './variant-spec.js';

/** scikit-learn's `class_weight='balanced'`: n_rows / (n_classes * rows of the class), over the rows the model is fitted on. */
export function classWeights(setting: ClassWeightSetting, y: ArrayLike<number>, classes: readonly string[]): Record<string, number> {
  if (setting === 'none') return {};
  if (setting !== 'balanced') return { ...setting };
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  return Object.fromEntries(classes.map((name, c) => [name, y.length / (classes.length * Math.max(counts[c], 1))]));
}

/** The SVC options of a variant, with class weights resolved on its training rows. */
export function svcOptionsOf(spec: VariantSpec, yTrain: ArrayLike<number>, classes: readonly string[]): SvcOptions {
  return {
    ...SVC_DEFAULTS,
    kernel: spec.kernel,
    C: spec.C,
    gamma: spec.gamma,
    degree: spec.degree,
    coef0: spec.coef0,
    classWeight: classWeights(spec.classWeight, yTrain, classes),
  };
}

/** The rows in the variant's feature space: the raw matrix itself, or the derived one. */
export function variantFeatures(spec: VariantSpec, dataset: LabeledDataset): { values: Float64Array; features: FeatureSpec[] } {
  if (!spec.featureSet) return { values: dataset.table.values, features: dataset.features };
  const fs = CompiledFeatureSet.fromJSON(spec.featureSet);
  const names = dataset.features.map((f) => f.name).join(',');
  if (spec.featureSet.inputs.join(',') !== names) throw new RangeError(`feature set ${fs.definition.name} reads [${spec.featureSet.inputs}], the dataset has [${names}]`);
  const values = fs.deriveInto(dataset.table.values, dataset.table.count, new Float64Array(dataset.table.count * fs.outputCount));
  return { values, features: fs.specs };
}

export interface FoldFit {
  /** Predicted class and one-vs-one decision values of each validation row. */
  classIndex: Int32Array;
  decision: Float64Array;
  supportVectors: number;
  fitMs: number;
  predictMs: number;
}

/**
 * Fits a variant on `trainRows` and scores `validateRows` (row indices into the dataset), for cross
 * validation. The scaler follows the variant's protocol: `default` fits it on the training rows,
 * `notebook` on every row of the dataset, as the notebook did before its split.
 */
export async function fitFold(dataset: LabeledDataset, spec: VariantSpec, trainRows: Int32Array, validateRows: Int32Array): Promise<FoldFit> {
  const t0 = performance.now();
  const { values, features } = variantFeatures(spec, dataset);
  const nf = features.length;
  const trainValues = gatherRows(values, nf, trainRows);
  const scaler = spec.protocol === 'notebook' ? fitScaler(values, dataset.table.count, features) : fitScaler(trainValues, trainRows.length, features);
  const trainScaled = scaler.transformInto(trainValues, trainRows.length, trainValues);
  const yTrain = Int32Array.from(trainRows, (r) => dataset.y[r]);
  const fit = await fitSvc(trainScaled, yTrain, dataset.classes, svcOptionsOf(spec, yTrain, dataset.classes));
  const t1 = performance.now();
  const evalScaled = scaler.transformInto(gatherRows(values, nf, validateRows), validateRows.length, new Float64Array(validateRows.length * nf));
  const p = fit.svc.pairCount;
  const decision = new Float64Array(validateRows.length * p);
  const classIndex = Int32Array.from(validateRows, (_, i) => fit.svc.decide(evalScaled, i * nf, decision, i * p));
  const t2 = performance.now();
  return { classIndex, decision, supportVectors: fit.svc.vectorCount, fitMs: t1 - t0, predictMs: t2 - t1 };
}

export interface VariantTrainOptions {
  testSize: number;
  seed: number;
  calibration?: Calibration;
  createdAt?: string;
}

/**
 * Trains a variant on the training split and builds its artifacts, through the same `trainModel` as
 * `npm run train`. A raw-feature variant is exactly `trainModel`. With a feature set, `trainModel` runs on
 * the derived columns and the artifact is then re-pointed at the raw inputs: `features`, `featureRanges`
 * and the calibration describe the raw five, `featureSet` says how to derive what the scaler and SVC see.
 */
export async function trainVariant(dataset: LabeledDataset, spec: VariantSpec, options: VariantTrainOptions): Promise<TrainedModel> {
  const split = trainTestSplit(dataset.table.count, options.testSize, options.seed);
  const svc = svcOptionsOf(
    spec,
    Int32Array.from(split.train, (r) => dataset.y[r]),
    dataset.classes,
  );
  const common = { protocol: spec.protocol, testSize: options.testSize, seed: options.seed, svc, createdAt: options.createdAt };
  if (!spec.featureSet) return trainModel(dataset, { ...common, calibration: options.calibration });

  const { values, features } = variantFeatures(spec, dataset);
  // trainModel validates its calibration against the columns it trains on; the real (raw) one is set below.
  const columns: Calibration = {
    description: 'derived columns',
    entries: features.map((f) => ({ feature: f.name, source: f.name, sourceUnit: f.unit, scale: 1, offset: 0 })),
  };
  const derived: LabeledDataset = { ...dataset, features, table: { ...dataset.table, featureNames: features.map((f) => f.name), values } };
  const trained = await trainModel(derived, { ...common, calibration: columns });

  const n = dataset.features.length;
  const trainRaw = gatherRows(dataset.table.values, n, split.train);
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  trainRaw.forEach((v, i) => {
    min[i % n] = Math.min(min[i % n], v);
    max[i % n] = Math.max(max[i % n], v);
  });
  const { classes, kernel, vectorsPerClass, supportVectors, dualCoef, intercepts } = trained.model;
  const svcJson = { classes, kernel, vectorsPerClass, supportVectors, dualCoef, intercepts };
  const m = trained.model;
  const model: ModelArtifact = {
    format: m.format,
    version: m.version,
    id: modelId(svcJson, m.scaler.digest, spec.featureSet),
    features: dataset.features,
    featureSet: spec.featureSet,
    ...svcJson,
    scaler: m.scaler,
    featureRanges: { min, max },
    calibration: options.calibration ?? DEFAULT_CALIBRATION,
    training: m.training,
    metrics: m.metrics,
  };
  const predictor = Predictor.fromArtifacts(JSON.parse(JSON.stringify(model)), JSON.parse(JSON.stringify(trained.scaler)));
  return { ...trained, model, predictor };
}
