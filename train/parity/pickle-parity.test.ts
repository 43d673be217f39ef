import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvTable, type FeatureTable } from '../../infer/feature-table.js';
import { runOnnxRaw } from '../../test-support/onnxruntime-raw.js';
import { maxAbsDiff, maxRelDiff } from '../../test-support/closeness.js';
import { PICKLE, picklePredictions, REFERENCE_CSV, REFERENCE_DIR } from '../../test-support/reference.js';
import { referenceModel } from '../../test-support/reference-model.js';
import type { TrainedModel } from '../train-model.js';
import { buildOnnxModel, type OnnxPrecision } from '../onnx/onnx-graph.js';
import { decodeOnnx, encodeOnnx, readDoubles, type OnnxModel } from '../onnx/onnx-proto.js';
import { bridgeGate, requirePython } from './bridge-gate.js';
import { BridgeError } from './errors.js';
import { convertPickle } from './python-bridge.js';
import { runParity } from './run-parity.js';

// Needs python3 with scikit-learn and onnx (see notebooks/README.md). Skips with a printed reason
// without them, except with CI=true, where a bridge that cannot run fails these tests.
const gate = await bridgeGate('pickle parity');
const REPO = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const SVC_PKL = path.join(REFERENCE_DIR, 'theft_detector_svm.pkl');
const SCALER_PKL = path.join(REFERENCE_DIR, 'scaler.pkl');
const CLASSES = ['normal', 'c1', 'c2', 'c3'];
/** float32 ai.onnx.ml graph vs float64 math: measured 3.5e-6 on the 3000 reference rows. */
const FLOAT32_TOLERANCE = 1e-5;

let dir: string;
let python: string;
const bridged: Partial<Record<OnnxPrecision, string>> = {};
let reference: FeatureTable;


describe.skipIf(gate.skip)('Python bridge on the original pickles', () => {
  beforeAll(async () => {
    python = requirePython(gate);
    dir = await mkdtemp(path.join(tmpdir(), 'pickle-parity-'));
    for (const precision of ['float32', 'float64'] as const) {
      bridged[precision] = path.join(dir, `pickle-${precision}.onnx`);
      await convertPickle({ python, svc: SVC_PKL, scaler: SCALER_PKL, out: bridged[precision]!, precision, classNames: CLASSES });
    }
    reference = parseCsvTable(await readFile(REFERENCE_CSV, 'utf8'), { featureNames: ['line_voltage', 'c1', 'c2', 'c3', 'feeder'] });
  });

  it.each(['float32', 'float64'] as const)("%s graph in onnxruntime-node predicts the pickle's label on all 3000 reference rows", async (precision) => {
    const out = await runOnnxRaw(bridged[precision]!, precision, reference.values, reference.count, 5);
    expect(out.dims).toEqual([3000, 6]);
    expect(out.labels).toEqual(picklePredictions());
  });

  it('records the features, classes and provenance in the graph', () => {
    const meta = Object.fromEntries(decodeOnnx(readFileSync(bridged.float32!)).metadata);
    expect(meta['gridsentry.features']).toBe('line_voltage,c1,c2,c3,feeder');
    expect(meta['gridsentry.classes']).toBe('normal,c1,c2,c3');
    expect(meta['gridsentry.source']).toMatch(/^scikit-learn 1\.6\.1 pickle theft_detector_svm\.pkl sha256:[0-9a-f]{64} \(classes_ \[0, 1, 2, 3\] named normal,c1,c2,c3\)/);
  });

  describe('our notebook-protocol training reproduces the pickle', () => {
    let trained: TrainedModel;
    let pickle: Record<string, Float64Array>;
    beforeAll(async () => {
      trained = await referenceModel();
      // The float64 graph stores the pickle's numbers at full precision.
      const graph = decodeOnnx(readFileSync(bridged.float64!)).graph;
      pickle = Object.fromEntries(graph.initializer.filter((t) => t.data_type === 11).map((t) => [t.name, readDoubles(t)]));
    });

    it('scaler: mean_ and scale_ within 1e-12 relative (both the pickle and the README values)', () => {
      expect(maxRelDiff(trained.scaler.mean, pickle.mean)).toBeLessThanOrEqual(1e-12);
      expect(maxRelDiff(trained.scaler.scale, pickle.scale)).toBeLessThanOrEqual(1e-12);
      expect(Array.from(pickle.mean)).toEqual(PICKLE.mean);
      expect(Array.from(pickle.scale)).toEqual(PICKLE.scale);
    });

    it('the same 421 support vectors, in the same order, and gamma exactly', () => {
      expect(trained.model.supportVectors.length).toBe(421);
      expect(maxAbsDiff(trained.model.supportVectors.flat(), pickle.support_vectors)).toBeLessThanOrEqual(1e-12);
      expect(trained.model.kernel.gamma).toBe(-pickle.neg_gamma[0]);
    });

    it('dual coefficients and intercepts within 1e-9', () => {
      const ours = decodeOnnx(encodeOnnx(buildOnnxModel(trained.predictor, 'float64'))).graph;
      const coefficients = readDoubles(ours.initializer.find((t) => t.name === 'coefficients')!);
      const dual = maxAbsDiff(coefficients, pickle.coefficients);
      const intercepts = maxAbsDiff(trained.model.intercepts, pickle.rho);
      console.log(`[training parity] max |dual coef diff| ${dual.toExponential(2)}, max |intercept diff| ${intercepts.toExponential(2)}`);
      expect(dual).toBeLessThanOrEqual(1e-9);
      expect(intercepts).toBeLessThanOrEqual(1e-9);
    });

    it.each([
      ['float32', FLOAT32_TOLERANCE],
      ['float64', 1e-12],
    ] as const)("our predictor's scores vs the pickle's %s ONNX on all rows: within %s, labels equal", async (precision, tolerance) => {
      const { report } = await runParity(trained.predictor, bridged[precision]!, reference, { minAgreement: 1, tolerance });
      console.log(`[training parity] ${precision}: max |score diff| ${report.maxAbsDiff.toExponential(2)} over ${report.rows} rows`);
      expect(report).toMatchObject({ rows: 3000, labelAgreement: 1, rowsBeyondTolerance: 0, passed: true });
    });

    it.each(['float32', 'float64'] as const)('the Python and TypeScript writers emit the same %s graph layout', (precision) => {
      const py = decodeOnnx(readFileSync(bridged[precision]!));
      const ts = decodeOnnx(encodeOnnx(buildOnnxModel(trained.predictor, precision)));
      expect(layout(ts)).toEqual(layout(py));
      expect(py.metadata.map(([k]) => k)).toEqual(ts.metadata.map(([k]) => k));
      // Numbers: float32 attributes within float32 rounding of values 1e-9 apart; float64 initializers within 1e-9.
      const attrs = (m: OnnxModel) => m.graph.node.flatMap((n) => n.attribute.filter((a) => a.floats?.length).map((a) => a.floats!)).flat();
      expect(maxRelDiffSafe(attrs(ts), attrs(py))).toBeLessThanOrEqual(2 ** -23);
      const doubles = (m: OnnxModel) => m.graph.initializer.filter((t) => t.data_type === 11).flatMap((t) => Array.from(readDoubles(t)));
      expect(maxAbsDiff(doubles(ts), doubles(py))).toBeLessThanOrEqual(1e-9);
    });
  });

  it('parity CLI with --pickle converts first, then compares every row (exit 0, JSON report)', async () => {
    const trained = await referenceModel();
    const modelDir = path.join(dir, 'model');
    await mkdir(modelDir, { recursive: true });
    await writeFile(path.join(modelDir, 'model.json'), JSON.stringify(trained.model));
    await writeFile(path.join(modelDir, 'scaler.json'), JSON.stringify(trained.scaler));
    const out = path.join(dir, 'cli-report.json');
    const args = ['--import', 'tsx', 'train/parity/parity-cli.ts', '--model', modelDir, '--data', REFERENCE_CSV, '--pickle', SVC_PKL, '--scaler', SCALER_PKL, '--out', out];
    const r = await exec(process.execPath, args, { cwd: REPO, env: { ...process.env, PYTHON: python } });
    expect(r.stdout).toMatch(/label agreement {6}3000\/3000/);
    expect(r.stdout).toMatch(/PASS\n/);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.report).toMatchObject({ rows: 3000, labelAgreement: 1, passed: true });
    expect(json.onnx.source).toMatch(/^scikit-learn 1\.6\.1 pickle/);
  });
});

/** Everything but the numbers: ops, wiring, attribute names and types, initializer names, types and shapes, inputs, outputs, opsets. */
function layout(m: OnnxModel) {
  return {
    ir: m.ir_version,
    opsets: m.opset_import,
    nodes: m.graph.node.map((n) => ({ op: n.op_type, domain: n.domain, name: n.name, input: n.input, output: n.output, attrs: n.attribute.map((a) => [a.name, a.type, a.floats?.length ?? a.ints ?? a.s ?? a.i ?? a.strings]) })),
    initializers: m.graph.initializer.map((t) => [t.name, t.data_type, t.dims]),
    input: m.graph.input,
    output: m.graph.output,
  };
}

function maxRelDiffSafe(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-30)), 0);
}

describe.skipIf(gate.skip)('Python bridge on scikit-learn models it must convert or refuse', () => {
  let fx: string;
  let data: { X: number[][]; models: Record<string, { classes: string[]; predict: string[]; decision: number[][] | null }> };
  beforeAll(async () => {
    python = requirePython(gate);
    fx = await mkdtemp(path.join(tmpdir(), 'bridge-fixtures-'));
    await exec(python, [path.join(import.meta.dirname, 'fixtures/make_sklearn_fixtures.py'), fx]);
    data = JSON.parse(await readFile(path.join(fx, 'data.json'), 'utf8'));
  });

  const convertible = ['bin_rbf', 'bin_sigmoid', 'tri_linear', 'tri_poly', 'tri_rbf_ovo', 'pipeline'];
  it.each(convertible.flatMap((name) => (['float32', 'float64'] as const).map((precision) => ({ name, precision }))))(
    '$name ($precision): labels equal scikit-learn predict on every row, scores its ovo decision values',
    async ({ name, precision }) => {
      const expected = data.models[name];
      const out = path.join(fx, `${name}-${precision}.onnx`);
      await convertPickle({ python, svc: path.join(fx, `${name}.pkl`), scaler: name === 'pipeline' ? undefined : path.join(fx, 'scaler.pkl'), out, precision });
      const rows = Float64Array.from(data.X.flat());
      const onnx = await runOnnxRaw(out, precision, rows, data.X.length, 3);
      expect(onnx.labels).toEqual(expected.predict);
      if (expected.decision) {
        // Two classes: scikit-learn flips libsvm's sign; the graph keeps libsvm's (positive votes for classes_[0]).
        const sign = expected.classes.length === 2 ? -1 : 1;
        const want = expected.decision.flat().map((v) => sign * v);
        const scale = Math.max(1, ...want.map(Math.abs));
        expect(maxAbsDiff(onnx.scores, want) / scale).toBeLessThanOrEqual(precision === 'float32' ? FLOAT32_TOLERANCE : 1e-12);
      }
    },
  );

  it.each([
    ['probability', /probability=True; predict_proba comes from libsvm's Platt scaling/],
    ['nusvc', /only sklearn\.svm\.SVC converts \(one-vs-one C-SVC\); found sklearn\.svm\._classes\.NuSVC/],
    ['precomputed', /kernel 'precomputed' has no ONNX form/],
    ['break_ties', /break_ties=True predicts by the one-vs-rest confidence/],
    ['logistic', /found sklearn\.linear_model\._logistic\.LogisticRegression/],
    ['three_steps', /only a Pipeline of exactly \[StandardScaler, SVC\] converts; found steps \['MinMaxScaler', 'StandardScaler', 'SVC'\]/],
    ['evil', /the pickle calls posix\.system, which a fitted scikit-learn estimator never needs; refusing to load it/],
  ])('refuses %s with exit 3, says why, and writes nothing', async (name, message) => {
    const out = path.join(fx, `refused-${name}.onnx`);
    const scaler = name === 'three_steps' ? undefined : path.join(fx, 'scaler.pkl');
    const run = convertPickle({ python, svc: path.join(fx, `refuse_${name}.pkl`), scaler, out, precision: 'float32' });
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toMatchObject({ failure: 'refused' });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(fx, 'pwned'))).toBe(false);
  });

  it('R12a-pickle-numpy2-on-numpy1: a pickle needing a newer numpy fails fast naming the versions, exit 4, no ONNX written', async () => {
    const out = path.join(fx, 'future.onnx');
    const run = convertPickle({ python, svc: path.join(fx, 'numpy_future.pkl'), scaler: path.join(fx, 'scaler.pkl'), out, precision: 'float32' });
    await expect(run).rejects.toBeInstanceOf(BridgeError);
    await expect(run).rejects.toMatchObject({ failure: 'environment' });
    await expect(run).rejects.toThrow(/This Python has python [\d.]+, numpy [\d.]+, scikit-learn [\d.]+, onnx [\d.]+; the pickle needs numpy>=2/);
    expect(existsSync(out)).toBe(false);
  });

  it("R12a: the original numpy-2 pickles load here through the numpy._core alias and the log names both versions", async () => {
    const log = await convertPickle({ python, svc: SVC_PKL, scaler: SCALER_PKL, out: path.join(fx, 'ref.onnx'), precision: 'float32', classNames: CLASSES });
    const { stdout } = await exec(python, ['-c', 'import numpy, sklearn; print(numpy.__version__, sklearn.__version__)']);
    const [numpyVersion, sklearnVersion] = stdout.trim().split(' ');
    if (!numpyVersion.startsWith('2.')) expect(log).toContain(`svc was written by numpy 2.x and loaded with numpy ${numpyVersion} through the numpy._core alias`);
    if (sklearnVersion !== '1.6.1') expect(log).toContain(`svc was written by scikit-learn 1.6.1 and loaded with ${sklearnVersion}`);
    expect(log).toMatch(/extracted math vs scikit-learn: max \|diff\| [\d.e-]+/);
  });
});

describe('parity CLI without the Python packages', () => {
  it('says exactly what to install (exit 1)', async () => {
    const args = ['--import', 'tsx', 'train/parity/parity-cli.ts', '--model', 'models', '--data', 'datasets/power_data_labeled.csv', '--pickle', SVC_PKL, '--scaler', SCALER_PKL];
    const r = await exec(process.execPath, args, { cwd: REPO, env: { ...process.env, PYTHON: '/nonexistent/python3' } }).catch((e) => e);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the Python bridge needs numpy, scikit-learn, joblib and onnx; install them with apt-get install python3-sklearn python3-onnx .* or pip install scikit-learn onnx\. Tried \/nonexistent\/python3: not found/);
  });
});
