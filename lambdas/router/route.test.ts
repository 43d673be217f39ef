import { describe, expect, it } from 'vitest';
import { PREDICTION_TOPIC } from '../../firmware/payload.js';
import { baselinePayload } from '../../firmware/scenario.js';
import { RecordingInvoker, RecordingPublisher } from '../testing/recording-ports.js';
import { routeMessage } from './route.js';

describe('routeMessage on messages beyond the field cases', () => {
  it.each<[string, unknown, string[]]>([
    ['100,000 unclosed brackets (was a thrown RangeError: the rule retries a poison message)', '['.repeat(100_000), ['$']],
    ['a JSON array of readings', JSON.stringify([baselinePayload()]), ['$']],
    ['bytes that are not UTF-8', Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]), ['$']],
    ['a device id with MQTT wildcards, which would reach the publish topic', { ...baselinePayload(), device_id: 'a/#' }, ['device_id']],
    ['a 1 MB timestamp', { ...baselinePayload(), timestamp: '2'.repeat(1e6) }, ['timestamp']],
  ])('%s: 400 naming the field, nothing invoked or published, a short message', async (_name, event, fields) => {
    const invoker = new RecordingInvoker({ label: 'c2' });
    const publisher = new RecordingPublisher();
    const result = await routeMessage(event, { invoker, publisher, predictionTopic: PREDICTION_TOPIC });
    expect(result.statusCode).toBe(400);
    if (result.statusCode !== 400) return;
    expect(result.error.issues.map((i) => i.field)).toEqual(fields);
    expect(result.error.message.length).toBeLessThan(300);
    expect([invoker.requests, publisher.messages]).toEqual([[], []]);
  });

  it('a reading with a prediction field added is routed as the reading it is', async () => {
    const publisher = new RecordingPublisher();
    const result = await routeMessage({ ...baselinePayload(), prediction: ['normal'], device_id: 'meter-1' }, { invoker: new RecordingInvoker({ label: 'c2' }), publisher, predictionTopic: PREDICTION_TOPIC });
    expect(result.statusCode === 200 && result.message.prediction).toEqual(['c2']);
  });
});
