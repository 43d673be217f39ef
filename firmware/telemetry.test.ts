import { describe, expect, it } from 'vitest';
import { PayloadError } from './errors.js';
import { formatTelemetry } from './meter-format.js';
import { baselinePayload } from './scenario.js';
import { isPredictionMessage } from './prediction.js';
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

describe('parseTelemetry on payloads beyond the field cases', () => {
  const text = JSON.stringify(baselinePayload());
  /** The single issue a text raises: field and message. */
  const issueOf = (input: unknown) => {
    try {
      parseTelemetry(input);
    } catch (err) {
      if (err instanceof PayloadError) return err.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      throw err;
    }
    return 'accepted';
  };

  it.each<[string, unknown, string]>([
    ['100,000 unclosed brackets (jsonc-parser overflowed the stack: a thrown RangeError, so a retried poison message)', '['.repeat(100_000), '$: payload is not valid JSON (nested too deeply to locate the error)'],
    ['100,000 unclosed objects', '{"a":'.repeat(100_000), '$: payload is not valid JSON (nested too deeply to locate the error)'],
    ['a million closed brackets', `${'['.repeat(1e6)}${']'.repeat(1e6)}`, '$: expected a JSON object, found an array'],
    ['an object nested 5,000 deep in a field', text.replace('"current":36.1', `"current":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`), 'feeder.current: expected a finite number, found object'],
    ['a bare word (was "truncated")', 'xyz', '$: payload is not valid JSON: unexpected "xyz" at offset 0'],
    ['a bare NaN (was "truncated")', 'NaN', '$: payload is not valid JSON: unexpected "NaN" at offset 0 (JSON has no NaN or Infinity; send a finite number)'],
    ['garbage after the object (was "truncated")', `${text}x`, `$: payload is not valid JSON: unexpected "x" at offset ${text.length}`],
    ['a trailing comma (was "truncated")', text.replace(/}$/, ',}'), `$: payload is not valid JSON: unexpected "}" at offset ${text.length}`],
    ['a literal cut short', text.replace(/"current":12.4}}$/, '"current":tr'), `transformer3.current: payload is not valid JSON: truncated after ${text.replace(/"current":12.4}}$/, '"current":tr').length} bytes`],
    ['5 MB of one letter', 'x'.repeat(5e6), '$: payload is not valid JSON: unexpected "xxxxxxxxxxxxxxxxxxxx" at offset 0'],
    ['1e308 amps', { ...baselinePayload(), feeder: { ...baselinePayload().feeder, current: 1e308 } }, 'feeder.current: 1e+308 mA is outside what the INA219 (320 mV / 0.1 ohm) can report (0 to 3200 mA)'],
    ['a 400-digit string (was quoted whole)', { ...baselinePayload(), feeder: { ...baselinePayload().feeder, current: '9'.repeat(400) } }, `feeder.current: expected a finite number, found the string "${'9'.repeat(40)}…" (overflows)`],
    ['a 1 MB timestamp (was quoted whole)', { ...baselinePayload(), timestamp: '2'.repeat(1e6) }, `timestamp: expected an ISO 8601 date-time like 2025-06-01T12:00:00+03:00, found "${'2'.repeat(40)}…"`],
    ['a timestamp in full-width digits', { ...baselinePayload(), timestamp: '２０２５-06-01T12:00:00Z' }, 'timestamp: expected an ISO 8601 date-time like 2025-06-01T12:00:00+03:00, found "２０２５-06-01T12:00:00Z"'],
    ['a unicode device id', { ...baselinePayload(), device_id: 'mètre-1' }, 'device_id: expected 1-128 characters from A-Z a-z 0-9 _ . : -, found the string "mètre-1"'],
    ['a 10,000-character device id', { ...baselinePayload(), device_id: 'a'.repeat(10_000) }, `device_id: expected 1-128 characters from A-Z a-z 0-9 _ . : -, found the string "${'a'.repeat(40)}…"`],
    ['a device id with an MQTT wildcard', { ...baselinePayload(), device_id: '+' }, 'device_id: expected 1-128 characters from A-Z a-z 0-9 _ . : -, found the string "+"'],
    ['an array for a section', { ...baselinePayload(), feeder: [12.01, 3.61, 36.1] }, 'feeder: expected an object, found an array'],
    ['a duplicate key whose last value is null', text.replace('"current":36.1', '"current":36.1,"current":null'), 'feeder.current: expected a finite number, found null'],
    ['a __proto__ section carrying the values', JSON.parse(text.replace('"feeder":{"line_voltage":12.01,', '"feeder":{"__proto__":{"line_voltage":12.01},')), 'feeder.line_voltage: missing'],
    ['a duplicate key whose last value is good', text.replace('"current":36.1', '"current":null,"current":36.1'), 'accepted'],
    ['an extra 5 MB field', { ...baselinePayload(), note: 'x'.repeat(5e6) }, 'accepted'],
  ])('%s', (_name, input, issue) => {
    expect(issueOf(input)).toBe(issue);
  });
});

describe('isPredictionMessage: what storage files as a prediction', () => {
  it.each<[string, unknown, boolean]>([
    ['the router\'s message', { prediction: ['c2'], timestamp: '2025-06-01T12:00:00+03:00', device: 'm1', topic: 'smartmeter/prediction' }, true],
    ['a reading with a prediction field added by the meter', { ...baselinePayload(), prediction: ['normal'] }, false],
    ['a prediction-shaped message from the telemetry topic', { prediction: ['normal'], timestamp: '2025-06-01T12:00:00+03:00', device: 'm2', topic: 'smartmeter/data' }, false],
    ['a reading', baselinePayload(), false],
    ['null', null, false],
  ])('%s: %s', (_name, value, expected) => {
    expect(isPredictionMessage(value)).toBe(expected);
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
