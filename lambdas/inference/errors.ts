/** Base class of the inference function's own errors. */
export class InferenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InferenceError';
  }
}

/** The model artifacts could not be loaded at cold start; every invocation reports it instead of guessing. */
export class ModelLoadError extends InferenceError {
  readonly modelDir: string;
  constructor(modelDir: string, options: { cause: unknown }) {
    super(`model load failed from ${modelDir}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'ModelLoadError';
    this.modelDir = modelDir;
  }
}
