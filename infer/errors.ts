/** Base class of every error the inference core raises. */
export class InferError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InferError';
  }
}

/** A model or scaler artifact that is missing, malformed, or does not match its pair. */
export class ArtifactError extends InferError {
  /** JSON path of the offending value, e.g. `$.kernel.gamma`. */
  readonly path: string;
  readonly detail: string;
  readonly file: string | undefined;
  constructor(path: string, detail: string, options?: { cause?: unknown; file?: string }) {
    super(`${options?.file ? `${options.file}: ` : ''}${path}: ${detail}`, options);
    this.name = 'ArtifactError';
    this.path = path;
    this.detail = detail;
    this.file = options?.file;
  }

  /** The same error, naming the file it came from. */
  inFile(file: string): ArtifactError {
    return new ArtifactError(this.path, this.detail, { file, cause: this.cause });
  }
}

/** A row handed to the predictor that it cannot score (wrong width, NaN, a string...). */
export class InputError extends InferError {
  readonly row: number | undefined;
  readonly field: string | undefined;
  constructor(message: string, context: { row?: number; field?: string } = {}, options?: { cause?: unknown }) {
    const where = [context.row !== undefined ? `row ${context.row}` : '', context.field ? `feature ${context.field}` : '']
      .filter(Boolean)
      .join(', ');
    super(where ? `${where}: ${message}` : message, options);
    this.name = 'InputError';
    this.row = context.row;
    this.field = context.field;
  }
}

/** A CSV or JSONL input that cannot be read as feature rows; names the file, line and column. */
export class TableFormatError extends InferError {
  readonly file: string | undefined;
  readonly line: number;
  readonly column: string | undefined;
  constructor(detail: string, where: { file?: string; line: number; column?: string }, options?: { cause?: unknown }) {
    super(`${where.file ?? 'input'}:${where.line}${where.column ? ` column ${where.column}` : ''}: ${detail}`, options);
    this.name = 'TableFormatError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
