import type { Predictor } from '../../infer/predictor.js';
import { answerInference } from '../inference/answer.js';
import { decodeAnswer } from '../router/decode-answer.js';
import type { InferenceAnswer, InferenceRequest, Invoker } from '../router/ports.js';

/** Invoker that runs the inference function's code in this process (the local stack has no Lambda). */
export class InProcessInvoker implements Invoker {
  constructor(private readonly predictor: Predictor) {}

  async invoke(request: InferenceRequest): Promise<InferenceAnswer> {
    return decodeAnswer('in-process inference', answerInference(this.predictor, request));
  }
}
