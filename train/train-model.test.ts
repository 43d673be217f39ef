import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { Predictor } from '../infer/predictor.js';
import cases from '../../shared/cases/cases.json' with { type: 'json' };
import { DatasetError } from './errors.js';
import { SVC_DEFAULTS } from './fit-svc.js';
import { parseLabeledCsv } from './labeled-dataset.js';
import { trainModel } from './train-model.js';
import { trainTestSplit } from './train-test-split.js';

const caseById = (id: string) => {
  const found = (cases as { id: string; input: Record<string, unknown> }[]).find((c) => c.id === id);
  if (!found) throw new Error(`case ${id} not found in ../shared/cases/cases.json`);
  return found;
};

describe('trainModel', () => {
  it('R15a-constant-feature-column: a zero-variance column scales by 1, the artifact stays finite, predictions are labels', async () => {
    const csv = caseById('R15a-constant-feature-column').input.csv as string;
    // The case has four rows; repeat them so that each class survives a 25 % split.
    const [head, ...rows] = csv.trim().split('\n');
    const dataset = parseLabeledCsv([head, ...rows, ...rows, ...rows, ...rows].join('\n'), { file: 'R15a.csv', features: DEFAULT_FEATURES, classes: ['normal', 'c1', 'c2'] });
    const trained = await trainModel(dataset, { protocol: 'default', testSize: 0.25, seed: 1, svc: SVC_DEFAULTS });
    expect(trained.scaler.scale[3]).toBe(1);
    expect(trained.scaler.mean[3]).toBe(0);
    const text = JSON.stringify(trained.model);
    expect(text).not.toContain('null');
    const again = Predictor.fromArtifacts(JSON.parse(text), JSON.parse(JSON.stringify(trained.scaler)));
    const labels = again.predictMany(rows.map((r) => r.split(',').slice(0, 5).map(Number))).map((p) => p.label);
    expect(labels.every((l) => ['normal', 'c1', 'c2'].includes(l))).toBe(true);
    expect(labels).toHaveLength(4);
  });

  it('default protocol fits the scaler on the training split only', async () => {
    const lines = ['line_voltage,label,c1,c2,c3,feeder'];
    for (let i = 0; i < 40; i++) lines.push(`${8 + (i % 5)},${['normal', 'c1', 'c2', 'c3'][i % 4]},${1 + (i % 4 === 1 ? 0.3 : 0) + i * 0.001},${1 + (i % 4 === 2 ? 0.3 : 0)},${1 + (i % 4 === 3 ? 0.3 : 0)},2.8`);
    const dataset = parseLabeledCsv(lines.join('\n'), { file: 'small.csv', features: DEFAULT_FEATURES });
    const trained = await trainModel(dataset, { protocol: 'default', testSize: 0.25, seed: 3, svc: SVC_DEFAULTS });
    expect(trained.scaler.samples).toBe(30);
    const trainVoltages = Array.from(trained.split.train, (r) => dataset.table.values[r * 5]);
    expect(trained.scaler.mean[0]).toBeCloseTo(trainVoltages.reduce((a, b) => a + b, 0) / 30, 12);
    expect(trained.model.training.protocol).toBe('default');
    expect(trained.model.featureRanges.min[0]).toBe(Math.min(...trainVoltages));
  });
});

describe('trainModel refuses class layouts it cannot train, naming the file and the class', () => {
  const HEADER = 'line_voltage,label,c1,c2,c3,feeder';
  /** Rows cycling through `labels`, each class a little apart from the others. */
  const csv = (labels: string[], n: number) => {
    const lines = [HEADER];
    for (let i = 0; i < n; i++) {
      const label = labels[i % labels.length];
      lines.push(`${8 + (i % 5)},${label},${label === 'c1' ? 1.3 : 1},${label === 'c2' ? 1.3 : 1},${label === 'c3' ? 1.3 : 1},2.8`);
    }
    return lines.join('\n');
  };
  const train = (text: string, split: { testSize: number; seed: number }) =>
    trainModel(parseLabeledCsv(text, { file: 'data.csv', features: DEFAULT_FEATURES }), { protocol: 'default', ...split, svc: SVC_DEFAULTS });

  it.each([
    ['one class only', csv(['normal'], 40), 'data.csv: no rows of class c1, c2, c3; training needs rows of every class (normal, c1, c2, c3)'],
    ['a class absent from the file', csv(['normal', 'c1', 'c2'], 40), 'data.csv: no rows of class c3; training needs rows of every class'],
  ])('%s', async (_name, text, message) => {
    await expect(train(text, { testSize: 0.25, seed: 1 })).rejects.toThrow(DatasetError);
    await expect(train(text, { testSize: 0.25, seed: 1 })).rejects.toThrow(message);
  });

  it('a class whose only row the split puts in the test set: names its line and what to change', async () => {
    const text = `${csv(['normal', 'c2', 'c3'], 39)}\n10,c1,1.3,1,1,2.8`;
    const dataset = parseLabeledCsv(text, { file: 'data.csv', features: DEFAULT_FEATURES });
    const seed = [...Array(50).keys()].find((s) => trainTestSplit(dataset.table.count, 0.25, s).test.includes(39))!;
    await expect(train(text, { testSize: 0.25, seed })).rejects.toThrow(
      `data.csv: the split (test size 0.25, seed ${seed}) puts every row of class c1 (1 row, line 41) in the test set; every class needs a training row: change the seed or the test size`,
    );
  });

  it('a class absent from the test split only: trains, and the report gives it support 0', async () => {
    const text = `${csv(['normal', 'c2', 'c3'], 39)}\n10,c1,1.3,1,1,2.8`;
    const dataset = parseLabeledCsv(text, { file: 'data.csv', features: DEFAULT_FEATURES });
    const seed = [...Array(50).keys()].find((s) => !trainTestSplit(dataset.table.count, 0.25, s).test.includes(39))!;
    const trained = await train(text, { testSize: 0.25, seed });
    expect(trained.report.perClass.c1).toEqual({ precision: expect.any(Number), recall: 0, f1: 0, support: 0 });
    expect(JSON.stringify(trained.model)).not.toContain('null');
  });
});
