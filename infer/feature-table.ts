import { TableFormatError } from './errors.js';

/** Feature rows read from text: values row-major, plus the optional label column as read. */
export interface FeatureTable {
  featureNames: string[];
  count: number;
  values: Float64Array;
  /** Present when a label column was asked for. */
  labels?: string[];
  /** 1-based source line of each row, for error messages further down the pipeline. */
  lines: Int32Array;
}

export interface TableOptions {
  featureNames: readonly string[];
  /** Column holding the class label; required when given. */
  labelColumn?: string;
  /** Named in error messages. */
  file?: string;
}

/**
 * Strict decimal number: no blanks, no hex, no `NaN`/`Infinity`, nothing trailing (Number('') is 0, so Number
 * alone is not enough). One way to match each digit run: `\d+\.?\d*` split a long run in quadratically many
 * ways before failing (35 s on a 100,000-digit cell).
 */
export const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A value from the input, quoted for an error message: control characters escaped, cut at 40 characters. */
export function quoteForMessage(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function parseNumberCell(text: string, where: { file?: string; line: number; column: string }): number {
  const t = text.trim();
  if (!DECIMAL_NUMBER.test(t)) {
    throw new TableFormatError(`expected a finite number, found ${t === '' ? 'an empty cell' : quoteForMessage(t)}`, where);
  }
  const v = Number(t);
  if (!Number.isFinite(v)) throw new TableFormatError(`number ${quoteForMessage(t)} is out of range`, where);
  return v;
}

/**
 * Reads CSV rows by header name, in any column order; extra columns are ignored. Accepts LF and CRLF
 * endings (the reference dataset is CRLF) and a trailing newline; quoted fields are not used by any
 * dataset here and are refused rather than misread.
 */
export class CsvTableReader {
  private readonly options: TableOptions;
  private columnOf: number[] = [];
  private labelIndex = -1;
  private width = 0;
  private lineNo = 0;
  private headerSeen = false;
  private readonly values: number[] = [];
  private readonly labels: string[] = [];
  private readonly lineNumbers: number[] = [];

  constructor(options: TableOptions) {
    this.options = options;
  }

  /** Feeds one line (without its line break; a trailing CR is removed) and keeps its row. */
  pushLine(raw: string): void {
    const row = this.parseLine(raw);
    if (!row) return;
    for (const v of row.values) this.values.push(v);
    if (row.label !== undefined) this.labels.push(row.label);
    this.lineNumbers.push(row.line);
  }

  /** Reads one line without keeping it: the header and blank lines give undefined, a data line its row. */
  parseLine(raw: string): { values: number[]; label?: string; line: number } | undefined {
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const file = this.options.file;
    if (line.includes('\u0000')) {
      throw new TableFormatError('found NUL bytes: expected UTF-8 CSV text (is this a UTF-16 or binary file?)', { file, line: this.lineNo });
    }
    if (!this.headerSeen) {
      this.readHeader(line.replace(/^\uFEFF/, ''));
      return undefined;
    }
    if (line.trim() === '') return undefined;
    if (line.includes('"')) throw new TableFormatError('quoted fields are not supported', { file, line: this.lineNo });
    const cells = line.split(',');
    if (cells.length !== this.width) {
      throw new TableFormatError(`expected ${this.width} columns as in the header, found ${cells.length}`, { file, line: this.lineNo });
    }
    const values = this.options.featureNames.map((name, f) => parseNumberCell(cells[this.columnOf[f]], { file, line: this.lineNo, column: name }));
    if (this.labelIndex < 0) return { values, line: this.lineNo };
    const label = cells[this.labelIndex].trim();
    if (label === '') throw new TableFormatError('empty label', { file, line: this.lineNo, column: this.options.labelColumn });
    return { values, label, line: this.lineNo };
  }

  finish(): FeatureTable {
    if (!this.headerSeen) throw new TableFormatError('empty input: no header line', { file: this.options.file, line: 1 });
    const count = this.lineNumbers.length;
    return {
      featureNames: [...this.options.featureNames],
      count,
      values: Float64Array.from(this.values),
      labels: this.labelIndex >= 0 ? this.labels : undefined,
      lines: Int32Array.from(this.lineNumbers),
    };
  }

  private readHeader(line: string): void {
    const where = { file: this.options.file, line: this.lineNo };
    const wanted = [...this.options.featureNames, ...(this.options.labelColumn ? [this.options.labelColumn] : [])];
    if (line.trim() === '') throw new TableFormatError('expected a header line naming the columns, found an empty line', where);
    const names = line.split(',').map((n) => n.trim());
    const json = /^[[{]/.test(line.trim());
    if (json || names.every((n) => DECIMAL_NUMBER.test(n))) {
      throw new TableFormatError(`expected a header line naming the columns ${wanted.join(', ')}, found ${json ? 'JSON' : 'a row of numbers (no header?)'}`, where);
    }
    const seen = new Set<string>();
    for (const n of names) {
      // A trailing comma names an empty column: ignored like any extra column, however many there are.
      if (seen.has(n) && n !== '') throw new TableFormatError(`duplicate column ${quoteForMessage(n)} in the header`, where);
      seen.add(n);
    }
    const missing = wanted.filter((n) => !seen.has(n));
    if (missing.length > 0) {
      const found = names.slice(0, 12).map(quoteForMessage).join(', ') + (names.length > 12 ? `, … (${names.length} columns)` : '');
      throw new TableFormatError(`header is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${found})`, where);
    }
    this.columnOf = this.options.featureNames.map((n) => names.indexOf(n));
    this.labelIndex = this.options.labelColumn ? names.indexOf(this.options.labelColumn) : -1;
    this.width = names.length;
    this.headerSeen = true;
  }
}

/** Parses a whole CSV text. */
export function parseCsvTable(text: string, options: TableOptions): FeatureTable {
  const reader = new CsvTableReader(options);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) reader.pushLine(line);
  return reader.finish();
}
