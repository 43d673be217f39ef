import ort from 'onnxruntime-node';
import type { OnnxPrecision } from '../train/onnx/onnx-graph.js';

/**
 * Runs an ONNX graph (bytes or a file) straight through onnxruntime-node, without the parity tool's
 * contract checks, so tests of those graphs judge them by what onnxruntime itself returns.
 */
export async function runOnnxRaw(model: Uint8Array | string, precision: OnnxPrecision, rows: Float64Array, count: number, width: number) {
  const session = await ort.InferenceSession.create(model as Uint8Array, { logSeverityLevel: 3 });
  try {
    const input = precision === 'float64' ? new ort.Tensor('float64', rows, [count, width]) : new ort.Tensor('float32', Float32Array.from(rows), [count, width]);
    const out = await session.run({ features: input });
    return { labels: Array.from(out.label.data as string[]), scores: Float64Array.from(out.scores.data as Float32Array), dims: out.scores.dims };
  } finally {
    await session.release();
  }
}
