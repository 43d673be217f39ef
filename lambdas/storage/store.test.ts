import { describe, expect, it } from 'vitest';
import { baselinePayload } from '../../firmware/scenario.js';
import { MemorySink } from '../testing/recording-ports.js';
import { storeMessage } from './store.js';

/** 12:00 at +03:00 on 2025-06-01, the baseline reading's instant. */
const BASE_TIME = 1748768400000;
const store = async (event: unknown) => {
  const sink = new MemorySink();
  const result = await storeMessage(event, { sink, window: { maxAgeMs: 24 * 3_600_000, maxFutureMs: 300_000 }, now: () => BASE_TIME });
  return { result, sink };
};
/** As the IoT rule delivers a reading: `SELECT *, clientid() AS device_id, topic() AS topic FROM 'smartmeter/data'`. */
const fromMeter = (o: object) => ({ ...o, device_id: 'meter-1', topic: 'smartmeter/data' });

describe('storeMessage on messages beyond the field cases', () => {
  it('a reading with a prediction field added: stored as the reading (was filed as a prediction, the reading lost)', async () => {
    const { result, sink } = await store(fromMeter({ ...baselinePayload(), prediction: ['normal'] }));
    expect(result).toEqual({ statusCode: 200, kind: 'reading', device: 'meter-1', records: 14 });
    expect(sink.records.filter((r) => r.source === 'model')).toEqual([]);
  });

  it('a prediction-shaped message a meter sends on the telemetry topic: refused, nothing filed', async () => {
    const { result, sink } = await store(fromMeter({ prediction: ['normal'], timestamp: '2025-06-01T12:00:00+03:00', device: 'meter-2' }));
    expect(result.statusCode).toBe(400);
    if (result.statusCode === 400) expect(result.error.issues.map((i) => i.field)).toEqual(['feeder', 'transformer1', 'transformer2', 'transformer3']);
    expect(sink.records).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['100,000 unclosed brackets (was a thrown RangeError: the rule retries a poison message)', '['.repeat(100_000), 'invalid telemetry payload: $: payload is not valid JSON (nested too deeply to locate the error)'],
    ['a prediction of a million labels (was a 9 MB message)', { prediction: new Array(1e6).fill('normal'), timestamp: '2025-06-01T12:00:00+03:00' }, `invalid prediction message: prediction: expected a one-element array of normal, c1, c2, c3, found ${JSON.stringify(new Array(20).fill('normal')).slice(0, 60)}…`],
    ['a prediction naming __proto__', { prediction: ['__proto__'], timestamp: '2025-06-01T12:00:00+03:00' }, 'invalid prediction message: prediction: expected a one-element array of normal, c1, c2, c3, found ["__proto__"]'],
    ['a prediction from a unicode device', { prediction: ['c1'], timestamp: '2025-06-01T12:00:00+03:00', device: 'ö' }, 'invalid prediction message: device_id: expected 1-128 characters from A-Z a-z 0-9 _ . : -, found the string "ö"'],
  ])('%s: 400, short message, nothing written', async (_name, event, message) => {
    const { result, sink } = await store(event);
    expect(result.statusCode === 400 ? result.error.message : result).toBe(message);
    expect(sink.records).toEqual([]);
  });
});
