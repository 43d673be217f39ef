/** Base class of the router's own errors (a bad payload is the contract's PayloadError). */
export class RouterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RouterError';
  }
}

/** The inference function failed or answered something that is not a prediction: nothing is published. */
export class InferenceCallError extends RouterError {
  readonly functionName: string;
  readonly device: string | undefined;
  constructor(functionName: string, message: string, options?: { cause?: unknown; device?: string }) {
    super(`inference function ${functionName}: ${message}`, options);
    this.name = 'InferenceCallError';
    this.functionName = functionName;
    this.device = options?.device;
  }
}

/** Publishing the prediction failed. */
export class PublishError extends RouterError {
  readonly topic: string;
  constructor(topic: string, message: string, options?: { cause?: unknown }) {
    super(`publish to ${topic}: ${message}`, options);
    this.name = 'PublishError';
    this.topic = topic;
  }
}
