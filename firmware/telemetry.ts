import { PayloadError, quote, type PayloadIssue } from './errors.js';
import { decodeJsonMessage } from './json-text.js';
import {
  CHANNELS,
  DEVICE_ID_FIELD,
  DEVICE_ID_PATTERN,
  SENSOR_LIMITS,
  UNKNOWN_DEVICE,
  type ChannelReading,
  type FeederReading,
  type MeterReading,
} from './payload.js';
import { parseIsoTimestamp } from './timestamp.js';

/** A JSON number as text, as some firmware and IoT rules send numbers: `"12.01"`. No spaces, hex, or `NaN`. */
const NUMERIC_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The contract's validator, shared by the router, the storage handler and the simulator.
 *
 * Accepts the message as bytes, as text, or already parsed (an IoT rule hands Lambda an object).
 * Sanitizes: numbers sent as numeric strings become numbers; fields other than the contract's and the
 * rule's `device_id` are dropped. Rejects, naming every offending field: anything not a JSON object,
 * a missing section or channel, null, NaN, Infinity, booleans, values outside what the sensor can report
 * (SENSOR_LIMITS, which includes negative currents), a timestamp that is not ISO 8601 with an offset,
 * and a device id that is unsafe as a topic level or dimension value.
 */
export function parseTelemetry(input: unknown): MeterReading {
  const value = typeof input === 'string' || input instanceof Uint8Array ? decodeJsonMessage(input) : input;
  const issues: PayloadIssue[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PayloadError([{ field: '$', message: `expected a JSON object, found ${describe(value)}` }]);
  }
  const o = value as Record<string, unknown>;
  const device = readDevice(o[DEVICE_ID_FIELD], issues);

  let timestamp = '';
  let time = Number.NaN;
  if (typeof o.timestamp !== 'string') {
    issues.push({ field: 'timestamp', message: `expected an ISO 8601 string with a UTC offset, found ${describe(o.timestamp)}` });
  } else {
    const parsed = parseIsoTimestamp(o.timestamp);
    if (parsed.ok) {
      timestamp = o.timestamp;
      time = parsed.time;
    } else issues.push({ field: 'timestamp', message: parsed.message });
  }

  const feederObj = readSection(o, 'feeder', issues);
  const feeder: FeederReading = {
    line_voltage: readMeasure(feederObj, 'feeder', 'line_voltage', SENSOR_LIMITS.feeder.line_voltage, issues),
    shunt_voltage: readMeasure(feederObj, 'feeder', 'shunt_voltage', SENSOR_LIMITS.feeder.shunt_voltage, issues),
    current: readMeasure(feederObj, 'feeder', 'current', SENSOR_LIMITS.feeder.current, issues),
  };
  const channels = CHANNELS.map((name): ChannelReading => {
    const section = readSection(o, name, issues);
    return {
      shunt_voltage: readMeasure(section, name, 'shunt_voltage', SENSOR_LIMITS.channel.shunt_voltage, issues),
      current: readMeasure(section, name, 'current', SENSOR_LIMITS.channel.current, issues),
    };
  });
  if (issues.length > 0) throw new PayloadError(issues, { device: device ?? undefined });
  return {
    device: device ?? UNKNOWN_DEVICE,
    time,
    timestamp,
    feeder,
    transformer1: channels[0],
    transformer2: channels[1],
    transformer3: channels[2],
  };
}

/** The device id the IoT rule added, null when absent; an unsafe one is an issue. */
export function readDevice(value: unknown, issues: PayloadIssue[]): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && DEVICE_ID_PATTERN.test(value)) return value;
  issues.push({
    field: DEVICE_ID_FIELD,
    message: `expected 1-128 characters from A-Z a-z 0-9 _ . : -, found ${describe(value)}`,
  });
  return null;
}

function readSection(o: Record<string, unknown>, name: string, issues: PayloadIssue[]): Record<string, unknown> | undefined {
  const v = o[name];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  issues.push({ field: name, message: v === undefined ? 'missing' : `expected an object, found ${describe(v)}` });
  return undefined;
}

interface Limit {
  min: number;
  max: number;
  unit: string;
  sensor: string;
}

function readMeasure(section: Record<string, unknown> | undefined, sectionName: string, key: string, limit: Limit, issues: PayloadIssue[]): number {
  if (section === undefined) return Number.NaN;
  const field = `${sectionName}.${key}`;
  const n = toNumber(section[key]);
  if (typeof n === 'string') {
    issues.push({ field, message: n });
    return Number.NaN;
  }
  if (n < limit.min || n > limit.max) {
    issues.push({ field, message: `${n} ${limit.unit} is outside what the ${limit.sensor} can report (${limit.min} to ${limit.max} ${limit.unit})` });
    return Number.NaN;
  }
  return n;
}

/** The value as a finite number, or why not. Never coerces null, booleans or empty strings (Number(null) is 0). */
export function toNumber(v: unknown): number | string {
  if (typeof v === 'number') return Number.isFinite(v) ? v : `expected a finite number, found ${v}`;
  if (typeof v === 'string' && NUMERIC_TEXT.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : `expected a finite number, found ${describe(v)} (overflows)`;
  }
  return v === undefined ? 'missing' : `expected a finite number, found ${describe(v)}`;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

/** A value as JSON, cut to 60 characters: a message names what was sent without repeating a megabyte of it. */
export function describeJson(v: unknown): string {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

