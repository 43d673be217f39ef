import { afterEach, describe, expect, it } from 'vitest';
import type { LoopbackAws } from '../testing/loopback-aws.js';
import { DISCOVERED_HOST, json, operation, timestreamLoopback, writeBodies } from '../testing/timestream-loopback.js';
import { SinkError } from './errors.js';
import type { MeasureRecord } from './reading-sink.js';

const servers: LoopbackAws[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function loopback(onWrite?: Parameters<typeof timestreamLoopback>[0]) {
  const ts = await timestreamLoopback(onWrite);
  servers.push(ts.lb);
  return ts;
}

const records = (n: number): MeasureRecord[] =>
  Array.from({ length: n }, (_, i) => ({ device: 'meter-1', source: 'feeder', measure: 'current', value: 36.1, time: 1748768400000 + i }));

describe('TimestreamSink with the real SDK client', () => {
  it('discovers the endpoint, then writes typed single-measure records to the cell it was given', async () => {
    const { lb, sink } = await loopback();
    await sink.write([
      { device: 'meter-1', source: 'feeder', measure: 'line_voltage', value: 12.01, time: 1748768400000 },
      { device: 'meter-1', source: 'model', measure: 'prediction', value: 'c2', time: 1748768400000 },
      { device: 'meter-1', source: 'model', measure: 'theft', value: 1, time: 1748768400000 },
    ]);
    expect(lb.requests.map((r) => [operation(r), r.host, r.method, r.path])).toEqual([
      ['DescribeEndpoints', 'ingest.timestream.us-east-1.amazonaws.com', 'POST', '/'],
      ['WriteRecords', DISCOVERED_HOST, 'POST', '/'],
    ]);
    expect(lb.requests[1].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/us-east-1\/timestream\/aws4_request/);
    const dims = [
      { Name: 'device_id', Value: 'meter-1' },
      { Name: 'source', Value: 'feeder' },
    ];
    const modelDims = [dims[0], { Name: 'source', Value: 'model' }];
    expect(writeBodies(lb)).toEqual([
      {
        DatabaseName: 'SmartMeterDB',
        TableName: 'SmartMeterReadings',
        Records: [
          { Dimensions: dims, MeasureName: 'line_voltage', MeasureValue: '12.01', MeasureValueType: 'DOUBLE', Time: '1748768400000', TimeUnit: 'MILLISECONDS' },
          { Dimensions: modelDims, MeasureName: 'prediction', MeasureValue: 'c2', MeasureValueType: 'VARCHAR', Time: '1748768400000', TimeUnit: 'MILLISECONDS' },
          { Dimensions: modelDims, MeasureName: 'theft', MeasureValue: '1', MeasureValueType: 'BIGINT', Time: '1748768400000', TimeUnit: 'MILLISECONDS' },
        ],
      },
    ]);
  });

  it('sends at most 100 records per call', async () => {
    const { lb, sink } = await loopback();
    await sink.write(records(250));
    expect(writeBodies(lb).map((b) => b.Records.length)).toEqual([100, 100, 50]);
    expect(writeBodies(lb).flatMap((b) => b.Records.map((r) => Number(r.Time) - 1748768400000))).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it.each([
    ['throttling', 400, 'ThrottlingException'],
    ['an internal error', 500, 'InternalServerException'],
  ])('retries %s with backoff and then succeeds', async (_name, status, type) => {
    const { lb, sink } = await loopback((_r, n) => (n < 3 ? json(status, { message: 'slow down' }, type) : json(200, { RecordsIngested: { Total: 1 } })));
    await sink.write(records(1));
    expect(lb.requests.map(operation)).toEqual(['DescribeEndpoints', 'WriteRecords', 'WriteRecords', 'WriteRecords']);
  });

  it('fails with a SinkError once the retries are used up', async () => {
    const { lb, sink } = await loopback(() => json(400, { message: 'slow down' }, 'ThrottlingException'));
    await expect(sink.write(records(1))).rejects.toThrow(/timestream: WriteRecords failed after retries: ThrottlingException/);
    expect(lb.requests.map(operation)).toEqual(['DescribeEndpoints', 'WriteRecords', 'WriteRecords', 'WriteRecords', 'WriteRecords']);
  });

  it('reports each rejected record with its reason, writes the other chunks, and fails', async () => {
    const { lb, sink } = await loopback((r, n) =>
      n === 1
        ? json(
            419,
            {
              message: 'One or more records have been rejected.',
              RejectedRecords: [
                { RecordIndex: 3, Reason: 'The record timestamp is outside the time range of the data ingestion window.' },
                { RecordIndex: 42, Reason: 'A record with the same dimensions, timestamp and measure name exists with a higher version.', ExistingVersion: 2 },
              ],
            },
            'RejectedRecordsException',
          )
        : json(200, { RecordsIngested: { Total: JSON.parse(r.body.toString()).Records.length } }),
    );
    const all = records(150);
    const err = await sink.write(all).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).rejected).toEqual([
      { record: all[3], reason: 'The record timestamp is outside the time range of the data ingestion window.' },
      { record: all[42], reason: 'A record with the same dimensions, timestamp and measure name exists with a higher version.' },
    ]);
    expect((err as SinkError).message).toMatch(/^timestream: 2 of 150 records rejected \(meter-1\/feeder\/current@1748768400003: The record timestamp/);
    // Not retried (a rejection is not transient); the second chunk is still written.
    expect(writeBodies(lb).map((b) => b.Records.length)).toEqual([100, 50]);
  });
});
