import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MODEL_FORMAT, MODEL_VERSION, type ModelArtifact } from '../../infer/artifact.js';
import { DEFAULT_CALIBRATION, DEFAULT_FEATURES } from '../../infer/calibration.js';
import { FittedScaler } from '../../infer/standard-scaler.js';

export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../../shared/reference');
export const CLASSES = ['normal', 'c1', 'c2', 'c3'];

/**
 * A small valid model for tests, built by hand from the reference dataset: the scaler fitted on all rows
 * (population sd), one support vector per class at the class mean in scaled space, and dual coefficients
 * +1/-1 so that each pair votes for the nearer class mean (RBF, gamma 0.2): a nearest-centroid SVC.
 */
export function buildFixtureModel(): { model: ModelArtifact; scaler: ReturnType<FittedScaler['toJSON']> } {
  const lines = readFileSync(path.join(REFERENCE_DIR, 'power_data_labeled.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => {
    const [v, label, c1, c2, c3, feeder] = l.split(',');
    return { label, x: [Number(v), Number(c1), Number(c2), Number(c3), Number(feeder)] };
  });
  const n = 5;
  const mean = Array.from({ length: n }, (_, f) => rows.reduce((s, r) => s + r.x[f], 0) / rows.length);
  const scale = mean.map((m, f) => Math.sqrt(rows.reduce((s, r) => s + (r.x[f] - m) ** 2, 0) / rows.length));
  const scaler = FittedScaler.fromStatistics(DEFAULT_FEATURES, mean, scale, rows.length);
  const centroids = CLASSES.map((c) => {
    const members = rows.filter((r) => r.label === c);
    return Array.from({ length: n }, (_, f) => (members.reduce((s, r) => s + r.x[f], 0) / members.length - mean[f]) / scale[f]);
  });
  // sv_coef rows: for a vector of class c, pair (c, j>c) sits in row j-1 with +1; pair (i<c, c) in row i with -1.
  const dualCoef = Array.from({ length: CLASSES.length - 1 }, (_, row) =>
    CLASSES.map((_, c) => (row >= c ? 1 : -1)),
  );
  const min = Array.from({ length: n }, (_, f) => Math.min(...rows.map((r) => r.x[f])));
  const max = Array.from({ length: n }, (_, f) => Math.max(...rows.map((r) => r.x[f])));
  const metrics = { precision: 1, recall: 1, f1: 1, support: 1 };
  const model: ModelArtifact = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    id: 'svc-fixture00001',
    features: DEFAULT_FEATURES,
    classes: CLASSES,
    kernel: { type: 'rbf', gamma: 0.2, coef0: 0, degree: 3 },
    vectorsPerClass: [1, 1, 1, 1],
    supportVectors: centroids,
    dualCoef,
    intercepts: [0, 0, 0, 0, 0, 0],
    scaler: { file: 'scaler.json', digest: scaler.digest() },
    featureRanges: { min, max },
    calibration: DEFAULT_CALIBRATION,
    training: {
      dataset: { file: 'power_data_labeled.csv', sha256: 'fixture', rows: rows.length },
      protocol: 'default',
      testSize: 0,
      seed: 0,
      trainRows: rows.length,
      testRows: 0,
      params: { C: 1, gamma: 0.2, tol: 0.001, shrinking: true, cacheSizeMb: 100, classWeight: {} },
      supportIndices: [0, 1, 2, 3],
      libraries: {},
      createdAt: '2025-06-01T00:00:00Z',
    },
    metrics: {
      classes: CLASSES,
      perClass: Object.fromEntries(CLASSES.map((c) => [c, metrics])),
      accuracy: 1,
      macroAvg: metrics,
      weightedAvg: metrics,
      confusionMatrix: CLASSES.map((_, i) => CLASSES.map((__, j) => (i === j ? 1 : 0))),
    },
  };
  return { model, scaler: scaler.toJSON() };
}

/** Writes the fixture model into `dir` as model.json + scaler.json and returns `dir`. */
export function writeFixtureModel(dir: string): string {
  const { model, scaler } = buildFixtureModel();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
  writeFileSync(path.join(dir, 'scaler.json'), JSON.stringify(scaler));
  return dir;
}
