import { execFile } from 'node:child_process';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../infer/feature-table.js';
import { REFERENCE_CSV, REFERENCE_DIR } from '../test-support/reference.js';
import { referenceModel } from '../test-support/reference-model.js';
import { buildOnnxModel } from '../train/onnx/onnx-graph.js';
import { encodeOnnx } from '../train/onnx/onnx-proto.js';
import { bridgeGate, requirePython } from '../train/parity/bridge-gate.js';
import { benchOnnxRuntime } from './onnxruntime.js';

const gate = await bridgeGate('bench sklearn');

describe('benchmark adapters (short runs: they must work, not measure)', () => {
  it.each(['float32', 'float64'] as const)('benchOnnxRuntime on the %s graph returns rates and latencies', async (precision) => {
    const { predictor } = await referenceModel();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'bench-ort-')), 'model.onnx');
    await writeFile(file, encodeOnnx(buildOnnxModel(predictor, precision)));
    const table = parseCsvTable(await readFile(REFERENCE_CSV, 'utf8'), { featureNames: predictor.featureNames });
    const r = await benchOnnxRuntime(file, table.values, 300, 5, { seconds: 0.05, samples: 50 });
    expect(Object.keys(r).sort()).toEqual(['p50us', 'p99us', 'rowsPerSecond1Thread', 'rowsPerSecondDefault']);
    expect(Object.values(r).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(r.p99us).toBeGreaterThanOrEqual(r.p50us);
  });

  it.skipIf(gate.skip)('bench/sklearn.py prints its JSON', async () => {
    const args = [path.join(import.meta.dirname, 'sklearn.py'), '--data', REFERENCE_CSV, '--scaler', path.join(REFERENCE_DIR, 'scaler.pkl'), '--svc', path.join(REFERENCE_DIR, 'theft_detector_svm.pkl'), '--seconds', '0.05', '--samples', '20'];
    const { stdout } = await promisify(execFile)(requirePython(gate), args);
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ rows: 3000, versions: { 'scikit-learn': expect.any(String) } });
    for (const k of ['batch_rows_per_second', 'single_p50_us', 'single_p99_us', 'fit_seconds']) expect(r[k]).toBeGreaterThan(0);
  });
});
