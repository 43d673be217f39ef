import type { Predictor } from '../infer/predictor.js';
import { bestOf, quantile } from './stats.js';

export interface InferFigures {
  rowsPerSecond: number;
  p50us: number;
  p99us: number;
}

/** Batch rows/s (best of several passes over `rows`) and single-row predict() latency. */
export function benchPredictor(predictor: Predictor, rows: Float64Array, count: number): InferFigures {
  const n = predictor.featureNames.length;
  const out = { classIndex: new Int32Array(count), decision: new Float64Array(count * predictor.pairCount) };
  const passes = 20;
  for (let i = 0; i < 3; i++) predictor.scoreBatch(rows, count, out);
  const ms = bestOf(5, () => {
    for (let i = 0; i < passes; i++) predictor.scoreBatch(rows, count, out);
  });
  const latencies = new Float64Array(count);
  const row = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    row.set(rows.subarray(r * n, r * n + n));
    const t0 = process.hrtime.bigint();
    predictor.predict(row);
    latencies[r] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return { rowsPerSecond: (passes * count) / (ms / 1000), p50us: quantile(latencies, 0.5), p99us: quantile(latencies, 0.99) };
}
