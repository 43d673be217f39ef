import { PayloadError } from '../../firmware/errors.js';
import type { MeterReading, PredictionMessage } from '../../firmware/payload.js';
import { predictionMessage } from '../../firmware/prediction.js';
import { parseTelemetry } from '../../firmware/telemetry.js';
import { PublishError } from './errors.js';
import type { InferenceRequest, Invoker, Publisher } from './ports.js';

export interface RouterDeps {
  invoker: Invoker;
  publisher: Publisher;
  /** Topic template; `{device}` is replaced by the device id. */
  predictionTopic: string;
}

export type RouteResult =
  | { statusCode: 200; device: string; topic: string; message: PredictionMessage }
  | { statusCode: 400; error: { type: 'PayloadError'; message: string; issues: PayloadError['issues'] } };

/**
 * The hot path for one message: validate, predict, answer the meter. A reading the contract refuses gets a
 * 400-style result and no inference call and no publication. A failing inference function or publish
 * throws, so that the invocation fails and the IoT rule's retry and error action keep the message.
 */
export async function routeMessage(event: unknown, deps: RouterDeps): Promise<RouteResult> {
  let reading: MeterReading;
  try {
    reading = parseTelemetry(event);
  } catch (err) {
    if (err instanceof PayloadError) return { statusCode: 400, error: { type: 'PayloadError', message: err.message, issues: err.issues } };
    throw err;
  }
  const answer = await deps.invoker.invoke(inferenceRequest(reading));
  const message = predictionMessage(answer.label, {
    decision: answer.decision,
    model: answer.model,
    device: reading.device,
    timestamp: reading.timestamp,
    outOfRange: answer.outOfRange,
  });
  const topic = predictionTopicFor(deps.predictionTopic, reading.device);
  try {
    await deps.publisher.publish(topic, new TextEncoder().encode(JSON.stringify(message)));
  } catch (cause) {
    throw new PublishError(topic, (cause as Error).message ?? String(cause), { cause });
  }
  return { statusCode: 200, device: reading.device, topic, message };
}

export function predictionTopicFor(template: string, device: string): string {
  return template.replaceAll('{device}', device);
}

function inferenceRequest(r: MeterReading): InferenceRequest {
  return {
    timestamp: r.timestamp,
    feeder: r.feeder,
    transformer1: r.transformer1,
    transformer2: r.transformer2,
    transformer3: r.transformer3,
    device_id: r.device,
  };
}
