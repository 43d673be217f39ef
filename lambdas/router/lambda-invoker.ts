import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { decodeInvokeOutput } from './decode-answer.js';
import { InferenceCallError } from './errors.js';
import type { InferenceAnswer, InferenceRequest, Invoker } from './ports.js';

/** Invoker over Lambda's synchronous Invoke (RequestResponse). */
export class LambdaInvoker implements Invoker {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async invoke(request: InferenceRequest): Promise<InferenceAnswer> {
    let out;
    try {
      out = await this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
      );
    } catch (cause) {
      throw new InferenceCallError(this.functionName, `invoke failed: ${(cause as Error).name}: ${(cause as Error).message}`, {
        cause,
        device: request.device_id,
      });
    }
    return decodeInvokeOutput(this.functionName, out);
  }
}
