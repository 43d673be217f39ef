import type { FeatureTable } from '../../infer/feature-table.js';
import type { Predictor } from '../../infer/predictor.js';
import { META, type OnnxPrecision } from '../onnx/onnx-graph.js';
import { compareParity, type ParityReport } from './compare.js';
import { OnnxContractError } from './errors.js';
import { OnnxScorer } from './onnx-scorer.js';

/**
 * Default absolute score tolerance per graph precision. float32: onnxruntime's ai.onnx.ml ops round inputs,
 * support vectors and coefficients to float32; on the reference model the largest difference measured over the
 * 3000 reference rows is 3.5e-6 (pickle-parity.test.ts and onnx-graph.test.ts pin it under 1e-5), and 1e-4 leaves room for models with
 * larger coefficients. float64: measured differences are about 1e-14, from summation order alone.
 */
export const DEFAULT_TOLERANCE: Record<OnnxPrecision, number> = { float32: 1e-4, float64: 1e-10 };

export interface ParityOptions {
  /** Absolute score tolerance; defaults by the graph's precision. */
  tolerance?: number;
  /** Required share of rows whose labels agree, near-boundary rows aside (1 = every row). */
  minAgreement: number;
  threads?: number;
}

export interface ParityResult {
  report: ParityReport;
  onnx: { file: string; precision: OnnxPrecision; source?: string };
  model: { id: string; classes: readonly string[]; features: readonly string[] };
}

/** Scores every row with our predictor and with onnxruntime, then compares labels and scores. */
export async function runParity(predictor: Predictor, onnxFile: string, table: FeatureTable, options: ParityOptions): Promise<ParityResult> {
  if (table.featureNames.join(',') !== predictor.featureNames.join(',')) {
    throw new OnnxContractError(onnxFile, `rows carry features [${table.featureNames.join(',')}], the model [${predictor.featureNames.join(',')}]`);
  }
  const scorer = await OnnxScorer.open(onnxFile, { featureNames: predictor.featureNames, classes: predictor.classes }, { threads: options.threads });
  try {
    const onnx = await scorer.run(table.values, table.count);
    const ours = predictor.scoreBatch(table.values, table.count);
    const report = compareParity(
      { labels: Array.from(ours.classIndex, (c) => predictor.classes[c]), scores: ours.decision },
      { labels: onnx.labels, scores: onnx.scores },
      { tolerance: options.tolerance ?? DEFAULT_TOLERANCE[scorer.precision], minAgreement: options.minAgreement, pairNames: predictor.pairNames(), lines: table.lines },
    );
    return {
      report,
      onnx: { file: onnxFile, precision: scorer.precision, source: scorer.metadata.get(META.source) },
      model: { id: predictor.id, classes: predictor.classes, features: predictor.featureNames },
    };
  } finally {
    await scorer.release();
  }
}
