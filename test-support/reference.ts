import { readFileSync } from 'node:fs';
import path from 'node:path';

/** ../shared/reference beside the repository: read at test time, never copied into git. */
export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../shared/reference');
export const REFERENCE_CSV = path.join(REFERENCE_DIR, 'power_data_labeled.csv');

/** Values read from the original pickles (reference README). */
export const PICKLE = {
  mean: [10.017443333333334, 1.0415363333333334, 1.028012, 1.0428566666666665, 2.828865],
  scale: [1.1606368496600858, 0.13496647983810237, 0.14163770868898815, 0.13747639599420533, 0.3615964824335731],
  gamma: 0.19998108831833494,
  vectorsPerClass: [194, 84, 67, 76],
  intercepts: [0.21482835098938877, 0.14087085469657942, 0.170724693211566, -0.1486674131903278, -0.021803176535894874, 0.07371441636003626],
  testConfusion: [
    [368, 0, 0, 0],
    [5, 70, 0, 0],
    [5, 0, 81, 0],
    [0, 0, 0, 71],
  ],
};

/** The label the original pickles predict for each reference row, in file order (file columns: row,prediction). */
export function picklePredictions(): string[] {
  const lines = readFileSync(path.join(REFERENCE_DIR, 'pickle_predictions.csv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0].trim() !== 'row,prediction') throw new Error(`unexpected header in pickle_predictions.csv: ${lines[0]}`);
  return lines.slice(1).map((l, i) => {
    const [row, label] = l.split(',');
    if (Number(row) !== i) throw new Error(`pickle_predictions.csv: expected row ${i}, found ${row}`);
    return label.trim();
  });
}
