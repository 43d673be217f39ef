import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../infer/calibration.js';
import { PICKLE, REFERENCE_CSV } from '../../test-support/reference.js';
import { readLabeledCsv, type LabeledDataset } from '../labeled-dataset.js';
import { CV_METRICS, runCompare, type CompareReport } from './compare.js';
import { parseVariantsFile } from './variant-spec.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../variants.example.yaml');

let dataset: LabeledDataset;
let report: CompareReport;

beforeAll(async () => {
  dataset = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
  report = await runCompare({ dataset, plan: parseVariantsFile(readFileSync(EXAMPLE, 'utf8'), EXAMPLE), workers: 2 });
});

describe('npm run compare on the reference dataset with the example variants', () => {
  it("measures the notebook's own model in the same run: its test confusion matrix is the notebook's", () => {
    const notebook = report.variants.find((v) => v.name === 'notebook')!;
    expect(notebook.test.confusionMatrix).toEqual(PICKLE.testConfusion);
    expect(notebook.model.vectorsPerClass).toEqual(PICKLE.vectorsPerClass);
    expect(report.split).toEqual({ trainRows: 2400, testRows: 600 });
  });

  it('chooses by the cross-validated metric alone: rank 1 has the best CV mean', () => {
    const best = Math.max(...report.variants.map((v) => v.cv.mean.macroF1));
    expect(report.variants[0]).toMatchObject({ name: report.selected, rank: 1 });
    expect(report.variants[0].cv.mean.macroF1).toBe(best);
    expect(report.variants.map((v) => v.rank)).toEqual(report.variants.map((_, i) => i + 1));
  });

  it('the chosen variant beats the notebook model on the notebook test split in macro F1 and theft recall', () => {
    const chosen = report.variants.find((v) => v.name === report.selected)!;
    const notebook = report.variants.find((v) => v.name === 'notebook')!;
    expect(report.selected).not.toBe('notebook');
    expect(chosen.test.macroF1).toBeGreaterThan(notebook.test.macroF1);
    expect(chosen.test.theftRecall).toBeGreaterThan(notebook.test.theftRecall);
    expect(report.verdict).toEqual({
      baseline: 'notebook',
      selected: chosen.name,
      macroF1: { baseline: notebook.test.macroF1, selected: chosen.test.macroF1, delta: chosen.test.macroF1 - notebook.test.macroF1 },
      theftRecall: { baseline: notebook.test.theftRecall, selected: chosen.test.theftRecall, delta: chosen.test.theftRecall - notebook.test.theftRecall },
      beatsBaseline: true,
    });
  });

  it('reports every variant, ranked or failed, and each ranked one with all folds and prevalences', () => {
    expect([...report.variants.map((v) => v.name), ...report.failed.map((f) => f.name)].sort()).toEqual(
      parseVariantsFile(readFileSync(EXAMPLE, 'utf8')).variants.map((v) => v.name).sort(),
    );
    expect(report.variants.map((v) => [v.cv.perFold.length, v.atPrevalence.map((p) => p.prevalence)])).toEqual(report.variants.map(() => [5, [0.01, 0.085, 0.4]]));
  });
});

describe('worker threads', () => {
  it('give the same numbers as the in-process run', async () => {
    const plan = parseVariantsFile('cv: { folds: 3 }\nvariants:\n  - { name: a, features: per-volt+jf, C: [1, 10] }\n  - { name: b, kernel: linear }\n');
    const strip = (r: CompareReport) => r.variants.map((v) => ({ name: v.name, cv: Object.fromEntries(CV_METRICS.map((k) => [k, v.cv.mean[k]])), test: v.test, id: v.model.id }));
    const threads = await runCompare({ dataset, plan, workers: 2 });
    const inline = await runCompare({ dataset, plan, workers: 0 });
    expect(threads.run.workers).toBe(2);
    expect(strip(threads)).toEqual(strip(inline));
  });
});
