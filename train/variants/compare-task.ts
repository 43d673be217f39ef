import { gatherRows } from '../train-model.js';
import type { LabeledDataset } from '../labeled-dataset.js';
import { VariantRunError } from './errors.js';
import { fitFold, trainVariant, type VariantTrainOptions } from './train-variant.js';
import type { VariantSpec } from './variant-spec.js';

/** Rows to score with every final model besides the test split: a scenario, or the serial log (no labels). */
export interface ExtraRows {
  name: string;
  /** Raw features, row-major, in the dataset's feature order. */
  values: Float64Array;
  count: number;
  /** Class index per row, when labelled. */
  y?: Int32Array;
}

/** Everything a worker holds for the whole run (sent once as workerData). */
export interface CompareContext {
  dataset: LabeledDataset;
  extras: ExtraRows[];
}

export type CompareTask =
  | { kind: 'fold'; variant: VariantSpec; fold: number; train: Int32Array; validate: Int32Array }
  | { kind: 'final'; variant: VariantSpec; options: VariantTrainOptions };

export interface Scored {
  classIndex: Int32Array;
  /** One-vs-one decision values, row-major. */
  decision: Float64Array;
}

export interface FoldOutcome {
  kind: 'fold';
  fold: number;
  scored: Scored;
  supportVectors: number;
  fitMs: number;
  predictMs: number;
}

export interface FinalOutcome {
  kind: 'final';
  modelId: string;
  supportVectors: number;
  vectorsPerClass: number[];
  /** model.json and scaler.json as `npm run train` writes them. */
  modelBytes: number;
  scalerBytes: number;
  fitMs: number;
  /** Batch scoring of the test split through the exported Predictor, best of 3, per row. */
  predictUsPerRow: number;
  test: Scored;
  extras: Record<string, Scored>;
}

/** A task that threw: the run goes on and reports the variant as failed. */
export interface FailedOutcome {
  kind: 'failed';
  message: string;
}

export type TaskOutcome = FoldOutcome | FinalOutcome | FailedOutcome;

const PREDICT_PASSES = 3;

/**
 * Runs one task; the same code serves worker threads and the in-process path. A task that throws
 * becomes a FailedOutcome naming the variant and the step, so one bad variant does not sink the run.
 */
export async function runTask(context: CompareContext, task: CompareTask): Promise<TaskOutcome> {
  try {
    return await runTaskUnchecked(context, task);
  } catch (err) {
    const where = task.kind === 'fold' ? `fold ${task.fold + 1}` : 'final fit';
    return { kind: 'failed', message: new VariantRunError(task.variant.name, `${where}: ${(err as Error).message}`).message };
  }
}

async function runTaskUnchecked(context: CompareContext, task: CompareTask): Promise<FoldOutcome | FinalOutcome> {
  const { dataset } = context;
  if (task.kind === 'fold') {
    const fit = await fitFold(dataset, task.variant, task.train, task.validate);
    return {
      kind: 'fold',
      fold: task.fold,
      scored: { classIndex: fit.classIndex, decision: fit.decision },
      supportVectors: fit.supportVectors,
      fitMs: fit.fitMs,
      predictMs: fit.predictMs,
    };
  }
  const trained = await trainVariant(dataset, task.variant, task.options);
  const { predictor, model, split } = trained;
  const n = dataset.features.length;
  const testRaw = gatherRows(dataset.table.values, n, split.test);
  const score = (values: Float64Array, count: number): Scored => {
    const out = predictor.scoreBatch(values, count);
    return { classIndex: out.classIndex, decision: out.decision };
  };
  let best = Infinity;
  let test: Scored | undefined;
  for (let i = 0; i < PREDICT_PASSES; i++) {
    const t0 = performance.now();
    test = score(testRaw, split.test.length);
    best = Math.min(best, performance.now() - t0);
  }
  const extras = Object.fromEntries(context.extras.map((e) => [e.name, score(e.values, e.count)]));
  return {
    kind: 'final',
    modelId: model.id,
    supportVectors: model.supportVectors.length,
    vectorsPerClass: model.vectorsPerClass,
    modelBytes: Buffer.byteLength(`${JSON.stringify(model, null, 2)}\n`),
    scalerBytes: Buffer.byteLength(`${JSON.stringify(trained.scaler, null, 2)}\n`),
    fitMs: trained.timings.scalerMs + trained.timings.fitMs,
    predictUsPerRow: (best * 1000) / split.test.length,
    test: test!,
    extras,
  };
}
