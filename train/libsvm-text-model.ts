/** What the trainer needs from libsvm's text model: class order, SV counts and the dual coefficients. */
export interface LibsvmTextModel {
  labels: number[];
  nrSv: number[];
  /** (classes - 1) rows of one coefficient per support vector; printed with 16 significant digits. */
  svCoef: number[][];
}

/**
 * Parses libsvm's `svm_save_model` text. Support vectors (8 digits) and rho/gamma (6 digits) printed
 * there are deliberately not read: the trainer takes vectors from the training matrix by index and
 * recomputes rho at full precision.
 */
export function parseLibsvmTextModel(text: string): LibsvmTextModel {
  const lines = text.split('\n');
  const header = new Map<string, string[]>();
  let i = 0;
  for (; i < lines.length && lines[i].trim() !== 'SV'; i++) {
    const [key, ...rest] = lines[i].trim().split(/\s+/);
    if (key) header.set(key, rest);
  }
  if (i === lines.length) throw new Error('libsvm model text has no SV section');
  const ints = (key: string) => {
    const v = header.get(key);
    if (!v) throw new Error(`libsvm model text lacks "${key}"`);
    return v.map((s) => Number.parseInt(s, 10));
  };
  const labels = ints('label');
  const nrSv = ints('nr_sv');
  const total = nrSv.reduce((a, b) => a + b, 0);
  const rows = labels.length - 1;
  const svCoef = Array.from({ length: rows }, () => new Array<number>(total));
  for (let s = 0; s < total; s++) {
    const parts = lines[i + 1 + s]?.trim().split(/\s+/);
    if (!parts || parts.length < rows) throw new Error(`libsvm model text: support vector ${s} is missing or short`);
    for (let r = 0; r < rows; r++) svCoef[r][s] = Number(parts[r]);
  }
  return { labels, nrSv, svCoef };
}
