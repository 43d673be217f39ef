import {
  MODEL_FORMAT,
  MODEL_VERSION,
  type Calibration,
  type ClassificationReport,
  type ModelArtifact,
  type ScalerArtifact,
  type ScalerProtocol,
} from '../infer/artifact.js';
import { DEFAULT_CALIBRATION } from '../infer/calibration.js';
import { modelId } from '../infer/digest.js';
import { SCALER_FILE } from '../infer/load-artifacts.js';
import { Predictor } from '../infer/predictor.js';
import type { FittedScaler } from '../infer/standard-scaler.js';
import { classificationReport } from './classification-report.js';
import { DatasetError } from './errors.js';
import { fitScaler } from './fit-scaler.js';
import { fitSvc, type SvcOptions } from './fit-svc.js';
import type { LabeledDataset } from './labeled-dataset.js';
import { libsvmVersion } from './libsvm-module.js';
import { trainTestSplit, type Split } from './train-test-split.js';

export interface TrainOptions {
  /** `default`: scaler fitted on the training split only. `notebook`: on all rows before the split, as the original notebook did (its test rows leak into the scaler). */
  protocol: ScalerProtocol;
  testSize: number;
  seed: number;
  svc: SvcOptions;
  calibration?: Calibration;
  /** Fixed creation time for reproducible artifacts (tests); defaults to now. */
  createdAt?: string;
}

export interface TrainingTimings {
  splitMs: number;
  scalerMs: number;
  fitMs: number;
  evaluateMs: number;
  totalMs: number;
}

export interface TrainedModel {
  predictor: Predictor;
  model: ModelArtifact;
  scaler: ScalerArtifact;
  report: ClassificationReport;
  split: Split;
  timings: TrainingTimings;
}

/** Rows `indices` of a row-major matrix, gathered into a new contiguous matrix. */
export function gatherRows(values: Float64Array, width: number, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) out.set(values.subarray(indices[i] * width, indices[i] * width + width), i * width);
  return out;
}

/** Split, scale, fit, evaluate on the held-out rows, and build validated artifacts. */
export async function trainModel(dataset: LabeledDataset, options: TrainOptions): Promise<TrainedModel> {
  const t0 = performance.now();
  const { table, y, classes, features } = dataset;
  const nf = features.length;
  const count = (rows: ArrayLike<number>) => {
    const n = new Array<number>(classes.length).fill(0);
    for (let i = 0; i < rows.length; i++) n[y[rows[i]]]++;
    return n;
  };
  const inData = count(Int32Array.from({ length: table.count }, (_, r) => r));
  const absent = classes.filter((_, c) => inData[c] === 0);
  if (absent.length > 0) {
    throw new DatasetError(`no rows of class ${absent.join(', ')}; training needs rows of every class (${classes.join(', ')})`, { file: dataset.file });
  }
  const split = trainTestSplit(table.count, options.testSize, options.seed);
  const inTrain = count(split.train);
  const lost = classes.flatMap((name, c) => {
    if (inTrain[c] > 0) return [];
    const lines = Array.from(split.test.filter((r) => y[r] === c), (r) => table.lines[r]).sort((a, b) => a - b);
    return [`${name} (${lines.length} row${lines.length > 1 ? 's' : ''}, line ${lines.slice(0, 3).join(', ')}${lines.length > 3 ? ', …' : ''})`];
  });
  if (lost.length > 0) {
    throw new DatasetError(
      `the split (test size ${options.testSize}, seed ${options.seed}) puts every row of class ${lost.join(', ')} in the test set; every class needs a training row: change the seed or the test size`,
      { file: dataset.file },
    );
  }
  const t1 = performance.now();
  const scaler: FittedScaler =
    options.protocol === 'notebook'
      ? fitScaler(table.values, table.count, features)
      : fitScaler(gatherRows(table.values, nf, split.train), split.train.length, features);
  const trainRaw = gatherRows(table.values, nf, split.train);
  const trainScaled = scaler.transformInto(trainRaw, split.train.length, new Float64Array(trainRaw.length));
  const t2 = performance.now();
  const fit = await fitSvc(trainScaled, Int32Array.from(split.train, (r) => y[r]), classes, options.svc);
  const t3 = performance.now();

  const testScaled = scaler.transformInto(gatherRows(table.values, nf, split.test), split.test.length, new Float64Array(split.test.length * nf));
  const decisions = new Float64Array(fit.svc.pairCount);
  const predicted = Int32Array.from(split.test, (_, i) => fit.svc.decide(testScaled, i * nf, decisions, 0));
  const report = classificationReport(Int32Array.from(split.test, (r) => y[r]), predicted, classes);
  const t4 = performance.now();

  const svcJson = fit.svc.toJSON();
  const scalerJson = scaler.toJSON();
  const scalerDigest = scaler.digest();
  const min = new Array<number>(nf).fill(Infinity);
  const max = new Array<number>(nf).fill(-Infinity);
  for (let i = 0; i < trainRaw.length; i++) {
    const f = i % nf;
    if (trainRaw[i] < min[f]) min[f] = trainRaw[i];
    if (trainRaw[i] > max[f]) max[f] = trainRaw[i];
  }
  const model: ModelArtifact = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    id: modelId(svcJson, scalerDigest),
    features,
    ...svcJson,
    scaler: { file: SCALER_FILE, digest: scalerDigest },
    featureRanges: { min, max },
    calibration: options.calibration ?? DEFAULT_CALIBRATION,
    training: {
      dataset: { file: dataset.file, sha256: dataset.sha256, rows: table.count },
      protocol: options.protocol,
      testSize: options.testSize,
      seed: options.seed,
      trainRows: split.train.length,
      testRows: split.test.length,
      params: {
        C: options.svc.C,
        gamma: options.svc.gamma,
        tol: options.svc.tol,
        shrinking: options.svc.shrinking,
        cacheSizeMb: options.svc.cacheSizeMb,
        classWeight: { ...options.svc.classWeight },
      },
      supportIndices: Array.from(fit.supportRows, (p) => split.train[p]),
      libraries: { 'libsvm-js': libsvmVersion(), node: process.versions.node },
      createdAt: options.createdAt ?? new Date().toISOString(),
    },
    metrics: report,
  };
  // Round-trips our own output through the validator the Lambda uses, so a bad artifact never leaves training.
  const predictor = Predictor.fromArtifacts(JSON.parse(JSON.stringify(model)), JSON.parse(JSON.stringify(scalerJson)));
  const t5 = performance.now();
  return {
    predictor,
    model,
    scaler: scalerJson,
    report,
    split,
    timings: { splitMs: t1 - t0, scalerMs: t2 - t1, fitMs: t3 - t2, evaluateMs: t4 - t3, totalMs: t5 - t0 },
  };
}
