import ort from 'onnxruntime-node';

export interface OnnxRuntimeBench {
  /** Batch throughput with one intra-op and one inter-op thread. */
  rowsPerSecond1Thread: number;
  /** Batch throughput with onnxruntime's default thread pools (one thread per physical core). */
  rowsPerSecondDefault: number;
  /** Single-row latency on the one-thread session, tensor creation included, in microseconds. */
  p50us: number;
  p99us: number;
}

export interface BenchSettings {
  /** Time spent on each throughput measurement, after warm-up (default 1 s). */
  seconds?: number;
  /** Single-row calls timed for the percentiles (default 5000). */
  samples?: number;
}

/**
 * onnxruntime-node on an ONNX graph in our layout (input `features`, float32 or float64 as the graph declares),
 * for `npm run bench` to show beside our predictor and scikit-learn. `rows` holds `count` raw rows of
 * `featureCount` values; the whole batch is one run() call, repeated until `seconds` have passed.
 */
export async function benchOnnxRuntime(onnxPath: string, rows: Float64Array, count: number, featureCount: number, settings: BenchSettings = {}): Promise<OnnxRuntimeBench> {
  if (count < 1 || rows.length < count * featureCount) throw new RangeError(`expected ${count} rows of ${featureCount} values, found ${rows.length} values`);
  const seconds = settings.seconds ?? 1;
  const samples = settings.samples ?? 5000;
  const single = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 3 });
  const pooled = await ort.InferenceSession.create(onnxPath, { logSeverityLevel: 3 });
  try {
    const type = single.inputMetadata[0].isTensor ? single.inputMetadata[0].type : 'float32';
    const tensor = (values: Float64Array, n: number) =>
      type === 'float64' ? new ort.Tensor('float64', values, [n, featureCount]) : new ort.Tensor('float32', Float32Array.from(values), [n, featureCount]);
    const batch = tensor(rows.subarray(0, count * featureCount), count);
    const throughput = async (session: ort.InferenceSession) => {
      for (let i = 0; i < 3; i++) await session.run({ features: batch });
      let runs = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        await session.run({ features: batch });
        runs++;
        elapsed = performance.now() - start;
      } while (elapsed < seconds * 1000);
      return (runs * count) / (elapsed / 1000);
    };
    const rowsPerSecond1Thread = await throughput(single);
    const rowsPerSecondDefault = await throughput(pooled);

    const times = new Float64Array(samples);
    for (let i = -Math.min(200, samples); i < samples; i++) {
      const r = ((i % count) + count) % count;
      const t0 = process.hrtime.bigint();
      await single.run({ features: tensor(rows.subarray(r * featureCount, (r + 1) * featureCount), 1) });
      const t1 = process.hrtime.bigint();
      if (i >= 0) times[i] = Number(t1 - t0) / 1000;
    }
    times.sort();
    const pct = (p: number) => times[Math.min(samples - 1, Math.floor(p * samples))];
    return { rowsPerSecond1Thread, rowsPerSecondDefault, p50us: pct(0.5), p99us: pct(0.99) };
  } finally {
    await single.release();
    await pooled.release();
  }
}
