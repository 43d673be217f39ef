import type { CompareReport } from './compare.js';

/** Left-aligned first columns, right-aligned numbers, two spaces between columns. */
export function formatTable(rows: string[][], leftColumns = 1): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

const f4 = (v: number) => v.toFixed(4);

/** The terminal leaderboard: ranked by the CV metric, `*` the chosen variant, `b` the baseline. */
export function formatLeaderboard(report: CompareReport): string {
  const theft = report.dataset.classes.slice(1);
  const header = ['', '#', 'variant', 'CV ' + report.selectedBy, '±', 'test acc', 'macro F1', 'theft rec', ...theft.map((c) => `rec ${c}`), 'false al', 'PR-AUC', 'P@budget', `P@b ${report.settings.prevalences[0]}`, 'SVs', 'KB', 'fit ms', 'µs/row'];
  const rows = report.variants.map((r) => [
    r.name === report.selected ? '*' : r.name === report.verdict?.baseline ? 'b' : '',
    String(r.rank),
    r.name,
    f4(r.cv.mean[report.selectedBy]),
    f4(r.cv.std[report.selectedBy]),
    f4(r.test.accuracy),
    f4(r.test.macroF1),
    f4(r.test.theftRecall),
    ...theft.map((c) => f4(r.test.recall[c])),
    f4(r.test.falseAlarmRate),
    f4(r.test.prAuc),
    f4(r.test.precisionAtBudget),
    f4(r.atPrevalence[0]?.precisionAtBudget ?? NaN),
    String(r.model.supportVectors),
    (r.model.modelBytes / 1024).toFixed(1),
    r.timing.fitMs.toFixed(0),
    r.timing.predictUsPerRow.toFixed(2),
  ]);
  const lines = [formatTable([header, ...rows], 3)];
  const w = report.verdict;
  if (w) {
    lines.push(
      '',
      `chosen by CV ${report.selectedBy}: ${w.selected}; baseline ${w.baseline}; on the test split (${report.split.testRows} rows):`,
      `  macro F1      ${f4(w.macroF1.baseline)} -> ${f4(w.macroF1.selected)} (${w.macroF1.delta >= 0 ? '+' : ''}${f4(w.macroF1.delta)})`,
      `  theft recall  ${f4(w.theftRecall.baseline)} -> ${f4(w.theftRecall.selected)} (${w.theftRecall.delta >= 0 ? '+' : ''}${f4(w.theftRecall.delta)})`,
      `  ${w.beatsBaseline ? 'beats the baseline on both' : 'does NOT beat the baseline on both'}`,
    );
  } else lines.push('', `chosen by CV ${report.selectedBy}: ${report.selected}`);
  for (const [k, s] of report.scenarios.entries()) {
    lines.push('', `scenario ${s.name} (${report.scenarios[k].rows} rows; trained on the training split):`);
    lines.push(
      formatTable(
        [['variant', 'accuracy', 'macro F1', 'theft rec', 'false al', 'PR-AUC'], ...report.variants.map((r) => {
          const m = r.scenarios[s.name];
          return [r.name, f4(m.accuracy), f4(m.macroF1), f4(m.theftRecall), f4(m.falseAlarmRate), f4(m.prAuc)];
        })].map((row) => row.map(String)),
      ).replace(/^/gm, '  '),
    );
  }
  if (report.serialLog) {
    const classes = report.dataset.classes;
    lines.push('', `serial log ${report.serialLog.file}: ${report.serialLog.payloads} readings through the calibration`);
    lines.push(formatTable([['variant', ...classes], ...report.variants.map((r) => [r.name, ...classes.map((c) => String(r.serialLog?.[c] ?? 0))])]).replace(/^/gm, '  '));
  }
  for (const f of report.failed) lines.push('', `FAILED ${f.name}: ${f.errors.join('; ')}`);
  lines.push('', `${report.run.tasks} fits on ${report.run.workers} worker thread(s) in ${(report.run.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
