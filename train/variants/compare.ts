import { availableParallelism } from 'node:os';
import { libsvmVersion } from '../libsvm-module.js';
import type { LabeledDataset } from '../labeled-dataset.js';
import { trainTestSplit } from '../train-test-split.js';
import {
  runTask,
  type CompareContext,
  type CompareTask,
  type ExtraRows,
  type FinalOutcome,
  type FoldOutcome,
  type Scored,
  type TaskOutcome,
} from './compare-task.js';
import { VariantRunError } from './errors.js';
import { detectionMetrics, precisionRecallCurve, averagePrecision, prevalenceWeights, type DetectionMetrics } from './detection-metrics.js';
import { foldRows, stratifiedFolds } from './stratified-folds.js';
import { ovrScores, theftScores } from './theft-score.js';
import type { CompareSettings, SelectMetric, VariantSpec, VariantsPlan } from './variant-spec.js';
import { runOnWorkers } from './worker-pool.js';

export const COMPARE_FORMAT = 'gridsentry.compare';
export const COMPARE_VERSION = 1;

/** Metrics summarised over the cross-validation folds. */
export const CV_METRICS = ['accuracy', 'macroF1', 'theftRecall', 'falseAlarmRate', 'prAuc', 'precisionAtBudget'] as const;
export type CvMetric = (typeof CV_METRICS)[number];
type CvFigures = Record<CvMetric, number>;

export interface Curve {
  recall: number[];
  precision: number[];
}

export interface VariantResult {
  name: string;
  spec: VariantSpec;
  /** Rank by the cross-validated selection metric, 1 = chosen. */
  rank: number;
  cv: { folds: number; mean: CvFigures; std: CvFigures; perFold: CvFigures[]; fitMs: number; supportVectors: number };
  /** The final model (fitted on the whole training split) on the held-out test split. */
  test: DetectionMetrics;
  /** The same metrics with test rows re-weighted to each theft prevalence. */
  atPrevalence: ({ prevalence: number } & DetectionMetrics)[];
  curves: { theft: Curve; perClass: Record<string, Curve & { ap: number }> };
  model: { id: string; supportVectors: number; vectorsPerClass: number[]; modelBytes: number; scalerBytes: number };
  timing: { fitMs: number; predictUsPerRow: number };
  /** Metrics on each --test-on scenario (trained on the training split, tested on the scenario's rows). */
  scenarios: Record<string, DetectionMetrics>;
  /** Predictions on the real serial log through the calibration: count per class. */
  serialLog?: Record<string, number>;
}

export interface CompareReport {
  format: typeof COMPARE_FORMAT;
  version: typeof COMPARE_VERSION;
  generatedAt: string;
  dataset: { file: string; sha256: string; rows: number; classes: string[]; classCounts: number[] };
  settings: CompareSettings;
  split: { trainRows: number; testRows: number };
  run: { workers: number; durationMs: number; tasks: number; node: string; libsvm: string };
  selected: string;
  selectedBy: SelectMetric;
  /** The chosen variant against the baseline on the test split, both measured in this run. */
  verdict?: {
    baseline: string;
    selected: string;
    macroF1: { baseline: number; selected: number; delta: number };
    theftRecall: { baseline: number; selected: number; delta: number };
    beatsBaseline: boolean;
  };
  scenarios: { name: string; rows: number }[];
  serialLog?: { file: string; payloads: number; labels: Record<string, string[]> };
  variants: VariantResult[];
  /** Variants with a task that threw, and why; they are not ranked. */
  failed: { name: string; errors: string[] }[];
}

export interface CompareOptions {
  dataset: LabeledDataset;
  plan: VariantsPlan;
  /** Worker threads; 0 runs every task in this thread. Default: the machine's parallelism. */
  workers?: number;
  /** Labelled rows from --test-on scenarios. */
  scenarios?: ExtraRows[];
  /** Unlabelled rows of the serial log, in dataset units. */
  serialLog?: { file: string; rows: ExtraRows };
  onProgress?: (done: number, total: number) => void;
  /** Fixed report time for reproducible output (tests). */
  generatedAt?: string;
}

const CURVE_POINTS = 60;

/** Cross-validates every variant on the training split, fits each on all of it, and tests on the held-out rows. */
export async function runCompare(options: CompareOptions): Promise<CompareReport> {
  const t0 = performance.now();
  const { dataset, plan } = options;
  const { settings, variants } = plan;
  const classes = dataset.classes;
  const split = trainTestSplit(dataset.table.count, settings.testSize, settings.splitSeed);
  const yTrain = Int32Array.from(split.train, (r) => dataset.y[r]);
  const folds = stratifiedFolds(yTrain, settings.folds, settings.cvSeed);
  const foldSets = Array.from({ length: settings.folds }, (_, k) => {
    const { train, validate } = foldRows(folds, k);
    return { train: Int32Array.from(train, (p) => split.train[p]), validate: Int32Array.from(validate, (p) => split.train[p]) };
  });
  const tasks: CompareTask[] = variants.flatMap((variant) => [
    // The final fit first: it is the longest task of a variant, and starting long tasks early balances the workers.
    { kind: 'final' as const, variant, options: { testSize: settings.testSize, seed: settings.splitSeed, createdAt: options.generatedAt } },
    ...foldSets.map((f, fold) => ({ kind: 'fold' as const, variant, fold, train: f.train, validate: f.validate })),
  ]);
  const extras = [...(options.scenarios ?? []), ...(options.serialLog ? [options.serialLog.rows] : [])];
  const context: CompareContext = { dataset, extras };
  const workers = options.workers ?? availableParallelism();
  let done = 0;
  const progress = () => options.onProgress?.(++done, tasks.length);
  options.onProgress?.(0, tasks.length);
  let outcomes: TaskOutcome[];
  if (workers === 0) {
    outcomes = [];
    for (const task of tasks) {
      outcomes.push(await runTask(context, task));
      progress();
    }
  } else {
    outcomes = await runOnWorkers<CompareTask, TaskOutcome>(tasks, {
      workers,
      entry: new URL('./compare-worker.ts', import.meta.url),
      workerData: context,
      onResult: progress,
    });
  }

  const yTest = Int32Array.from(split.test, (r) => dataset.y[r]);
  const per = settings.folds + 1;
  const failed: { name: string; errors: string[] }[] = [];
  const results: VariantResult[] = [];
  const finals = new Map<string, FinalOutcome>();
  variants.forEach((spec, v) => {
    const mine = outcomes.slice(v * per, (v + 1) * per);
    const errors = mine.flatMap((o) => (o.kind === 'failed' ? [o.message] : []));
    if (errors.length > 0) {
      failed.push({ name: spec.name, errors });
      return;
    }
    finals.set(spec.name, mine[0] as FinalOutcome);
    results.push(summarise(spec, mine[0] as FinalOutcome, mine.slice(1) as FoldOutcome[], foldSets, yTest, options, classes, settings));
  });
  if (results.length === 0) throw new VariantRunError('(all)', `every variant failed:\n${failed.flatMap((f) => f.errors).join('\n')}`);
  const key = settings.selectBy;
  const ranked = [...results].sort((a, b) => b.cv.mean[key] - a.cv.mean[key] || b.cv.mean.theftRecall - a.cv.mean.theftRecall || a.name.localeCompare(b.name));
  ranked.forEach((r, i) => (r.rank = i + 1));
  const selected = ranked[0];
  const baseline = settings.baseline === undefined ? undefined : results.find((r) => r.name === settings.baseline);
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of dataset.y) counts[c]++;
  return {
    format: COMPARE_FORMAT,
    version: COMPARE_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    dataset: { file: dataset.file, sha256: dataset.sha256, rows: dataset.table.count, classes: [...classes], classCounts: counts },
    settings,
    split: { trainRows: split.train.length, testRows: split.test.length },
    run: { workers, durationMs: performance.now() - t0, tasks: tasks.length, node: process.versions.node, libsvm: libsvmVersion() },
    selected: selected.name,
    selectedBy: key,
    verdict: baseline && {
      baseline: baseline.name,
      selected: selected.name,
      macroF1: delta(baseline.test.macroF1, selected.test.macroF1),
      theftRecall: delta(baseline.test.theftRecall, selected.test.theftRecall),
      beatsBaseline: selected.test.macroF1 > baseline.test.macroF1 && selected.test.theftRecall > baseline.test.theftRecall,
    },
    scenarios: (options.scenarios ?? []).map((s) => ({ name: s.name, rows: s.count })),
    serialLog: options.serialLog && {
      file: options.serialLog.file,
      payloads: options.serialLog.rows.count,
      labels: Object.fromEntries(
        [...finals].map(([name, final]) => [name, Array.from(final.extras[options.serialLog!.rows.name].classIndex, (c) => classes[c])]),
      ),
    },
    variants: ranked,
    failed,
  };
}

function delta(baseline: number, selected: number) {
  return { baseline, selected, delta: selected - baseline };
}

function summarise(
  spec: VariantSpec,
  final: FinalOutcome,
  folds: FoldOutcome[],
  foldSets: { validate: Int32Array }[],
  yTest: Int32Array,
  options: CompareOptions,
  classes: string[],
  settings: CompareSettings,
): VariantResult {
  const k = classes.length;
  const measure = (y: ArrayLike<number>, s: Scored, weights?: Float64Array) =>
    detectionMetrics({ classes, yTrue: y, yPred: s.classIndex, theftScore: theftScores(s.decision, y.length, k), inspectionBudget: settings.inspectionBudget, weights });
  const perFold = folds.map((f) => {
    const y = Int32Array.from(foldSets[f.fold].validate, (r) => options.dataset.y[r]);
    const m = measure(y, f.scored);
    return Object.fromEntries(CV_METRICS.map((key) => [key, m[key]])) as CvFigures;
  });
  const mean = Object.fromEntries(CV_METRICS.map((key) => [key, perFold.reduce((a, f) => a + f[key], 0) / perFold.length])) as CvFigures;
  // Population standard deviation over the folds (numpy's default, ddof 0).
  const std = Object.fromEntries(
    CV_METRICS.map((key) => [key, Math.sqrt(perFold.reduce((a, f) => a + (f[key] - mean[key]) ** 2, 0) / perFold.length)]),
  ) as CvFigures;
  const theft = theftScores(final.test.decision, yTest.length, k);
  const ovr = ovrScores(final.test.decision, yTest.length, k);
  const perClass = Object.fromEntries(
    classes.map((name, c) => {
      const positive = Uint8Array.from(yTest, (y) => (y === c ? 1 : 0));
      const score = Float64Array.from(yTest, (_, i) => ovr[i * k + c]);
      return [name, { ...thin(precisionRecallCurve(positive, score)), ap: averagePrecision(positive, score, new Float64Array(yTest.length).fill(1)) }];
    }),
  );
  const labelled = (options.scenarios ?? []).map((s) => [s.name, measure(s.y!, final.extras[s.name])] as const);
  const serial = options.serialLog && final.extras[options.serialLog.rows.name];
  return {
    name: spec.name,
    spec,
    rank: 0,
    cv: {
      folds: folds.length,
      mean,
      std,
      perFold,
      fitMs: folds.reduce((a, f) => a + f.fitMs, 0) / folds.length,
      supportVectors: folds.reduce((a, f) => a + f.supportVectors, 0) / folds.length,
    },
    test: measure(yTest, final.test),
    atPrevalence: settings.prevalences.map((prevalence) => ({ prevalence, ...measure(yTest, final.test, prevalenceWeights(yTest, prevalence)) })),
    curves: { theft: thin(precisionRecallCurve(Uint8Array.from(yTest, (y) => (y !== 0 ? 1 : 0)), theft)), perClass },
    model: { id: final.modelId, supportVectors: final.supportVectors, vectorsPerClass: final.vectorsPerClass, modelBytes: final.modelBytes, scalerBytes: final.scalerBytes },
    timing: { fitMs: final.fitMs, predictUsPerRow: final.predictUsPerRow },
    scenarios: Object.fromEntries(labelled),
    serialLog: serial && Object.fromEntries(classes.map((name, c) => [name, serial.classIndex.filter((x) => x === c).length])),
  };
}

/** At most CURVE_POINTS points of a curve, evenly spaced, first and last kept: enough to draw it. */
function thin(curve: Curve): Curve {
  const n = curve.recall.length;
  if (n <= CURVE_POINTS) return curve;
  const idx = Array.from({ length: CURVE_POINTS }, (_, i) => Math.round((i * (n - 1)) / (CURVE_POINTS - 1)));
  return { recall: idx.map((i) => curve.recall[i]), precision: idx.map((i) => curve.precision[i]) };
}
