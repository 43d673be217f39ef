import type { TelemetryPayload } from '../../firmware/payload.js';

/** What the inference function answers about one reading. */
export interface InferenceAnswer {
  label: string;
  /** One-vs-one decision values, when the function gives them. */
  decision?: number[];
  /** Model id, when the function gives it. */
  model?: string;
  /** Features outside the training range. */
  outOfRange?: string[];
}

/** The request the router sends: the sanitized payload, with the device id the rule added. */
export type InferenceRequest = TelemetryPayload & { device_id: string };

/** Calls the inference function synchronously. */
export interface Invoker {
  invoke(request: InferenceRequest): Promise<InferenceAnswer>;
}

/** Publishes a message to an MQTT topic (AWS IoT Core, or the local broker). */
export interface Publisher {
  publish(topic: string, payload: Uint8Array): Promise<void>;
}
