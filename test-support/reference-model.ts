import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { SVC_DEFAULTS } from '../train/fit-svc.js';
import { readLabeledCsv } from '../train/labeled-dataset.js';
import { trainModel, type TrainedModel } from '../train/train-model.js';
import { REFERENCE_CSV } from './reference.js';

let cached: Promise<TrainedModel> | undefined;

/** The notebook-protocol model on the reference data, trained once per test file. */
export function referenceModel(): Promise<TrainedModel> {
  cached ??= readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES }).then((d) =>
    trainModel(d, { protocol: 'notebook', testSize: 0.2, seed: 42, svc: SVC_DEFAULTS, createdAt: '2026-01-01T00:00:00.000Z' }),
  );
  return cached;
}
