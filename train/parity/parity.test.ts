import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCalibration, DEFAULT_CALIBRATION } from '../../infer/calibration.js';
import { parseCsvTable, type FeatureTable } from '../../infer/feature-table.js';
import { loadPredictor } from '../../infer/load-artifacts.js';
import type { Predictor } from '../../infer/predictor.js';
import { REFERENCE_CSV } from '../../test-support/reference.js';
import { referenceModel } from '../../test-support/reference-model.js';
import type { TrainedModel } from '../train-model.js';
import { buildOnnxModel, SCORES_NAME, type OnnxPrecision } from '../onnx/onnx-graph.js';
import { DataType, encodeOnnx, rawInt64s, type OnnxModel } from '../onnx/onnx-proto.js';
import { OnnxContractError } from './errors.js';
import { OnnxScorer } from './onnx-scorer.js';
import { runParity } from './run-parity.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

let trained: TrainedModel;
let predictor: Predictor;
let dir: string;

beforeAll(async () => {
  trained = await referenceModel();
  predictor = trained.predictor;
  dir = await mkdtemp(path.join(tmpdir(), 'parity-test-'));
});

async function writeOnnx(name: string, model: OnnxModel): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, encodeOnnx(model));
  return file;
}

function table(rows: number[][]): FeatureTable {
  return { featureNames: [...predictor.featureNames], count: rows.length, values: Float64Array.from(rows.flat()), lines: Int32Array.from(rows, (_, i) => i + 2) };
}

/** The case's baseline reading, in model features through the documented calibration (1 unit = 10 mA). */
const BASELINE = Array.from(
  applyCalibration(DEFAULT_CALIBRATION, { feeder: { line_voltage: 12.01, current: 36.1 }, transformer1: { current: 13.2 }, transformer2: { current: 10.5 }, transformer3: { current: 12.4 } }),
);

describe('R13a-float32-boundary: a row on the normal/c3 boundary', () => {
  let boundary: number[][];
  let margin: number;

  beforeAll(() => {
    // Nearest normal and c3 training rows to the case's reading, each predicted as its own class;
    // then bisect the segment between them on the label until the deciding pair's value is below 1e-9:
    // well inside float32's error (about 1e-6), well outside float64's (about 1e-14).
    const csv = parseCsvTable(readFileSync(REFERENCE_CSV, 'utf8'), { featureNames: predictor.featureNames, labelColumn: 'label' });
    const train = trained.split.train;
    const values = Float64Array.from(Array.from(train).flatMap((r) => Array.from(csv.values.subarray(r * 5, r * 5 + 5))));
    const y = Array.from(train, (r) => csv.labels![r]);
    const count = train.length;
    const nearest = (cls: string) => {
      let best = -1;
      let bestD = Infinity;
      for (let r = 0; r < count; r++) {
        if (y[r] !== cls) continue;
        const row = Array.from(values.subarray(r * 5, r * 5 + 5));
        if (predictor.predict(row).label !== cls) continue;
        const d = row.reduce((s, v, f) => s + ((v - BASELINE[f]) / predictor.scaler.scale[f]) ** 2, 0);
        if (d < bestD) [best, bestD] = [r, d];
      }
      return Array.from(values.subarray(best * 5, best * 5 + 5));
    };
    const a = nearest('normal');
    const b = nearest('c3');
    const at = (t: number) => a.map((v, f) => v + t * (b[f] - v));
    let lo = 0;
    let hi = 1;
    let mid = at(0.5);
    for (let i = 0; i < 200; i++) {
      const t = (lo + hi) / 2;
      mid = at(t);
      const p = predictor.predict(mid);
      margin = Math.min(...p.decision.map(Math.abs));
      if (margin < 1e-9) break;
      if (p.label === 'normal') lo = t;
      else hi = t;
    }
    boundary = [mid, at(lo), at(hi)];
  });

  it('finds the boundary row (|decision| < 1e-9) between a normal and a c3 row', () => {
    expect(margin).toBeLessThan(1e-9);
    expect(new Set(boundary.map((r) => predictor.predict(r).label))).toEqual(new Set(['normal', 'c3']));
  });

  it('float32 graph: scores within the tolerance; a flipped label there is reported as near-boundary, not failed', async () => {
    const file = await writeOnnx('boundary-f32.onnx', buildOnnxModel(predictor, 'float32'));
    const { report } = await runParity(predictor, file, table(boundary), { minAgreement: 1 });
    expect(report).toMatchObject({ rows: 3, tolerance: 1e-4, rowsBeyondTolerance: 0, disagreements: [], agreementOutsideTolerance: 1, passed: true });
    expect(report.agreeingRows + report.nearBoundary.length).toBe(3);
    for (const d of report.nearBoundary) expect(d.flipped.every((f) => Math.abs(f.ours) <= 1e-4)).toBe(true);
    console.log(`[R13a] float32: ${report.nearBoundary.length} near-boundary row(s), max |score diff| ${report.maxAbsDiff.toExponential(2)}`);
  });

  it('float64 graph: every label agrees exactly', async () => {
    const file = await writeOnnx('boundary-f64.onnx', buildOnnxModel(predictor, 'float64'));
    const { report } = await runParity(predictor, file, table(boundary), { minAgreement: 1 });
    expect(report).toMatchObject({ labelAgreement: 1, nearBoundary: [], disagreements: [], passed: true });
    expect(report.maxAbsDiff).toBeLessThan(1e-12);
  });
});

describe('R14a-ovo-score-shape', () => {
  const batch = [
    [12.01, 13.2, 10.5, 12.4, 36.1],
    [12.0, 6.1, 10.5, 12.4, 36.0],
    [11.9, 13.1, 10.6, 2.0, 36.2],
  ].map((r) => [r[0], r[1] / 10, r[2] / 10, r[3] / 10, r[4] / 10]);

  /** Our float32 graph with its scores cut to `columns` columns, declared as `declared`. */
  function cutScores(columns: number, declared: number | string): OnnxModel {
    const model = buildOnnxModel(predictor, 'float32');
    const svc = model.graph.node.find((n) => n.op_type === 'SVMClassifier')!;
    svc.output = [svc.output[0], 'ovo_scores'];
    const int64 = (name: string, v: number[]) => ({ name, dims: [v.length], data_type: DataType.INT64, raw_data: rawInt64s(v) });
    model.graph.initializer.push(int64('cut_start', [0]), int64('cut_end', [columns]), int64('cut_axis', [1]));
    model.graph.node.push({ input: ['ovo_scores', 'cut_start', 'cut_end', 'cut_axis'], output: [SCORES_NAME], name: 'cut', op_type: 'Slice', domain: '', attribute: [] });
    model.graph.output[1] = { ...model.graph.output[1], shape: ['N', declared] };
    return model;
  }

  it('compares labels exactly and the 6 one-vs-one scores in scikit-learn pair order', async () => {
    const file = await writeOnnx('r14a.onnx', buildOnnxModel(predictor, 'float32'));
    const { report } = await runParity(predictor, file, table(batch), { minAgreement: 1 });
    expect(report.pairs.map((p) => p.pair)).toEqual(['normal-c1', 'normal-c2', 'normal-c3', 'c1-c2', 'c1-c3', 'c2-c3']);
    expect(report).toMatchObject({ rows: 3, labelAgreement: 1, rowsBeyondTolerance: 0, passed: true });
  });

  it('refuses a graph that declares one score per class (one-vs-rest) with a configuration error', async () => {
    const file = await writeOnnx('ovr-declared.onnx', cutScores(4, 4));
    const open = OnnxScorer.open(file, { featureNames: predictor.featureNames, classes: predictor.classes });
    await expect(open).rejects.toThrow(OnnxContractError);
    await expect(open).rejects.toThrow(/output scores has shape \[N, 4\]; 4 classes have 6 one-vs-one pairs: 4 columns is one per class, a one-vs-rest decision function/);
  });

  it('refuses a graph whose scores come back with 4 columns although it declares none', async () => {
    const file = await writeOnnx('ovr-runtime.onnx', cutScores(4, 'P'));
    await expect(runParity(predictor, file, table(batch), { minAgreement: 1 })).rejects.toThrow(/output scores has shape \[3, 4\]; expected \[3, 6\]: 4 columns is one per class/);
  });
});

describe('the ONNX contract is checked before any row is run', () => {
  const precision: OnnxPrecision = 'float32';
  it.each([
    ['other feature order', (m: OnnxModel) => (m.metadata[0][1] = 'c1,line_voltage,c2,c3,feeder'), /made for features \[c1,line_voltage,c2,c3,feeder\] but the model takes \[line_voltage,c1,c2,c3,feeder\]/],
    ['other classes', (m: OnnxModel) => (m.metadata[1][1] = 'c1,c2,c3,normal'), /has classes \[c1,c2,c3,normal\] but the model has \[normal,c1,c2,c3\]/],
    ['another input name', (m: OnnxModel) => (m.graph.input[0].name = 'X'), /expected input "features" and outputs "label", "scores".*found inputs X/],
    ['another feature count', (m: OnnxModel) => (m.graph.input[0].shape = ['N', 4]), /input features has shape \[N, 4\]; the model has 5 features/],
  ])('%s', async (_name, edit, message) => {
    const model = buildOnnxModel(predictor, precision);
    edit(model);
    if (model.graph.input[0].name === 'X') model.graph.node[0].input = ['X'];
    const file = await writeOnnx(`contract-${_name.replace(/ /g, '-')}.onnx`, model);
    await expect(OnnxScorer.open(file, { featureNames: predictor.featureNames, classes: predictor.classes })).rejects.toThrow(message);
  });

  it('refuses a file that is not ONNX', async () => {
    const file = path.join(dir, 'not.onnx');
    await writeFile(file, 'hello');
    await expect(OnnxScorer.open(file, { featureNames: predictor.featureNames, classes: predictor.classes })).rejects.toThrow(OnnxContractError);
  });
});

describe('npm run parity (CLI)', () => {
  const cli = (args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', path.join(REPO, 'train/parity/parity-cli.ts'), ...args], { cwd: REPO }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('exits 0 and writes the JSON report when every row agrees', async () => {
    const onnx = path.join(dir, 'default.onnx');
    await writeFile(onnx, encodeOnnx(buildOnnxModel(await loadPredictor(path.join(REPO, 'models')), 'float32')));
    const out = path.join(dir, 'report.json');
    const r = await cli(['--model', 'models', '--onnx', onnx, '--data', 'datasets/power_data_labeled.csv', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows compared {8}3000\n/);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.report).toMatchObject({ rows: 3000, labelAgreement: 1, passed: true });
    expect(json.onnx.precision).toBe('float32');
  });

  it('exits 1 when another model disagrees beyond the threshold, listing the rows', async () => {
    const onnx = path.join(dir, 'reference.onnx');
    await writeFile(onnx, encodeOnnx(buildOnnxModel(predictor, 'float32')));
    const r = await cli(['--model', 'models', '--onnx', onnx, '--data', REFERENCE_CSV, '--min-agreement', '0.5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rows beyond it: [1-9]/);
    expect(r.stdout).toMatch(/FAIL\n$/);
  });

  it.each([
    [['--onnx', 'x.onnx'], /--data is required/],
    [['--data', 'x.csv'], /give --onnx, or --pickle/],
    [['--data', 'x.csv', '--onnx', 'x.onnx', '--min-agreement', '2'], /--min-agreement must be a share between 0 and 1/],
    [['--data', 'x.csv', '--onnx', 'x.onnx', '--precision', 'float64'], /--precision chooses what --pickle converts to/],
  ])('exits 2 on usage error %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each<[string, (d: string) => string[], string]>([
    ['--threads 1000000000 (onnxruntime: std::bad_alloc)', () => ['--data', 'x.csv', '--onnx', 'x.onnx', '--threads', '1e9'], '--threads must be a whole number from 0 to 1024, got "1e9"'],
    ['a stray argument', () => ['--data', 'x.csv', '--onnx', 'x.onnx', 'extra.csv'], "Unexpected argument 'extra.csv'"],
    ['--out naming the --data file', (d) => ['--data', path.join(d, 'rows.csv'), '--onnx', 'x.onnx', '--out', path.join(d, 'rows.csv')], 'would overwrite --data'],
    ['--out naming the model', () => ['--data', 'x.csv', '--onnx', 'x.onnx', '--out', 'models/model.json'], '--out models/model.json would overwrite the model (models/model.json)'],
  ])('exits 2 before any work on %s', async (_name, args, message) => {
    await writeFile(path.join(dir, 'rows.csv'), 'line_voltage,c1,c2,c3,feeder\n10,1,1,1,2.8\n');
    const r = await cli(args(dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(await readFile(path.join(dir, 'rows.csv'), 'utf8')).toBe('line_voltage,c1,c2,c3,feeder\n10,1,1,1,2.8\n');
  });

  it.each<[string, (d: string) => string[], (d: string) => string]>([
    ['--data with a header and no rows', (d) => ['--data', path.join(d, 'header-only.csv'), '--onnx', path.join(d, 'default.onnx')], (d) => `error: ${path.join(d, 'header-only.csv')}: no rows to compare after the header`],
    ['--data that does not exist', (d) => ['--data', path.join(d, 'nope.csv'), '--onnx', path.join(d, 'default.onnx')], (d) => `error: --data ${path.join(d, 'nope.csv')}: cannot read: ENOENT`],
    ['--data naming a folder', (d) => ['--data', d, '--onnx', path.join(d, 'default.onnx')], (d) => `error: --data ${d}: cannot read: EISDIR`],
    ['--onnx that is random bytes', (d) => ['--data', path.join(d, 'rows.csv'), '--onnx', path.join(d, 'random.onnx')], (d) => `error: ${path.join(d, 'random.onnx')}: not an ONNX model`],
    ['--out in a folder that does not exist', (d) => ['--data', path.join(d, 'rows.csv'), '--onnx', path.join(d, 'default.onnx'), '--out', path.join(d, 'no', 'r.json')], (d) => `error: cannot write ${path.join(d, 'no', 'r.json')}: folder ${path.join(d, 'no')} does not exist`],
  ])('exits 1 naming the file: %s', async (_name, args, message) => {
    await writeFile(path.join(dir, 'header-only.csv'), 'line_voltage,c1,c2,c3,feeder\r\n');
    await writeFile(path.join(dir, 'rows.csv'), 'line_voltage,c1,c2,c3,feeder\n10,1,1,1,2.8\n');
    await writeFile(path.join(dir, 'random.onnx'), Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
    await writeFile(path.join(dir, 'default.onnx'), encodeOnnx(buildOnnxModel(await loadPredictor(path.join(REPO, 'models')), 'float32')));
    const r = await cli(args(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message(dir));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('npm run export:onnx (CLI)', () => {
  const cli = (args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', path.join(REPO, 'train/onnx/export-cli.ts'), ...args], { cwd: REPO }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it.each<[string, (d: string) => string[], number, (d: string) => string]>([
    ['--out naming the model it reads', () => ['--out', 'models/model.json'], 2, () => 'error: --out models/model.json would overwrite the model (models/model.json)'],
    ['--out naming the scaler through another path', () => ['--out', './models/../models/scaler.json'], 2, () => 'would overwrite the scaler (models/scaler.json)'],
    ['a stray argument', () => ['--out', 'x.onnx', 'models'], 2, () => "error: Unexpected argument 'models'"],
    ['--out in a folder that does not exist', (d) => ['--out', path.join(d, 'no', 'm.onnx')], 1, (d) => `error: cannot write ${path.join(d, 'no', 'm.onnx')}: folder ${path.join(d, 'no')} does not exist`],
    ['--out naming a folder', (d) => ['--out', d], 1, (d) => `error: cannot write ${d}: it is a folder`],
    ['--model without a model', (d) => ['--model', d, '--out', path.join(d, 'm.onnx')], 1, (d) => `error: ${path.join(d, 'model.json')}: $: cannot read: ENOENT`],
  ])('%s: a clear error, the model untouched, no temporary file left', async (_name, args, exitCode, message) => {
    const before = await readFile(path.join(REPO, 'models', 'model.json'), 'utf8');
    const r = await cli(args(dir));
    expect(r.code).toBe(exitCode);
    expect(r.stderr).toContain(message(dir));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(REPO, 'models', 'model.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await readdir(path.dirname(dir))).filter((f) => f.startsWith(`.${path.basename(dir)}.`))).toEqual([]);
  });
});
