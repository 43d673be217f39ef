import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { TimestreamSink } from '../storage/timestream-sink.js';
import { LoopbackAws, TEST_CLIENT_CONFIG, type Reply, type SeenRequest } from './loopback-aws.js';

export const DISCOVERED_HOST = 'ingest-cell7.timestream.us-east-1.amazonaws.com';

/** Target header of a Timestream request, e.g. `WriteRecords`. */
export function operation(r: SeenRequest): string {
  return String(r.headers['x-amz-target'] ?? '').replace('Timestream_20181101.', '');
}

export interface WrittenRecord {
  Dimensions: { Name: string; Value: string }[];
  MeasureName: string;
  MeasureValue: string;
  MeasureValueType: string;
  Time: string;
  TimeUnit: string;
}

export function writeBodies(lb: LoopbackAws): { DatabaseName: string; TableName: string; Records: WrittenRecord[] }[] {
  return lb.requests.filter((r) => operation(r) === 'WriteRecords').map((r) => JSON.parse(r.body.toString('utf8')));
}

/**
 * A loopback Timestream: DescribeEndpoints answers with a cell address (the SDK then sends WriteRecords
 * there), WriteRecords is answered by `onWrite` (default: all ingested).
 */
export async function timestreamLoopback(onWrite?: (r: SeenRequest, n: number) => Reply) {
  let writes = 0;
  const lb = await LoopbackAws.start((r) => {
    if (operation(r) === 'DescribeEndpoints') {
      return json(200, { Endpoints: [{ Address: DISCOVERED_HOST, CachePeriodInMinutes: 1440 }] });
    }
    writes += 1;
    if (onWrite) return onWrite(r, writes);
    const count = JSON.parse(r.body.toString('utf8')).Records.length;
    return json(200, { RecordsIngested: { Total: count, MemoryStore: count, MagneticStore: 0 } });
  });
  const client = new TimestreamWriteClient({ ...TEST_CLIENT_CONFIG, requestHandler: lb.requestHandler, maxAttempts: 4 });
  const sink = new TimestreamSink(client, { database: 'SmartMeterDB', table: 'SmartMeterReadings' });
  return { lb, client, sink };
}

export function json(status: number, body: unknown, type?: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', ...(type ? { 'x-amzn-errortype': type } : {}) },
    body: JSON.stringify(type ? { __type: type, ...(body as object) } : body),
  };
}
