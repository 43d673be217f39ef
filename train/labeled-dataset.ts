import { constants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { FeatureSpec } from '../infer/artifact.js';
import { TableFormatError } from '../infer/errors.js';
import { parseCsvTable, quoteForMessage, type FeatureTable } from '../infer/feature-table.js';
import { DatasetError } from './errors.js';

/** The notebook's label encoding: normal→0, c1→1, c2→2, c3→3 (scikit-learn then sorts, keeping this order). */
export const DEFAULT_CLASSES = ['normal', 'c1', 'c2', 'c3'];
export const LABEL_COLUMN = 'label';

export interface LabeledDataset {
  file: string;
  sha256: string;
  features: FeatureSpec[];
  classes: string[];
  table: FeatureTable;
  /** Class index of each row. */
  y: Int32Array;
}

/** Parses labelled CSV text; every label must be one of `classes`, every feature a finite number. */
export function parseLabeledCsv(text: string, options: { file: string; features: FeatureSpec[]; classes?: string[]; sha256?: string }): LabeledDataset {
  const classes = options.classes ?? DEFAULT_CLASSES;
  let table: FeatureTable;
  try {
    table = parseCsvTable(text, { featureNames: options.features.map((f) => f.name), labelColumn: LABEL_COLUMN, file: options.file });
  } catch (err) {
    if (err instanceof TableFormatError) {
      throw new DatasetError(err.message.slice(err.message.indexOf(': ') + 2), { file: options.file, line: err.line, column: err.column }, { cause: err });
    }
    throw err;
  }
  if (table.count === 0) throw new DatasetError('no data rows after the header', { file: options.file, line: 2 });
  const y = new Int32Array(table.count);
  table.labels!.forEach((label, r) => {
    const c = classes.indexOf(label);
    if (c < 0) {
      throw new DatasetError(`unknown label ${quoteForMessage(label)}; expected one of ${classes.join(', ')}`, {
        file: options.file,
        line: table.lines[r],
        column: LABEL_COLUMN,
      });
    }
    y[r] = c;
  });
  return {
    file: options.file,
    sha256: options.sha256 ?? createHash('sha256').update(text).digest('hex'),
    features: options.features,
    classes,
    table,
    y,
  };
}

/** Reads a labelled CSV file (LF or CRLF) and records its sha256 for the model's metadata. */
export async function readLabeledCsv(file: string, options: { features: FeatureSpec[]; classes?: string[] }): Promise<LabeledDataset> {
  let bytes: Buffer;
  try {
    // Sized first: a file beyond Node's longest string would otherwise be read whole before failing without a name.
    const { size } = await stat(file);
    if (size > constants.MAX_STRING_LENGTH) {
      throw new DatasetError(`${(size / 2 ** 20).toFixed(0)} MiB is more text than Node can hold in one string (${(constants.MAX_STRING_LENGTH / 2 ** 20).toFixed(0)} MiB)`, { file });
    }
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`cannot read: ${(err as Error).message}`, { file }, { cause: err });
  }
  return parseLabeledCsv(bytes.toString('utf8'), { ...options, file, sha256: createHash('sha256').update(bytes).digest('hex') });
}
