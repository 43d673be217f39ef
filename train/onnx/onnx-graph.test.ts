import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../infer/calibration.js';
import { parseCsvTable } from '../../infer/feature-table.js';
import { loadPredictor } from '../../infer/load-artifacts.js';
import type { Predictor } from '../../infer/predictor.js';
import { runOnnxRaw } from '../../test-support/onnxruntime-raw.js';
import { maxAbsDiff } from '../../test-support/closeness.js';
import { REFERENCE_CSV } from '../../test-support/reference.js';
import { referenceModel } from '../../test-support/reference-model.js';
import { SVC_DEFAULTS, type SvcOptions } from '../fit-svc.js';
import { parseLabeledCsv } from '../labeled-dataset.js';
import { trainModel } from '../train-model.js';
import { OnnxExportError } from './errors.js';
import { buildOnnxModel, buildSvcModel, graphParams, META, type OnnxPrecision } from './onnx-graph.js';
import { decodeOnnx, encodeOnnx } from './onnx-proto.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Tolerances on |our decision value - onnxruntime's|. float32: ai.onnx.ml ops round to float32 (measured 3.5e-6 on the reference model). */
const TOLERANCE: Record<OnnxPrecision, number> = { float32: 1e-5, float64: 1e-12 };


function ours(predictor: Predictor, rows: Float64Array, count: number) {
  const s = predictor.scoreBatch(rows, count);
  return { labels: Array.from(s.classIndex, (c) => predictor.classes[c]), scores: s.decision };
}

describe('ONNX round trip: our JSON model -> our ONNX -> onnxruntime', () => {
  const cases: { name: string; predictor: () => Promise<Predictor>; csv: string }[] = [
    { name: 'notebook-protocol model on the reference rows', predictor: async () => (await referenceModel()).predictor, csv: REFERENCE_CSV },
    { name: 'committed default model on the committed dataset', predictor: () => loadPredictor(path.join(REPO, 'models')), csv: path.join(REPO, 'datasets/power_data_labeled.csv') },
  ];
  describe.each(cases)('$name', ({ predictor: load, csv }) => {
    let predictor: Predictor;
    let rows: Float64Array;
    let count: number;
    beforeAll(async () => {
      predictor = await load();
      const table = parseCsvTable(await readFile(csv, 'utf8'), { featureNames: predictor.featureNames });
      rows = table.values;
      count = table.count;
    });

    it.each(['float32', 'float64'] as const)('%s graph gives our label on every row and our scores within the stated tolerance', async (precision) => {
      const bytes = encodeOnnx(buildOnnxModel(predictor, precision));
      const onnx = await runOnnxRaw(bytes, precision, rows, count, predictor.featureNames.length);
      const mine = ours(predictor, rows, count);
      expect(onnx.dims).toEqual([count, predictor.pairCount]);
      expect(onnx.labels).toEqual(mine.labels);
      const diff = maxAbsDiff(onnx.scores, mine.scores);
      console.log(`[onnx round trip] ${precision}: ${count} rows, max |score diff| ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(TOLERANCE[precision]);
    });
  });
});

describe('ONNX encoding', () => {
  let predictor: Predictor;
  beforeAll(async () => {
    predictor = (await referenceModel()).predictor;
  });

  it.each(['float32', 'float64'] as const)('%s: decode(encode(model)) gives back the model, metadata included', (precision) => {
    const model = buildOnnxModel(predictor, precision);
    const back = decodeOnnx(encodeOnnx(model));
    expect(back.graph.node.map((n) => [n.op_type, n.domain, n.input, n.output])).toEqual(model.graph.node.map((n) => [n.op_type, n.domain, n.input, n.output]));
    expect(back.graph.input).toEqual(model.graph.input);
    expect(back.graph.output).toEqual(model.graph.output);
    expect(back.opset_import).toEqual(model.opset_import);
    expect(Object.fromEntries(back.metadata)).toEqual({
      [META.features]: 'line_voltage,c1,c2,c3,feeder',
      [META.classes]: 'normal,c1,c2,c3',
      [META.pairs]: 'normal-c1,normal-c2,normal-c3,c1-c2,c1-c3,c2-c3',
      [META.scores]: expect.stringContaining('one-vs-one'),
      [META.precision]: precision,
      [META.source]: `gridsentry model ${predictor.id}`,
    });
  });

  it('stores float32 attributes rounded to float32 and float64 initializers at full precision', () => {
    const f32 = decodeOnnx(encodeOnnx(buildOnnxModel(predictor, 'float32')));
    const rho = f32.graph.node.find((n) => n.op_type === 'SVMClassifier')!.attribute.find((a) => a.name === 'rho')!.floats!;
    expect(rho).toEqual(Array.from(Float32Array.from(predictor.svc.intercepts)));
    const f64 = decodeOnnx(encodeOnnx(buildOnnxModel(predictor, 'float64')));
    const t = f64.graph.initializer.find((i) => i.name === 'rho')!;
    const view = new DataView(t.raw_data!.buffer, t.raw_data!.byteOffset, t.raw_data!.byteLength);
    expect(Array.from({ length: 6 }, (_, i) => view.getFloat64(i * 8, true))).toEqual(Array.from(predictor.svc.intercepts));
  });

  it('refuses a float32 graph for a value beyond float32 range, naming the way out', () => {
    const params = { ...graphParams(predictor), intercepts: Float64Array.from([1e39, 0, 0, 0, 0, 0]) };
    expect(() => buildSvcModel(params, 'float32', 'test', 'test')).toThrow(OnnxExportError);
    expect(() => buildSvcModel(params, 'float32', 'test', 'test')).toThrow(/intercepts exceeds float32's range; export with --precision float64/);
    expect(() => buildSvcModel(params, 'float64', 'test', 'test')).not.toThrow();
  });
});

/** Two or three classes with a seeded generator; the first row of each file is a different class, so libsvm's label order differs from ours. */
function syntheticCsv(classes: string[], rows: number, seed: number): string {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const lines = ['a,b,c,label'];
  for (let r = 0; r < rows; r++) {
    const c = (r + seed) % classes.length;
    lines.push([c + rand() * 1.5, 10 * rand() - 5 * c, 0.1 * rand() + 0.02 * c, classes[c]].map((v) => (typeof v === 'number' ? v.toFixed(4) : v)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('every kernel and class count round-trips (two classes: libsvm sign kept, onnxruntime [-v, v] sliced)', () => {
  const features = ['a', 'b', 'c'].map((name) => ({ name, unit: '1' }));
  const calibration = { description: 'identity', entries: features.map((f) => ({ feature: f.name, source: f.name, sourceUnit: '1', scale: 1, offset: 0 })) };
  const variants: { kernel: SvcOptions['kernel']; classes: string[]; extra?: Partial<SvcOptions> }[] = [
    { kernel: 'rbf', classes: ['no', 'yes'] },
    { kernel: 'rbf', classes: ['x', 'y', 'z'] },
    { kernel: 'linear', classes: ['no', 'yes'] },
    { kernel: 'linear', classes: ['x', 'y', 'z'] },
    { kernel: 'poly', classes: ['x', 'y', 'z'], extra: { degree: 3, coef0: 1, gamma: 0.3 } },
    { kernel: 'sigmoid', classes: ['no', 'yes'], extra: { gamma: 0.1, coef0: 0.5 } },
  ];
  it.each(variants)('$kernel, classes $classes', async ({ kernel, classes, extra }) => {
    const text = syntheticCsv(classes, 240, classes.length + kernel.length);
    const dataset = parseLabeledCsv(text, { file: 'synthetic.csv', features, classes });
    const trained = await trainModel(dataset, { protocol: 'default', testSize: 0.25, seed: 7, svc: { ...SVC_DEFAULTS, kernel, ...extra }, calibration, createdAt: '2026-01-01T00:00:00.000Z' });
    const { predictor } = trained;
    const { values, count } = dataset.table;
    const mine = ours(predictor, values, count);
    for (const precision of ['float32', 'float64'] as const) {
      const onnx = await runOnnxRaw(encodeOnnx(buildOnnxModel(predictor, precision)), precision, values, count, 3);
      expect(onnx.dims).toEqual([count, predictor.pairCount]);
      // Scale-free check for poly, whose values are large: relative to the largest |score|.
      const scale = Math.max(1, ...Array.from(mine.scores, Math.abs));
      expect(maxAbsDiff(onnx.scores, mine.scores) / scale).toBeLessThanOrEqual(TOLERANCE[precision]);
      const nearZero = (r: number) => Array.from(mine.scores.subarray(r * predictor.pairCount, (r + 1) * predictor.pairCount)).some((v) => Math.abs(v) <= TOLERANCE[precision] * scale);
      expect(onnx.labels.filter((l, r) => l !== mine.labels[r] && !nearZero(r))).toEqual([]);
      if (precision === 'float64') expect(onnx.labels).toEqual(mine.labels);
    }
  });
});
