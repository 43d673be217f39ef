import { PayloadError, type PayloadIssue } from './errors.js';
import { decodeJsonMessage } from './json-text.js';
import { DEVICE_ID_FIELD, PREDICTION_LABELS, SOURCES, TELEMETRY_TOPIC, UNKNOWN_DEVICE, type PredictionMessage } from './payload.js';
import { parseIsoTimestamp } from './timestamp.js';
import { describe, describeJson, readDevice } from './telemetry.js';

/** A prediction message as storage files it. */
export interface ParsedPrediction {
  label: string;
  device: string;
  time: number;
  model: string | undefined;
}

/**
 * True when the value is a prediction message rather than telemetry (storage receives both). What the IoT rule
 * took from the telemetry topic (its `topic` field) is telemetry whatever it holds, and so is a message with a
 * reading section: otherwise a meter adding `"prediction":["normal"]` would have its reading dropped and a
 * prediction of its choosing filed instead.
 */
export function isPredictionMessage(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || !('prediction' in value)) return false;
  const o = value as Record<string, unknown>;
  return o.topic !== TELEMETRY_TOPIC && !SOURCES.some((s) => s in o);
}

/**
 * Validates a prediction message for storage: a one-element `prediction` array naming a known class, the
 * reading's `timestamp` (ISO 8601 with offset; without it a redelivered message could not be recognised as
 * the same), and the device from `device` or the rule's `device_id`.
 */
export function parsePredictionMessage(input: unknown): ParsedPrediction {
  const value = typeof input === 'string' || input instanceof Uint8Array ? decodeJsonMessage(input, 'prediction message') : input;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PayloadError([{ field: '$', message: `expected a JSON object, found ${describe(value)}` }], { what: 'prediction message' });
  }
  const o = value as Record<string, unknown>;
  const issues: PayloadIssue[] = [];
  const p = o.prediction;
  let label = '';
  if (!Array.isArray(p) || p.length !== 1 || !PREDICTION_LABELS.includes(p[0])) {
    issues.push({ field: 'prediction', message: `expected a one-element array of ${PREDICTION_LABELS.join(', ')}, found ${describeJson(p)}` });
  } else label = p[0] as string;
  let time = Number.NaN;
  if (typeof o.timestamp !== 'string') issues.push({ field: 'timestamp', message: `expected the reading's ISO 8601 timestamp, found ${describe(o.timestamp)}` });
  else {
    const parsed = parseIsoTimestamp(o.timestamp);
    if (parsed.ok) time = parsed.time;
    else issues.push({ field: 'timestamp', message: parsed.message });
  }
  const device = readDevice(o.device ?? o[DEVICE_ID_FIELD], issues);
  const model = typeof o.model === 'string' ? o.model : undefined;
  if (issues.length > 0) throw new PayloadError(issues, { what: 'prediction message', device: device ?? undefined });
  return { label, device: device ?? UNKNOWN_DEVICE, time, model };
}

/** The message the router publishes; `prediction` comes first so a meter reading a prefix still finds it. */
export function predictionMessage(label: string, extra: Omit<PredictionMessage, 'prediction'> = {}): PredictionMessage {
  const msg: PredictionMessage = { prediction: [label] };
  if (extra.decision !== undefined) msg.decision = extra.decision;
  if (extra.model !== undefined) msg.model = extra.model;
  if (extra.device !== undefined) msg.device = extra.device;
  if (extra.timestamp !== undefined) msg.timestamp = extra.timestamp;
  if (extra.outOfRange !== undefined && extra.outOfRange.length > 0) msg.outOfRange = extra.outOfRange;
  return msg;
}
