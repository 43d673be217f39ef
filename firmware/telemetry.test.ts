import { describe, expect, it } from 'vitest';
import { PayloadError } from './errors.js';
import { formatTelemetry } from './meter-format.js';
import { baselinePayload } from './scenario.js';
import { parseTelemetry } from './telemetry.js';
import { formatMeterTimestamp, parseIsoTimestamp } from './timestamp.js';

const BASE_TIME = 1748768400000;

function fieldsOf(input: unknown): string[] {
  try {
    parseTelemetry(input);
  } catch (err) {
    if (err instanceof PayloadError) return err.fields;
    throw err;
  }
  return [];
}

function withValue(path: string, value: unknown): Record<string, unknown> {
  const p = structuredClone(baselinePayload()) as unknown as Record<string, Record<string, unknown>>;
  const [section, key] = path.split('.');
  if (key === undefined) (p as Record<string, unknown>)[section] = value;
  else p[section][key] = value;
  return p;
}

describe('parseTelemetry', () => {
  it('accepts the baseline and adds device and instant', () => {
    expect(parseTelemetry({ ...baselinePayload(), device_id: 'meter-1' })).toEqual({ ...baselinePayload(), device: 'meter-1', time: BASE_TIME });
  });

  it('reads bytes and text exactly as the meter formats them', () => {
    const text = formatTelemetry(baselinePayload());
    expect(text).toBe(
      '{"timestamp":"2025-06-01T12:00:00+03:00","feeder":{"line_voltage":12.01,"shunt_voltage":3.610,"current":36.100},' +
        '"transformer1":{"shunt_voltage":1.32,"current":13.200},"transformer2":{"shunt_voltage":1.05,"current":10.500},' +
        '"transformer3":{"shunt_voltage":1.24,"current":12.400}}',
    );
    expect(parseTelemetry(new TextEncoder().encode(text))).toEqual({ ...baselinePayload(), device: 'unknown', time: BASE_TIME });
  });

  it('sanitizes numbers sent as strings and drops unknown fields', () => {
    const p = { ...withValue('feeder.current', '36.1'), extra: 1, topic: 'smartmeter/data' };
    expect(parseTelemetry(p)).toEqual({ ...baselinePayload(), device: 'unknown', time: BASE_TIME });
  });

  it.each([
    ['null', 'feeder.current', null],
    ['NaN', 'feeder.current', Number.NaN],
    ['Infinity', 'transformer1.current', Number.POSITIVE_INFINITY],
    ['a boolean', 'transformer3.current', true],
    ['an empty string', 'transformer2.current', ''],
    ['the string NaN', 'transformer2.current', 'NaN'],
    ['a hex string', 'transformer2.current', '0x10'],
    ['an overflowing string', 'transformer2.current', '1e999'],
    ['a negative current', 'transformer2.current', -0.4],
    ['a wrapped INA3221 shunt register', 'transformer2.shunt_voltage', 655.31],
    ['a channel current above full scale', 'transformer1.current', 6553.1],
    ['a line voltage above the INA219 bus range', 'feeder.line_voltage', 40],
    ['a negative line voltage', 'feeder.line_voltage', -12],
    ['a missing value', 'feeder.line_voltage', undefined],
    ['a missing channel', 'transformer3', undefined],
    ['a channel that is not an object', 'transformer1', [1, 2]],
    ['an epoch-seconds timestamp', 'timestamp', 1748768400],
    ['a timestamp without offset', 'timestamp', '2025-06-01T12:00:00'],
    ['an impossible date', 'timestamp', '2025-02-30T12:00:00Z'],
    ['a device id with a topic separator', 'device_id', 'a/b'],
  ])('rejects %s, naming the field', (_name, field, value) => {
    expect(fieldsOf(withValue(field, value))).toEqual([field]);
  });

  it('names every offending field at once', () => {
    const p = withValue('feeder.current', null);
    (p.transformer2 as Record<string, unknown>).shunt_voltage = 655.31;
    expect(fieldsOf(p)).toEqual(['feeder.current', 'transformer2.shunt_voltage']);
  });

  it.each([
    ['null', null],
    ['an array', [baselinePayload()]],
    ['a number', 42],
    ['a string that is JSON but not an object', '"hello"'],
  ])('rejects %s as a whole', (_name, value) => {
    expect(fieldsOf(value)).toEqual(['$']);
  });

  it.each([
    ['NaN', '{"feeder":{"current":NaN}}', 'feeder.current', /NaN or Infinity/],
    ['-Infinity', '{"feeder":{"current":-Infinity}}', 'feeder.current', /NaN or Infinity/],
    ['a truncated payload', '{"timestamp":"2025-06-01T12:00:00+03:00","transformer3":{"shun', 'transformer3.shun', /truncated/],
    ['trailing garbage', '{"feeder":{}} x', '$', /not valid JSON/],
    ['an empty payload', '', '$', /empty/],
  ])('locates %s in raw text', (_name, text, field, message) => {
    try {
      parseTelemetry(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PayloadError);
      expect((err as PayloadError).fields).toEqual([field]);
      expect((err as PayloadError).issues[0].message).toMatch(message);
    }
  });
});

describe('timestamps', () => {
  it.each([
    ['2025-06-01T12:00:00+03:00', BASE_TIME],
    ['2025-06-01T12:00:00+0300', BASE_TIME],
    ['2025-06-01T09:00:00Z', BASE_TIME],
    ['2025-06-01T12:00:00.250+03:00', BASE_TIME + 250],
    ['2025-06-01T12:00:00.2+03:00', BASE_TIME + 200],
    ['2025-06-01T12:00:00.123456789+03:00', BASE_TIME + 123],
    ['2025-06-01T05:30:00-03:30', BASE_TIME],
  ])('parses %s', (text, time) => {
    expect(parseIsoTimestamp(text)).toEqual({ ok: true, time });
  });

  it('formats as the meter does', () => {
    expect(formatMeterTimestamp(BASE_TIME, 180)).toBe('2025-06-01T12:00:00+03:00');
    expect(formatMeterTimestamp(BASE_TIME + 250, -210, true)).toBe('2025-06-01T05:30:00.250-03:30');
  });
});
