import { TrainingError } from '../errors.js';

/** A model that cannot be written as the ONNX graph asked for (e.g. a value beyond float32's range). */
export class OnnxExportError extends TrainingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxExportError';
  }
}
