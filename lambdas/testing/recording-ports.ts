import type { InferenceAnswer, InferenceRequest, Invoker, Publisher } from '../router/ports.js';
import type { MeasureRecord, ReadingSink } from '../storage/reading-sink.js';

/** Invoker that records requests and answers with a fixed answer (or a function of the request). */
export class RecordingInvoker implements Invoker {
  readonly requests: InferenceRequest[] = [];
  constructor(private readonly answer: InferenceAnswer | ((r: InferenceRequest) => InferenceAnswer) = { label: 'normal' }) {}
  async invoke(request: InferenceRequest): Promise<InferenceAnswer> {
    this.requests.push(request);
    return typeof this.answer === 'function' ? this.answer(request) : this.answer;
  }
}

export class RecordingPublisher implements Publisher {
  readonly messages: { topic: string; payload: Uint8Array; json: unknown }[] = [];
  async publish(topic: string, payload: Uint8Array): Promise<void> {
    this.messages.push({ topic, payload, json: JSON.parse(new TextDecoder().decode(payload)) });
  }
}

export class MemorySink implements ReadingSink {
  readonly writes: MeasureRecord[][] = [];
  async write(records: readonly MeasureRecord[]): Promise<void> {
    this.writes.push([...records]);
  }
  get records(): MeasureRecord[] {
    return this.writes.flat();
  }
}
