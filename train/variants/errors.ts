import { TrainingError } from '../errors.js';

/** A variants file that cannot be used: names the file and the path of the offending entry. */
export class VariantsFileError extends TrainingError {
  readonly file: string | undefined;
  readonly path: string;
  readonly detail: string;
  constructor(path: string, detail: string, options?: { file?: string; cause?: unknown }) {
    super(`${options?.file ? `${options.file}: ` : ''}${path}: ${detail}`, options);
    this.name = 'VariantsFileError';
    this.file = options?.file;
    this.path = path;
    this.detail = detail;
  }
}

/** A variant that failed to train or score, named so the run can say which one. */
export class VariantRunError extends TrainingError {
  readonly variant: string;
  constructor(variant: string, detail: string, options?: { cause?: unknown }) {
    super(`variant ${variant}: ${detail}`, options);
    this.name = 'VariantRunError';
    this.variant = variant;
  }
}
