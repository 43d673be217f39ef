/**
 * Label and score agreement between our predictor and an ONNX graph, row by row.
 *
 * Scores are compared with an explicit absolute tolerance. A row whose labels differ only because a pair's
 * decision value lies within the tolerance of 0 (every pair whose sign differs has |our value| <= tolerance)
 * is a near-boundary row: reported, not counted against agreement, since float32 rounding alone can flip it.
 */
export interface ParitySide {
  labels: readonly string[];
  /** Row-major [rows, pairs]. */
  scores: ArrayLike<number>;
}

export interface RowDifference {
  row: number;
  /** 1-based line in the data file, when known. */
  line?: number;
  ours: string;
  onnx: string;
  /** Pairs whose sign differs, with both values. */
  flipped: { pair: string; ours: number; onnx: number }[];
  /** The row's smallest |our decision value|: its distance to the nearest pair boundary. */
  margin: number;
}

export interface PairDifference {
  pair: string;
  maxAbsDiff: number;
  /** Row where the largest difference occurs (-1 when there are no rows). */
  row: number;
}

export interface ParityReport {
  rows: number;
  tolerance: number;
  minAgreement: number;
  agreeingRows: number;
  /** Rows with equal labels / rows. */
  labelAgreement: number;
  /** Rows with equal labels / rows that are not near-boundary disagreements; compared with minAgreement. */
  agreementOutsideTolerance: number;
  maxAbsDiff: number;
  pairs: PairDifference[];
  /** Rows with some |score difference| above the tolerance. */
  rowsBeyondTolerance: number;
  disagreements: RowDifference[];
  nearBoundary: RowDifference[];
  passed: boolean;
}

export interface CompareOptions {
  tolerance: number;
  minAgreement: number;
  pairNames: readonly string[];
  lines?: ArrayLike<number>;
}

export function compareParity(ours: ParitySide, onnx: ParitySide, options: CompareOptions): ParityReport {
  const rows = ours.labels.length;
  const p = options.pairNames.length;
  if (onnx.labels.length !== rows || ours.scores.length !== rows * p || onnx.scores.length !== rows * p) {
    throw new Error(`internal: compareParity got ${rows} and ${onnx.labels.length} rows, ${ours.scores.length} and ${onnx.scores.length} scores for ${p} pairs`);
  }
  const tol = options.tolerance;
  const pairs: PairDifference[] = options.pairNames.map((pair) => ({ pair, maxAbsDiff: 0, row: -1 }));
  const disagreements: RowDifference[] = [];
  const nearBoundary: RowDifference[] = [];
  let agreeing = 0;
  let beyond = 0;
  for (let r = 0; r < rows; r++) {
    let rowBeyond = false;
    let margin = Infinity;
    for (let q = 0; q < p; q++) {
      const a = ours.scores[r * p + q];
      const d = Math.abs(a - onnx.scores[r * p + q]);
      const worst = pairs[q];
      // NaN (a broken graph) sticks as the worst difference.
      if (r === 0 || d > worst.maxAbsDiff || (Number.isNaN(d) && !Number.isNaN(worst.maxAbsDiff))) {
        worst.maxAbsDiff = d;
        worst.row = r;
      }
      if (!(d <= tol)) rowBeyond = true;
      margin = Math.min(margin, Math.abs(a));
    }
    if (rowBeyond) beyond++;
    if (ours.labels[r] === onnx.labels[r]) {
      agreeing++;
      continue;
    }
    const flipped: RowDifference['flipped'] = [];
    for (let q = 0; q < p; q++) {
      const a = ours.scores[r * p + q];
      const b = onnx.scores[r * p + q];
      if (a > 0 !== b > 0) flipped.push({ pair: options.pairNames[q], ours: a, onnx: b });
    }
    const diff: RowDifference = { row: r, ...(options.lines ? { line: options.lines[r] } : {}), ours: ours.labels[r], onnx: onnx.labels[r], flipped, margin };
    const explained = flipped.length > 0 && flipped.every((f) => Math.abs(f.ours) <= tol);
    (explained ? nearBoundary : disagreements).push(diff);
  }
  const counted = rows - nearBoundary.length;
  const agreementOutsideTolerance = counted === 0 ? 1 : agreeing / counted;
  const maxAbsDiff = pairs.reduce((m, x) => Math.max(m, x.maxAbsDiff), 0);
  return {
    rows,
    tolerance: tol,
    minAgreement: options.minAgreement,
    agreeingRows: agreeing,
    labelAgreement: rows === 0 ? 1 : agreeing / rows,
    agreementOutsideTolerance,
    maxAbsDiff,
    pairs,
    rowsBeyondTolerance: beyond,
    disagreements,
    nearBoundary,
    passed: rows > 0 && agreementOutsideTolerance >= options.minAgreement && beyond === 0,
  };
}

/** A few lines for a terminal; the JSON report holds every row. */
export function formatParityReport(report: ParityReport, title: string, shown = 10): string {
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  const out = [
    title,
    `rows compared        ${report.rows}`,
    `label agreement      ${report.agreeingRows}/${report.rows} (${pct(report.labelAgreement)}); outside the tolerance ${pct(report.agreementOutsideTolerance)} (required ${pct(report.minAgreement)})`,
    `score tolerance      ${report.tolerance} (absolute); rows beyond it: ${report.rowsBeyondTolerance}`,
    `max |score diff|     ${report.maxAbsDiff.toExponential(3)}`,
    ...report.pairs.map((p) => `  ${p.pair.padEnd(18)} ${p.maxAbsDiff.toExponential(3)}${p.row >= 0 ? ` (row ${p.row})` : ''}`),
    `near-boundary rows   ${report.nearBoundary.length} (labels differ only where |decision value| <= tolerance)`,
    `disagreeing rows     ${report.disagreements.length}`,
  ];
  const show = (label: string, list: RowDifference[]) => {
    for (const d of list.slice(0, shown)) {
      const flips = d.flipped.map((f) => `${f.pair} ours ${f.ours.toExponential(3)} onnx ${f.onnx.toExponential(3)}`).join('; ');
      out.push(`  ${label} row ${d.row}${d.line !== undefined ? ` (line ${d.line})` : ''}: ours ${d.ours}, onnx ${d.onnx}, margin ${d.margin.toExponential(3)}; ${flips}`);
    }
    if (list.length > shown) out.push(`  ... ${list.length - shown} more in the JSON report`);
  };
  show('near-boundary', report.nearBoundary);
  show('disagreeing', report.disagreements);
  out.push(report.passed ? 'PASS' : 'FAIL');
  return out.join('\n');
}
