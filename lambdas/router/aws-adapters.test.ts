import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { baselinePayload } from '../../firmware/scenario.js';
import { LoopbackAws, TEST_CLIENT_CONFIG, type Reply } from '../testing/loopback-aws.js';
import { InferenceCallError } from './errors.js';
import { IotPublisher } from './iot-publisher.js';
import { LambdaInvoker } from './lambda-invoker.js';

const servers: LoopbackAws[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(respond: () => Reply) {
  const lb = await LoopbackAws.start(respond);
  servers.push(lb);
  return lb;
}
const request = { ...baselinePayload(), device_id: 'meter-1' };

describe('LambdaInvoker with the real SDK client', () => {
  it('invokes synchronously with the reading as JSON and decodes the answer', async () => {
    const lb = await start(() => ({ status: 200, body: JSON.stringify({ prediction: ['c2'], decision: [0.5, -1], model: 'svc-abc' }) }));
    const invoker = new LambdaInvoker(new LambdaClient({ ...TEST_CLIENT_CONFIG, requestHandler: lb.requestHandler }), 'gridsentry-inference');
    expect(await invoker.invoke(request)).toEqual({ label: 'c2', decision: [0.5, -1], model: 'svc-abc' });
    expect(lb.requests.map((r) => [r.method, r.host, r.path, r.headers['x-amz-invocation-type']])).toEqual([
      ['POST', 'lambda.us-east-1.amazonaws.com', '/2015-03-31/functions/gridsentry-inference/invocations', 'RequestResponse'],
    ]);
    expect(JSON.parse(lb.requests[0].body.toString('utf8'))).toEqual(request);
  });

  it.each([
    ['a handled function error', { status: 200, headers: { 'x-amz-function-error': 'Handled' }, body: '{"errorType":"PayloadError","errorMessage":"bad"}' }, /function error \(Handled\): PayloadError: bad/],
    ['an error status in a proxy body', { status: 200, body: '{"statusCode":500,"body":"model load failed"}' }, /answered status 500: model load failed/],
    ['an unknown label', { status: 200, body: '{"prediction":["c9"]}' }, /expected prediction to be a one-element array/],
    ['a non-JSON answer', { status: 200, body: 'null pointer' }, /answer is not JSON/],
    ['a throttled invoke', { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: '{"message":"Rate exceeded"}' }, /invoke failed: TooManyRequestsException/],
  ])('refuses %s with an error naming the function', async (_name, reply, message) => {
    const lb = await start(() => reply);
    const invoker = new LambdaInvoker(new LambdaClient({ ...TEST_CLIENT_CONFIG, requestHandler: lb.requestHandler, maxAttempts: 1 }), 'fn-x');
    const err = await invoker.invoke(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceCallError);
    expect((err as Error).message).toMatch(/^inference function fn-x: /);
    expect((err as Error).message).toMatch(message);
  });
});

describe('IotPublisher with the real SDK client', () => {
  it('publishes the bytes with QoS 1 to the topic, URL-encoded', async () => {
    const lb = await start(() => ({ status: 200, body: '{}' }));
    const publisher = new IotPublisher(new IoTDataPlaneClient({ ...TEST_CLIENT_CONFIG, requestHandler: lb.requestHandler }));
    await publisher.publish('smartmeter/meter-1/prediction', new TextEncoder().encode('{"prediction":["c2"]}'));
    expect(lb.requests.map((r) => [r.method, r.path, r.body.toString('utf8')])).toEqual([
      ['POST', '/topics/smartmeter%2Fmeter-1%2Fprediction?qos=1', '{"prediction":["c2"]}'],
    ]);
    expect(lb.requests[0].host).toBe('data-ats.iot.us-east-1.amazonaws.com');
    expect(lb.requests[0].headers.authorization).toMatch(/\/us-east-1\/iotdata\/aws4_request/);
  });

  it('retries a throttled publish', async () => {
    let n = 0;
    const lb = await start(() => (++n === 1 ? { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '{"message":"slow"}' } : { status: 200, body: '{}' }));
    const publisher = new IotPublisher(new IoTDataPlaneClient({ ...TEST_CLIENT_CONFIG, requestHandler: lb.requestHandler }));
    await publisher.publish('smartmeter/prediction', new Uint8Array([123, 125]));
    expect(lb.requests.length).toBe(2);
  });
});
