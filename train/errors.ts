/** Base class of the training pipeline's errors. */
export class TrainingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainingError';
  }
}

/** A dataset file or row that cannot be trained on; names the file, line and column. */
export class DatasetError extends TrainingError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;
  constructor(detail: string, where: { file?: string; line?: number; column?: string } = {}, options?: { cause?: unknown }) {
    const place = [where.file, where.line !== undefined ? String(where.line) : undefined].filter(Boolean).join(':');
    super(`${place ? `${place}` : 'dataset'}${where.column ? ` column ${where.column}` : ''}: ${detail}`, options);
    this.name = 'DatasetError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
