import type { Predictor } from '../../infer/predictor.js';
import { detectionMetrics, type DetectionMetrics } from './detection-metrics.js';
import { formatTable } from './leaderboard.js';
import { mcnemar, type McNemar } from './mcnemar.js';
import { theftScores } from './theft-score.js';

export const DIFF_FORMAT = 'gridsentry.diff';

/** One exported model as seen by `npm run diff`. */
export interface DiffSide {
  dir: string;
  id: string;
  featureSet: string;
  supportVectors: number;
  modelBytes: number;
  scalerBytes: number;
  /** Batch scoring of the compared rows, best of 5 passes, per row. */
  predictUsPerRow: number;
}

export const DIFF_METRICS = ['accuracy', 'macroF1', 'theftRecall', 'falseAlarmRate', 'prAuc', 'precisionAtBudget'] as const;
type DiffMetric = (typeof DIFF_METRICS)[number];

export interface ModelDiff {
  format: typeof DIFF_FORMAT;
  rows: { file: string; count: number; labelled: boolean; selection: string };
  a: DiffSide;
  b: DiffSide;
  classes: string[];
  /** Rows where the two models predict different labels; matrix rows: A's label, columns: B's. */
  /** `examples`: the first flipped rows, by index in the data file (0-based). */
  flips: { count: number; rate: number; matrix: number[][]; examples: { row: number; a: string; b: string; truth?: string }[] };
  /** |B - A| of each one-vs-one decision value (pair order of --explain) and of the theft score. */
  drift: { pairs: string[]; meanAbs: number[]; maxAbs: number[]; theftScore: { meanAbs: number; maxAbs: number } };
  /** With labels: both models' metrics, B - A, and McNemar's test on which rows each gets right. */
  metrics?: { a: Record<DiffMetric, number>; b: Record<DiffMetric, number>; delta: Record<DiffMetric, number>; mcnemar: McNemar };
}

export interface DiffInput {
  a: { dir: string; predictor: Predictor; modelBytes: number; scalerBytes: number };
  b: { dir: string; predictor: Predictor; modelBytes: number; scalerBytes: number };
  /** `ids`: each row's index in the file (0-based), for the examples; defaults to the position. */
  rows: { file: string; values: Float64Array; count: number; y?: Int32Array; selection: string; ids?: Int32Array };
  inspectionBudget?: number;
}

const EXAMPLES = 10;
const SPEED_PASSES = 5;

/** Compares two models on the same raw rows. Both must share classes and inputs (feature sets may differ). */
export function diffModels(input: DiffInput): ModelDiff {
  const { a, b, rows } = input;
  const classes = [...a.predictor.classes];
  if (classes.join(',') !== b.predictor.classes.join(',')) throw new RangeError(`the models predict different classes: [${classes}] and [${b.predictor.classes}]`);
  if (a.predictor.featureNames.join(',') !== b.predictor.featureNames.join(',')) {
    throw new RangeError(`the models read different inputs: [${a.predictor.featureNames}] and [${b.predictor.featureNames}]`);
  }
  const k = classes.length;
  const n = rows.count;
  const score = (p: Predictor) => {
    const out = p.scoreBatch(rows.values, n);
    let ms = Infinity;
    for (let pass = 0; pass < SPEED_PASSES; pass++) {
      const t0 = performance.now();
      p.scoreBatch(rows.values, n, out);
      ms = Math.min(ms, performance.now() - t0);
    }
    return { classIndex: Int32Array.from(out.classIndex), decision: Float64Array.from(out.decision), usPerRow: (ms * 1000) / Math.max(n, 1) };
  };
  const sa = score(a.predictor);
  const sb = score(b.predictor);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const examples: ModelDiff['flips']['examples'] = [];
  let flips = 0;
  for (let r = 0; r < n; r++) {
    matrix[sa.classIndex[r]][sb.classIndex[r]]++;
    if (sa.classIndex[r] === sb.classIndex[r]) continue;
    flips++;
    if (examples.length < EXAMPLES) {
      examples.push({ row: rows.ids ? rows.ids[r] : r, a: classes[sa.classIndex[r]], b: classes[sb.classIndex[r]], ...(rows.y ? { truth: classes[rows.y[r]] } : {}) });
    }
  }
  const pairs = a.predictor.pairNames();
  const p = pairs.length;
  const meanAbs = new Array<number>(p).fill(0);
  const maxAbs = new Array<number>(p).fill(0);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p; j++) {
      const d = Math.abs(sb.decision[r * p + j] - sa.decision[r * p + j]);
      meanAbs[j] += d / n;
      maxAbs[j] = Math.max(maxAbs[j], d);
    }
  }
  const ta = theftScores(sa.decision, n, k);
  const tb = theftScores(sb.decision, n, k);
  let theftMean = 0;
  let theftMax = 0;
  for (let r = 0; r < n; r++) {
    const d = Math.abs(tb[r] - ta[r]);
    theftMean += d / n;
    theftMax = Math.max(theftMax, d);
  }
  const side = (s: DiffInput['a'], usPerRow: number): DiffSide => ({
    dir: s.dir,
    id: s.predictor.id,
    featureSet: s.predictor.featureSet?.definition.name ?? 'raw',
    supportVectors: s.predictor.svc.vectorCount,
    modelBytes: s.modelBytes,
    scalerBytes: s.scalerBytes,
    predictUsPerRow: usPerRow,
  });
  let metrics: ModelDiff['metrics'];
  if (rows.y) {
    const y = rows.y;
    const pick = (m: DetectionMetrics) => Object.fromEntries(DIFF_METRICS.map((key) => [key, m[key]])) as Record<DiffMetric, number>;
    const budget = input.inspectionBudget ?? 0.05;
    const ma = pick(detectionMetrics({ classes, yTrue: y, yPred: sa.classIndex, theftScore: ta, inspectionBudget: budget }));
    const mb = pick(detectionMetrics({ classes, yTrue: y, yPred: sb.classIndex, theftScore: tb, inspectionBudget: budget }));
    let onlyA = 0;
    let onlyB = 0;
    for (let r = 0; r < n; r++) {
      const okA = sa.classIndex[r] === y[r];
      const okB = sb.classIndex[r] === y[r];
      if (okA && !okB) onlyA++;
      if (okB && !okA) onlyB++;
    }
    metrics = {
      a: ma,
      b: mb,
      delta: Object.fromEntries(DIFF_METRICS.map((key) => [key, mb[key] - ma[key]])) as Record<DiffMetric, number>,
      mcnemar: mcnemar(onlyA, onlyB),
    };
  }
  return {
    format: DIFF_FORMAT,
    rows: { file: rows.file, count: n, labelled: rows.y !== undefined, selection: rows.selection },
    a: side(a, sa.usPerRow),
    b: side(b, sb.usPerRow),
    classes,
    flips: { count: flips, rate: n > 0 ? flips / n : 0, matrix, examples },
    drift: { pairs, meanAbs, maxAbs, theftScore: { meanAbs: theftMean, maxAbs: theftMax } },
    metrics,
  };
}

const f4 = (v: number) => v.toFixed(4);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;

/** The diff as terminal text. */
export function formatDiff(d: ModelDiff): string {
  const lines = [
    `rows       ${d.rows.file}: ${d.rows.count} (${d.rows.selection}${d.rows.labelled ? ', labelled' : ', unlabelled'})`,
    '',
    formatTable([
      ['', 'A', 'B'],
      ['model', d.a.id, d.b.id],
      ['folder', d.a.dir, d.b.dir],
      ['features', d.a.featureSet, d.b.featureSet],
      ['support vectors', String(d.a.supportVectors), String(d.b.supportVectors)],
      ['model.json bytes', String(d.a.modelBytes), String(d.b.modelBytes)],
      ['predict µs/row', d.a.predictUsPerRow.toFixed(3), d.b.predictUsPerRow.toFixed(3)],
    ]),
    '',
    `label flips ${d.flips.count} of ${d.rows.count} (${(100 * d.flips.rate).toFixed(2)} %); rows: A's label, columns: B's`,
    formatTable([['A \\ B', ...d.classes], ...d.flips.matrix.map((r, i) => [d.classes[i], ...r.map(String)])]).replace(/^/gm, '  '),
    ...d.flips.examples.map((e) => `  row ${e.row}: ${e.a} -> ${e.b}${e.truth ? ` (truth ${e.truth})` : ''}`),
    '',
    'decision drift |B - A|',
    formatTable([['pair', 'mean', 'max'], ...d.drift.pairs.map((p, i) => [p, f4(d.drift.meanAbs[i]), f4(d.drift.maxAbs[i])]), ['theft score', f4(d.drift.theftScore.meanAbs), f4(d.drift.theftScore.maxAbs)]]).replace(/^/gm, '  '),
  ];
  if (d.metrics) {
    const m = d.metrics;
    lines.push(
      '',
      formatTable([['metric', 'A', 'B', 'B - A'], ...DIFF_METRICS.map((k) => [k, f4(m.a[k]), f4(m.b[k]), signed(m.delta[k])])]),
      '',
      `McNemar (paired, on correct/incorrect): A right and B wrong ${m.mcnemar.b}, B right and A wrong ${m.mcnemar.c};`,
      `  exact p ${m.mcnemar.exactP.toPrecision(4)}, chi-square ${m.mcnemar.chiSquare.toFixed(3)} (continuity-corrected) p ${m.mcnemar.continuityP.toPrecision(4)}`,
    );
  }
  return lines.join('\n');
}

