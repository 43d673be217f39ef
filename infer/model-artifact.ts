import {
  MODEL_FORMAT,
  MODEL_VERSION,
  type Calibration,
  type ClassificationReport,
  type ClassMetrics,
  type ModelArtifact,
  type TrainingMetadata,
} from './artifact.js';
import { ArtifactError } from './errors.js';
import {
  expectArray,
  expectCount,
  expectFinite,
  expectHeader,
  expectLiteral,
  expectNumbers,
  expectObject,
  expectString,
  expectStrings,
} from './json-checks.js';
import { CompiledFeatureSet } from './feature-sets.js';
import { readFeatures } from './standard-scaler.js';
import { FittedSvc } from './svc.js';

/**
 * Validates an untrusted model.json; every error names the JSON path, what was expected and what was found.
 * With a `featureSet`, its inputs must be the model's features and the support vectors have its width.
 */
export function parseModelArtifact(json: unknown): { artifact: ModelArtifact; svc: FittedSvc; featureSet?: CompiledFeatureSet } {
  const o = expectHeader(json, MODEL_FORMAT, MODEL_VERSION, 'model');
  const id = expectString(o.id, '$.id');
  const features = readFeatures(o.features, '$.features');
  const n = features.length;
  const featureSet = o.featureSet === undefined ? undefined : CompiledFeatureSet.fromJSON(o.featureSet, '$.featureSet');
  if (featureSet) {
    const names = features.map((f) => f.name).join(',');
    if (featureSet.definition.inputs.join(',') !== names) {
      throw new ArtifactError('$.featureSet.inputs', `expected the model's features [${names}], found [${featureSet.definition.inputs.join(',')}]`);
    }
  }
  const svc = FittedSvc.fromJSON(o, featureSet?.outputCount ?? n);
  const scalerRef = expectObject(o.scaler, '$.scaler');
  const scaler = { file: expectString(scalerRef.file, '$.scaler.file'), digest: expectString(scalerRef.digest, '$.scaler.digest') };
  const ranges = expectObject(o.featureRanges, '$.featureRanges');
  const featureRanges = { min: expectNumbers(ranges.min, '$.featureRanges.min', n), max: expectNumbers(ranges.max, '$.featureRanges.max', n) };
  featureRanges.min.forEach((lo, i) => {
    if (lo > featureRanges.max[i]) throw new ArtifactError(`$.featureRanges.min[${i}]`, `min ${lo} is above max ${featureRanges.max[i]}`);
  });
  const calibration = readCalibration(o.calibration, features.map((f) => f.name));
  const training = readTraining(o.training);
  const metrics = readReport(o.metrics, '$.metrics');
  const artifact: ModelArtifact = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    id,
    features,
    ...(featureSet ? { featureSet: featureSet.definition } : {}),
    ...svc.toJSON(),
    scaler,
    featureRanges,
    calibration,
    training,
    metrics,
  };
  return { artifact, svc, featureSet };
}

function readCalibration(value: unknown, featureNames: string[]): Calibration {
  const o = expectObject(value, '$.calibration');
  const entries = expectArray(o.entries, '$.calibration.entries', featureNames.length).map((e, i) => {
    const path = `$.calibration.entries[${i}]`;
    const eo = expectObject(e, path);
    const feature = expectString(eo.feature, `${path}.feature`);
    if (feature !== featureNames[i]) {
      throw new ArtifactError(`${path}.feature`, `expected feature "${featureNames[i]}" (the model's feature order), found "${feature}"`);
    }
    const scale = expectFinite(eo.scale, `${path}.scale`);
    if (scale === 0) throw new ArtifactError(`${path}.scale`, 'expected a non-zero scale, found 0');
    return {
      feature,
      source: expectString(eo.source, `${path}.source`),
      sourceUnit: expectString(eo.sourceUnit, `${path}.sourceUnit`),
      scale,
      offset: expectFinite(eo.offset, `${path}.offset`),
    };
  });
  return { description: expectString(o.description, '$.calibration.description'), entries };
}

function readTraining(value: unknown): TrainingMetadata {
  const o = expectObject(value, '$.training');
  const dataset = expectObject(o.dataset, '$.training.dataset');
  const params = expectObject(o.params, '$.training.params');
  const gamma = params.gamma;
  const weights = expectObject(params.classWeight, '$.training.params.classWeight');
  return {
    dataset: {
      file: expectString(dataset.file, '$.training.dataset.file'),
      sha256: expectString(dataset.sha256, '$.training.dataset.sha256'),
      rows: expectCount(dataset.rows, '$.training.dataset.rows'),
    },
    protocol: expectLiteral(o.protocol, '$.training.protocol', ['default', 'notebook'] as const),
    testSize: expectFinite(o.testSize, '$.training.testSize'),
    seed: expectCount(o.seed, '$.training.seed'),
    trainRows: expectCount(o.trainRows, '$.training.trainRows'),
    testRows: expectCount(o.testRows, '$.training.testRows'),
    params: {
      C: expectFinite(params.C, '$.training.params.C'),
      gamma: typeof gamma === 'string' ? expectLiteral(gamma, '$.training.params.gamma', ['scale', 'auto'] as const) : expectFinite(gamma, '$.training.params.gamma'),
      tol: expectFinite(params.tol, '$.training.params.tol'),
      shrinking: params.shrinking === true,
      cacheSizeMb: expectFinite(params.cacheSizeMb, '$.training.params.cacheSizeMb'),
      classWeight: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, expectFinite(v, `$.training.params.classWeight.${k}`)])),
    },
    supportIndices: expectArray(o.supportIndices, '$.training.supportIndices').map((v, i) => expectCount(v, `$.training.supportIndices[${i}]`)),
    libraries: Object.fromEntries(
      Object.entries(expectObject(o.libraries, '$.training.libraries')).map(([k, v]) => [k, expectString(v, `$.training.libraries.${k}`)]),
    ),
    createdAt: expectString(o.createdAt, '$.training.createdAt'),
  };
}

function readMetrics(value: unknown, path: string): ClassMetrics {
  const o = expectObject(value, path);
  return {
    precision: expectFinite(o.precision, `${path}.precision`),
    recall: expectFinite(o.recall, `${path}.recall`),
    f1: expectFinite(o.f1, `${path}.f1`),
    support: expectCount(o.support, `${path}.support`),
  };
}

export function readReport(value: unknown, path: string): ClassificationReport {
  const o = expectObject(value, path);
  const classes = expectStrings(o.classes, `${path}.classes`);
  const perClassObj = expectObject(o.perClass, `${path}.perClass`);
  const perClass = Object.fromEntries(classes.map((c) => [c, readMetrics(perClassObj[c], `${path}.perClass.${c}`)]));
  const confusionMatrix = expectArray(o.confusionMatrix, `${path}.confusionMatrix`, classes.length).map((r, i) =>
    expectNumbers(r, `${path}.confusionMatrix[${i}]`, classes.length),
  );
  return {
    classes,
    perClass,
    accuracy: expectFinite(o.accuracy, `${path}.accuracy`),
    macroAvg: readMetrics(o.macroAvg, `${path}.macroAvg`),
    weightedAvg: readMetrics(o.weightedAvg, `${path}.weightedAvg`),
    confusionMatrix,
  };
}
