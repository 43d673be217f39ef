import { PayloadError } from '../../firmware/errors.js';
import { decodeJsonMessage } from '../../firmware/json-text.js';
import { isPredictionMessage, parsePredictionMessage } from '../../firmware/prediction.js';
import { parseTelemetry } from '../../firmware/telemetry.js';
import type { MeasureRecord, ReadingSink } from './reading-sink.js';
import { predictionRecords, readingRecords } from './records.js';

export interface TimeWindow {
  /** Oldest accepted reading age, ms: the Timestream memory store retention (older records are rejected). */
  maxAgeMs: number;
  /** Tolerated clock lead of the meter, ms. */
  maxFutureMs: number;
}

export interface StoreDeps {
  sink: ReadingSink;
  window: TimeWindow;
  now: () => number;
}

export type StoreResult =
  | { statusCode: 200; kind: 'reading' | 'prediction'; device: string; records: number }
  | { statusCode: 400; error: { type: 'PayloadError'; message: string; issues: PayloadError['issues'] } };

/**
 * The cold path for one message (a reading from `smartmeter/data`, or a prediction from the prediction
 * topic): validate, check the instant is storable, turn into records, write. A message the contract
 * refuses gets a 400-style result and nothing is written. A sink failure throws (the invocation fails
 * and the rule's error action keeps the message); writing the same message again stores nothing new.
 */
export async function storeMessage(event: unknown, deps: StoreDeps): Promise<StoreResult> {
  let kind: 'reading' | 'prediction';
  let records: MeasureRecord[];
  let device: string;
  try {
    const value = typeof event === 'string' || event instanceof Uint8Array ? decodeJsonMessage(event) : event;
    if (isPredictionMessage(value)) {
      const p = parsePredictionMessage(value);
      checkWindow(p.time, deps, p.device);
      kind = 'prediction';
      device = p.device;
      records = predictionRecords(p);
    } else {
      const r = parseTelemetry(value);
      checkWindow(r.time, deps, r.device);
      kind = 'reading';
      device = r.device;
      records = readingRecords(r);
    }
  } catch (err) {
    if (err instanceof PayloadError) return { statusCode: 400, error: { type: 'PayloadError', message: err.message, issues: err.issues } };
    throw err;
  }
  await deps.sink.write(records);
  return { statusCode: 200, kind, device, records: records.length };
}

function checkWindow(time: number, deps: StoreDeps, device: string): void {
  const now = deps.now();
  if (time < now - deps.window.maxAgeMs) {
    const hours = deps.window.maxAgeMs / 3_600_000;
    throw new PayloadError(
      [{ field: 'timestamp', message: `${new Date(time).toISOString()} is older than the ${hours} h memory-store window (device clock not synced?)` }],
      { device },
    );
  }
  if (time > now + deps.window.maxFutureMs) {
    throw new PayloadError(
      [{ field: 'timestamp', message: `${new Date(time).toISOString()} is more than ${deps.window.maxFutureMs / 1000} s in the future (device clock ahead?)` }],
      { device },
    );
  }
}
