import { TrainingError } from '../errors.js';

/** Base class of the parity tool's errors. */
export class ParityError extends TrainingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParityError';
  }
}

/**
 * An ONNX model that does not fit the model it is compared with: other inputs or outputs, another feature
 * count or order, other classes, or scores of another shape (e.g. one-vs-rest, one column per class).
 * A configuration error, reported as such rather than as an index error or a silent broadcast.
 */
export class OnnxContractError extends ParityError {
  readonly file: string;
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super(`${file}: ${detail}`, options);
    this.name = 'OnnxContractError';
    this.file = file;
  }
}

export type BridgeFailure = 'missing' | 'refused' | 'environment' | 'failed';

/** The Python bridge (notebooks/pickle_to_onnx.py) could not run or refused the pickle. */
export class BridgeError extends ParityError {
  readonly failure: BridgeFailure;
  constructor(failure: BridgeFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.failure = failure;
  }
}
