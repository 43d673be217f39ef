import { LambdaClient } from '@aws-sdk/client-lambda';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import { PREDICTION_TOPIC } from '../../firmware/payload.js';
import { storeMessage } from '../storage/store.js';
import { caseMessage, fieldCases, type FieldCase } from '../testing/field-cases.js';
import { LoopbackAws, TEST_CLIENT_CONFIG } from '../testing/loopback-aws.js';
import { MemorySink, RecordingInvoker, RecordingPublisher } from '../testing/recording-ports.js';
import { IotPublisher } from './iot-publisher.js';
import { LambdaInvoker } from './lambda-invoker.js';
import { routeMessage } from './route.js';

const cases = fieldCases('router');
const byId = new Map(cases.map((c) => [c.id, c]));
const servers: LoopbackAws[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Cases whose message the contract refuses: 400 naming the field, no inference, nothing published or stored. */
const REFUSED: Record<string, string[]> = {
  'R01a-nan-literal': ['feeder.current'],
  'R01b-null-for-nan': ['feeder.current'],
  'R02a-truncated-payload': ['transformer3.shun'],
  'R03a-ina219-unsigned-wrap': ['transformer2.shunt_voltage', 'transformer2.current'],
};
/** Cases about the inference function's answer, played by a loopback Lambda endpoint and the real SDK client. */
const INVOKE = ['R05a-uint8array-proxy-body', 'R06a-function-error-200'];

it('has a test for every router case', () => {
  expect(cases.map((c) => c.id).sort()).toEqual([...Object.keys(REFUSED), ...INVOKE].sort());
});

describe.each(Object.keys(REFUSED))('%s', (id) => {
  it('is refused with the field named; nothing invoked, published or stored', async () => {
    const c = byId.get(id) as FieldCase;
    const invoker = new RecordingInvoker({ label: 'c2' });
    const publisher = new RecordingPublisher();
    const result = await routeMessage(caseMessage(c), { invoker, publisher, predictionTopic: PREDICTION_TOPIC });
    expect(result.statusCode).toBe(400);
    if (result.statusCode !== 400) return;
    expect(result.error.issues.map((i) => i.field)).toEqual(REFUSED[id]);
    expect(invoker.requests).toEqual([]);
    expect(publisher.messages).toEqual([]);
    const sink = new MemorySink();
    const stored = await storeMessage(caseMessage(c), { sink, window: { maxAgeMs: 8.64e7, maxFutureMs: 3e5 }, now: () => 1748768400000 });
    expect(stored.statusCode).toBe(400);
    expect(sink.records).toEqual([]);
  });
});

async function lambdaReturning(c: FieldCase): Promise<LoopbackAws> {
  const r = c.input.invoke_response!;
  const lb = await LoopbackAws.start(() => ({
    status: r.StatusCode,
    headers: { 'content-type': 'application/json', ...(r.FunctionError ? { 'x-amz-function-error': r.FunctionError } : {}) },
    body: Uint8Array.from(r.Payload_bytes),
  }));
  servers.push(lb);
  return lb;
}

describe('R05a-uint8array-proxy-body', () => {
  it('decodes the bytes, unwraps the stringified body and publishes prediction ["c1"]', async () => {
    const lambda = await lambdaReturning(byId.get('R05a-uint8array-proxy-body')!);
    const iot = await LoopbackAws.start(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
    servers.push(iot);
    const invoker = new LambdaInvoker(new LambdaClient({ ...TEST_CLIENT_CONFIG, requestHandler: lambda.requestHandler }), 'gridsentry-inference');
    const publisher = new IotPublisher(new IoTDataPlaneClient({ ...TEST_CLIENT_CONFIG, requestHandler: iot.requestHandler }));
    const result = await routeMessage(
      { timestamp: '2025-06-01T12:00:00+03:00', feeder: { line_voltage: 12.01, shunt_voltage: 3.61, current: 36.1 }, transformer1: { shunt_voltage: 1.32, current: 13.2 }, transformer2: { shunt_voltage: 1.05, current: 10.5 }, transformer3: { shunt_voltage: 1.24, current: 12.4 } },
      { invoker, publisher, predictionTopic: PREDICTION_TOPIC },
    );
    expect(result.statusCode).toBe(200);
    expect(iot.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /topics/smartmeter%2Fprediction?qos=1']);
    const body = iot.requests[0].body.toString('utf8');
    // The meter reads `prediction`; the extra fields are the documented ones it ignores.
    expect(body.startsWith('{"prediction":["c1"]')).toBe(true);
    expect(JSON.parse(body)).toEqual({ prediction: ['c1'], device: 'unknown', timestamp: '2025-06-01T12:00:00+03:00' });
  });
});

describe('R06a-function-error-200', () => {
  it('treats a FunctionError with status 200 as a failure naming the function; nothing published', async () => {
    const lambda = await lambdaReturning(byId.get('R06a-function-error-200')!);
    const invoker = new LambdaInvoker(new LambdaClient({ ...TEST_CLIENT_CONFIG, requestHandler: lambda.requestHandler }), 'gridsentry-inference');
    const publisher = new RecordingPublisher();
    const event = JSON.parse(JSON.stringify((fieldCases('storage')[0].input.event)));
    await expect(routeMessage(event, { invoker, publisher, predictionTopic: PREDICTION_TOPIC })).rejects.toThrow(
      /inference function gridsentry-inference: function error \(Unhandled\): Runtime\.ImportModuleError: Cannot find module 'model'/,
    );
    expect(publisher.messages).toEqual([]);
  });
});
