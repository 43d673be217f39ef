import type { CompareReport, VariantResult } from './compare.js';
import type { DetectionMetrics } from './detection-metrics.js';
import { barChart, confusionChart, escapeXml, prChart, type Labelled } from './svg-plots.js';

/**
 * The compare report as one self-contained HTML page (inline CSS and SVG, no script, no external file),
 * plus the same plots as separate SVG files. Every number shown comes from the CompareReport JSON and is
 * marked with its path there (data-path) and its printed digits (data-digits), so a test can check that
 * the page shows exactly the JSON's numbers.
 */
export interface RenderedReport {
  html: string;
  /** File name (no folder) -> SVG text. */
  svgs: Record<string, string>;
}

const D = 4;

/** A number of the report, as text tied to its JSON path; digits 'exact' prints it as JSON does. */
function num(path: string, value: number, digits: number | 'exact' = D): string {
  return `<span data-path="${path}" data-digits="${digits}">${digits === 'exact' ? String(value) : value.toFixed(digits)}</span>`;
}

const at = (path: string, value: number, digits = D): Labelled => ({ path, value, digits });

/** File-name-safe form of a variant name (names are already restricted to [A-Za-z0-9._+-]). */
const fileSafe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

const BAR_METRICS = [
  { key: 'macroF1', title: 'macro F1 (test)' },
  { key: 'theftRecall', title: 'theft recall (test)' },
  { key: 'prAuc', title: 'PR-AUC of the theft score (test)' },
  { key: 'falseAlarmRate', title: 'false-alarm rate on normal (test)' },
] as const;

export function renderReport(report: CompareReport): RenderedReport {
  const v = report.variants;
  const path = (i: number) => `variants.${i}`;
  const svgs: Record<string, string> = {};

  for (const { key, title } of BAR_METRICS) {
    const values = v.map((r) => r.test[key]);
    const range: [number, number] = key === 'falseAlarmRate' ? [0, Math.max(0.01, ...values)] : [Math.min(0.9, Math.floor(Math.min(...values) * 50) / 50), 1];
    svgs[`bars-${key}.svg`] = barChart(
      title,
      v.map((r, i) => ({ label: r.name, value: at(`${path(i)}.test.${key}`, r.test[key]), highlight: r.name === report.selected })),
      range,
    );
  }
  v.forEach((r, i) => {
    svgs[`confusion-${fileSafe(r.name)}.svg`] = confusionChart(
      r.name,
      report.dataset.classes,
      r.test.confusionMatrix.map((row, t) => row.map((c, p) => at(`${path(i)}.test.confusionMatrix.${t}.${p}`, c, 0))),
    );
  });
  svgs['pr-theft.svg'] = prChart(
    'theft score precision-recall (test)',
    v.map((r, i) => ({ label: r.name, ...r.curves.theft, ap: at(`${path(i)}.test.prAuc`, r.test.prAuc) })),
  );
  const featured = [...new Set([report.selected, report.verdict?.baseline].filter((n): n is string => n !== undefined))];
  for (const name of featured) {
    const i = v.findIndex((r) => r.name === name);
    svgs[`pr-classes-${fileSafe(name)}.svg`] = prChart(
      `${name}: per-class precision-recall (one-vs-rest)`,
      report.dataset.classes.map((c) => ({ label: c, ...v[i].curves.perClass[c], ap: at(`${path(i)}.curves.perClass.${c}.ap`, v[i].curves.perClass[c].ap) })),
    );
  }

  const s = report.settings;
  const body = [
    `<h1>GridSentry variant comparison</h1>`,
    `<p>Dataset <code>${escapeXml(report.dataset.file)}</code>, ${num('dataset.rows', report.dataset.rows, 0)} rows
     (digest <code>${escapeXml(report.dataset.sha256)}</code>). Held-out test split: test size ${num('settings.testSize', s.testSize, 2)},
     seed ${num('settings.splitSeed', s.splitSeed, 0)} (${num('split.trainRows', report.split.trainRows, 0)} train / ${num('split.testRows', report.split.testRows, 0)} test rows).
     Stratified ${num('settings.folds', s.folds, 0)}-fold cross validation on the training split, seed ${num('settings.cvSeed', s.cvSeed, 0)};
     the variant with the best mean CV <b>${escapeXml(report.selectedBy)}</b> is chosen. Ran ${num('run.tasks', report.run.tasks, 0)} fits on
     ${num('run.workers', report.run.workers, 0)} worker threads in ${num('run.durationMs', report.run.durationMs, 0)} ms. Generated ${escapeXml(report.generatedAt)}.</p>`,
    verdictSection(report),
    `<h2>Leaderboard</h2>`,
    leaderboardTable(report),
    `<p class="note">Theft score: the largest margin by which a theft class beats <code>normal</code> in its one-vs-one contest,
     −min<sub>j</sub> d(normal, c<sub>j</sub>); it ranks readings for inspection. P@budget: precision among the top
     ${num('settings.inspectionBudget', s.inspectionBudget, 3)} of readings by theft score. Theft recall counts a theft predicted as any theft class.</p>`,
    `<h2>Metrics across variants</h2>`,
    `<div class="row">${BAR_METRICS.map(({ key }) => svgs[`bars-${key}.svg`]).join('')}</div>`,
    `<h2>At other theft prevalences</h2>`,
    `<p class="note">Test rows re-weighted so that theft makes up the given share (the reference data holds far more theft than a real network).
     Recall and false-alarm rate are within-class and do not change; precision, F1, PR-AUC and P@budget do.
     When the budget is larger than the theft share, even a perfect ranking fills the rest of the budget with normal readings:
     P@budget then tops out at theft share / budget.</p>`,
    prevalenceTable(report),
    `<h2>Per class (test)</h2>`,
    perClassTable(report),
    `<h2>Confusion matrices (test)</h2>`,
    `<div class="row">${v.map((r) => svgs[`confusion-${fileSafe(r.name)}.svg`]).join('')}</div>`,
    `<h2>Precision-recall</h2>`,
    `<div class="row">${svgs['pr-theft.svg']}${featured.map((n) => svgs[`pr-classes-${fileSafe(n)}.svg`]).join('')}</div>`,
    scenarioSection(report),
    serialSection(report),
    failedSection(report),
  ];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GridSentry variant comparison</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}
th:first-child,td:first-child,td.name{text-align:left}
tr.selected td{background:#eef6ee}
tr.baseline td{background:#f6f0e6}
.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.note{color:#555;font-size:13px}
.verdict{border:1px solid #9c9;background:#f3fbf3;padding:8px 12px;display:inline-block}
.verdict.fails{border-color:#c99;background:#fbf3f3}
</style></head><body>
${body.join('\n')}
</body></html>
`;
  return { html, svgs };
}

function verdictSection(report: CompareReport): string {
  const w = report.verdict;
  if (!w) return '';
  const line = (key: 'macroF1' | 'theftRecall', label: string) =>
    `<tr><td>${label}</td><td>${num(`verdict.${key}.baseline`, w[key].baseline)}</td><td>${num(`verdict.${key}.selected`, w[key].selected)}</td><td>${num(`verdict.${key}.delta`, w[key].delta)}</td></tr>`;
  return `<h2>Chosen variant against the baseline</h2>
<div class="verdict${w.beatsBaseline ? '' : ' fails'}"><p><b>${escapeXml(w.selected)}</b> (chosen by cross validation on the training split)
${w.beatsBaseline ? 'beats' : 'does not beat'} <b>${escapeXml(w.baseline)}</b> on the held-out test split in both macro F1 and theft recall.</p>
<table><tr><th>test metric</th><th>${escapeXml(w.baseline)}</th><th>${escapeXml(w.selected)}</th><th>difference</th></tr>
${line('macroF1', 'macro F1')}${line('theftRecall', 'theft recall')}</table></div>`;
}

function rowClass(report: CompareReport, r: VariantResult): string {
  if (r.name === report.selected) return ' class="selected"';
  if (r.name === report.verdict?.baseline) return ' class="baseline"';
  return '';
}

function leaderboardTable(report: CompareReport): string {
  const head = ['#', 'variant', 'features', 'model', 'CV macro F1', '± std', 'CV theft recall', 'accuracy', 'macro F1', 'theft recall',
    ...report.dataset.classes.slice(1).map((c) => `recall ${escapeXml(c)}`), 'false alarm', 'PR-AUC', 'P@budget', 'SVs', 'model bytes', 'fit ms', 'predict µs/row'];
  const rows = report.variants.map((r, i) => {
    const p = `variants.${i}`;
    const m = r.spec;
    const weights = m.classWeight === 'none' ? '' : typeof m.classWeight === 'string' ? ` w=${m.classWeight}` : ` w=${Object.entries(m.classWeight).map(([c, x]) => `${escapeXml(c)}:${num(`${p}.spec.classWeight.${c}`, x, 'exact')}`).join(',')}`;
    const gamma = typeof m.gamma === 'number' ? num(`${p}.spec.gamma`, m.gamma, 'exact') : m.gamma;
    const model = `${m.kernel} C=${num(`${p}.spec.C`, m.C, 'exact')}${m.kernel === 'linear' ? '' : ` γ=${gamma}`}${weights}${m.protocol === 'notebook' ? ' (notebook scaler)' : ''}`;
    return `<tr${rowClass(report, r)}><td>${num(`${p}.rank`, r.rank, 0)}</td><td class="name">${escapeXml(r.name)}</td><td class="name">${escapeXml(m.features)}</td><td class="name">${model}</td>
<td>${num(`${p}.cv.mean.macroF1`, r.cv.mean.macroF1)}</td><td>${num(`${p}.cv.std.macroF1`, r.cv.std.macroF1)}</td><td>${num(`${p}.cv.mean.theftRecall`, r.cv.mean.theftRecall)}</td>
<td>${num(`${p}.test.accuracy`, r.test.accuracy)}</td><td>${num(`${p}.test.macroF1`, r.test.macroF1)}</td><td>${num(`${p}.test.theftRecall`, r.test.theftRecall)}</td>
${report.dataset.classes.slice(1).map((c) => `<td>${num(`${p}.test.recall.${c}`, r.test.recall[c])}</td>`).join('')}
<td>${num(`${p}.test.falseAlarmRate`, r.test.falseAlarmRate)}</td><td>${num(`${p}.test.prAuc`, r.test.prAuc)}</td><td>${num(`${p}.test.precisionAtBudget`, r.test.precisionAtBudget)}</td>
<td>${num(`${p}.model.supportVectors`, r.model.supportVectors, 0)}</td><td>${num(`${p}.model.modelBytes`, r.model.modelBytes, 0)}</td>
<td>${num(`${p}.timing.fitMs`, r.timing.fitMs, 1)}</td><td>${num(`${p}.timing.predictUsPerRow`, r.timing.predictUsPerRow, 2)}</td></tr>`;
  });
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>\n${rows.join('\n')}</table>`;
}

function prevalenceTable(report: CompareReport): string {
  const prevalences = report.settings.prevalences;
  const cols = ['theftPrecision', 'macroF1', 'prAuc', 'precisionAtBudget'] as const;
  const names = { theftPrecision: 'theft precision', macroF1: 'macro F1', prAuc: 'PR-AUC', precisionAtBudget: 'P@budget' };
  const head1 = `<tr><th rowspan="2">variant</th>${prevalences.map((p, k) => `<th colspan="${cols.length}">theft prevalence ${num(`settings.prevalences.${k}`, p, 3)}</th>`).join('')}</tr>`;
  const head2 = `<tr>${prevalences.map(() => cols.map((c) => `<th>${names[c]}</th>`).join('')).join('')}</tr>`;
  const rows = report.variants.map(
    (r, i) =>
      `<tr${rowClass(report, r)}><td>${escapeXml(r.name)}</td>${r.atPrevalence
        .map((m, k) => cols.map((c) => `<td>${num(`variants.${i}.atPrevalence.${k}.${c}`, m[c])}</td>`).join(''))
        .join('')}</tr>`,
  );
  return `<table>${head1}${head2}\n${rows.join('\n')}</table>`;
}

function perClassTable(report: CompareReport): string {
  const classes = report.dataset.classes;
  const head1 = `<tr><th rowspan="2">variant</th>${classes.map((c) => `<th colspan="3">${escapeXml(c)}</th>`).join('')}</tr>`;
  const head2 = `<tr>${classes.map(() => '<th>precision</th><th>recall</th><th>F1</th>').join('')}</tr>`;
  const rows = report.variants.map((r, i) => {
    const cells = classes.map((c) => (['precision', 'recall', 'f1'] as const).map((k) => `<td>${num(`variants.${i}.test.perClass.${c}.${k}`, r.test.perClass[c][k])}</td>`).join(''));
    return `<tr${rowClass(report, r)}><td>${escapeXml(r.name)}</td>${cells.join('')}</tr>`;
  });
  return `<table>${head1}${head2}\n${rows.join('\n')}</table>`;
}

function scenarioSection(report: CompareReport): string {
  if (report.scenarios.length === 0) return '';
  const cols: { key: keyof DetectionMetrics & ('accuracy' | 'macroF1' | 'theftRecall' | 'falseAlarmRate' | 'prAuc'); label: string }[] = [
    { key: 'accuracy', label: 'accuracy' },
    { key: 'macroF1', label: 'macro F1' },
    { key: 'theftRecall', label: 'theft recall' },
    { key: 'falseAlarmRate', label: 'false alarm' },
    { key: 'prAuc', label: 'PR-AUC' },
  ];
  const head1 = `<tr><th rowspan="2">variant</th>${report.scenarios.map((s, k) => `<th colspan="${cols.length}">${escapeXml(s.name)} (${num(`scenarios.${k}.rows`, s.rows, 0)} rows)</th>`).join('')}</tr>`;
  const head2 = `<tr>${report.scenarios.map(() => cols.map((c) => `<th>${c.label}</th>`).join('')).join('')}</tr>`;
  const rows = report.variants.map(
    (r, i) =>
      `<tr${rowClass(report, r)}><td>${escapeXml(r.name)}</td>${report.scenarios
        .map((s) => cols.map((c) => `<td>${num(`variants.${i}.scenarios.${s.name}.${c.key}`, r.scenarios[s.name][c.key])}</td>`).join(''))
        .join('')}</tr>`,
  );
  return `<h2>Robustness: trained on the training split, tested on scenarios</h2>
<p class="note">Each scenario's rows come from the seeded scenario generator (datagen/scenarios); no variant saw them in training.</p>
<table>${head1}${head2}\n${rows.join('\n')}</table>`;
}

function serialSection(report: CompareReport): string {
  const s = report.serialLog;
  if (!s) return '';
  const classes = report.dataset.classes;
  const rows = report.variants.map(
    (r, i) => `<tr${rowClass(report, r)}><td>${escapeXml(r.name)}</td>${classes.map((c) => `<td>${num(`variants.${i}.serialLog.${c}`, r.serialLog![c], 0)}</td>`).join('')}</tr>`,
  );
  return `<h2>The real meter's serial log</h2>
<p class="note"><code>${escapeXml(s.file)}</code>: ${num('serialLog.payloads', s.payloads, 0)} readings, mapped to features through the model calibration (infer/calibration.ts). The log is unlabelled: this says what each variant would report, not who is right.</p>
<table><tr><th>variant</th>${classes.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>\n${rows.join('\n')}</table>`;
}

function failedSection(report: CompareReport): string {
  if (report.failed.length === 0) return '';
  return `<h2>Failed variants</h2><ul>${report.failed.map((f) => `<li><b>${escapeXml(f.name)}</b>: ${f.errors.map(escapeXml).join('; ')}</li>`).join('')}</ul>`;
}
