/**
 * Plots as standalone SVG text (no library, no script): embedded inline in the HTML report and written as
 * .svg files. Every data number printed in a plot is a <text data-path data-digits> element, so the report
 * test can check it against the JSON; axis ticks carry class="axis" and are not data.
 */

export interface Labelled {
  /** Dotted path of the value in the compare JSON, e.g. `variants.0.test.macroF1`. */
  path: string;
  value: number;
  digits: number;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];

export const colour = (i: number) => PALETTE[i % PALETTE.length];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number as shown, tied to its place in the JSON. */
export function dataText(v: Labelled, x: number, y: number, extra = ''): string {
  return `<text x="${x}" y="${y}" data-path="${v.path}" data-digits="${v.digits}"${extra}>${v.value.toFixed(v.digits)}</text>`;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** Horizontal bars, one per variant, over [lo, hi]; the value is printed at each bar's end. */
export function barChart(title: string, bars: { label: string; value: Labelled; highlight?: boolean }[], range: [number, number]): string {
  const left = 150;
  const width = 300;
  const rowH = 18;
  const top = 28;
  const h = top + bars.length * rowH + 28;
  const [lo, hi] = range;
  const x = (v: number) => left + (width * (Math.min(Math.max(v, lo), hi) - lo)) / (hi - lo || 1);
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    return [
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${left}" y="${y + 2}" width="${round(Math.max(1, x(b.value.value) - left))}" height="${rowH - 5}" fill="${b.highlight ? '#d62728' : '#1f77b4'}"/>`,
      dataText(b.value, round(x(b.value.value) + 4), y + 12),
    ].join('');
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const v = lo + t * (hi - lo);
    const tx = round(left + t * width);
    return `<line x1="${tx}" y1="${top}" x2="${tx}" y2="${h - 24}" stroke="#ddd"/><text class="axis" x="${tx}" y="${h - 10}" text-anchor="middle">${v.toFixed(3)}</text>`;
  });
  return svg(left + width + 70, h, [`<text x="4" y="16" font-weight="bold">${escapeXml(title)}</text>`, ...ticks, ...rows]);
}

/** A confusion matrix as a heat map; cells print their counts. */
export function confusionChart(title: string, classes: readonly string[], cells: Labelled[][]): string {
  const cell = 38;
  const left = 60;
  const top = 48;
  const body = cells.flatMap((row, r) =>
    row.map((c, k) => {
      // Light shades only, so the printed count stays readable; a share of the row's total sets the shade.
      const rowTotal = Math.max(1, row.reduce((t, v) => t + v.value, 0));
      const shade = Math.round(245 - (120 * c.value) / rowTotal);
      const fill = r === k ? `rgb(${shade},${shade},255)` : c.value > 0 ? `rgb(255,${Math.min(shade, 200)},${Math.min(shade, 200)})` : '#fafafa';
      const x = left + k * cell;
      const y = top + r * cell;
      return `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"/>${dataText(c, x + cell / 2, y + cell / 2 + 4, ' text-anchor="middle"')}`;
    }),
  );
  const labels = classes.flatMap((name, i) => [
    `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(name)}</text>`,
    `<text x="${left + i * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${escapeXml(name)}</text>`,
  ]);
  const size = left + classes.length * cell + 10;
  return svg(size, top + classes.length * cell + 22, [
    `<text x="4" y="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="28" fill="#666">predicted →, true ↓</text>`,
    ...labels,
    ...body,
  ]);
}

/** Precision-recall curves (steps) on recall [0,1] x precision [lo,1]; the legend prints each curve's average precision before its name. */
export function prChart(title: string, curves: { label: string; recall: number[]; precision: number[]; ap: Labelled }[]): string {
  // Zoom on the top of the precision axis when every curve lives there, as these detectors' do.
  const lowest = Math.min(...curves.flatMap((c) => c.precision.slice(1)));
  const lo = Math.max(0, Math.min(0.9, Math.floor(lowest * 20) / 20));
  const left = 50;
  const top = 28;
  const w = 300;
  const h = 220;
  const x = (r: number) => round(left + r * w);
  const y = (p: number) => round(top + h - (h * (Math.max(p, lo) - lo)) / (1 - lo || 1));
  const paths = curves.map((c, i) => {
    let d = `M${x(c.recall[0])},${y(c.precision[0])}`;
    for (let k = 1; k < c.recall.length; k++) d += ` H${x(c.recall[k])} V${y(c.precision[k])}`;
    return `<path d="${d}" fill="none" stroke="${colour(i)}" stroke-width="1.5"/>`;
  });
  const legend = curves.map((c, i) => {
    const ly = top + 12 + i * 15;
    return `<rect x="${left + w + 12}" y="${ly - 9}" width="10" height="10" fill="${colour(i)}"/>${dataText(c.ap, left + w + 26, ly)}<text x="${left + w + 66}" y="${ly}">${escapeXml(c.label)}</text>`;
  });
  const ticks = [0, 0.5, 1].flatMap((t) => [
    `<text class="axis" x="${x(t)}" y="${top + h + 14}" text-anchor="middle">${t.toFixed(1)}</text>`,
    `<text class="axis" x="${left - 4}" y="${y(lo + t * (1 - lo)) + 4}" text-anchor="end">${(lo + t * (1 - lo)).toFixed(2)}</text>`,
  ]);
  return svg(left + w + 200, top + h + 36, [
    `<text x="4" y="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
    `<text x="${left + w / 2}" y="${top + h + 30}" text-anchor="middle" fill="#666">recall</text>`,
    ...ticks,
    ...paths,
    ...legend,
  ]);
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>${parts.join('')}</svg>`;
}
