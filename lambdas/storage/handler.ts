import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { loadStorageConfig } from './config.js';
import { InfluxSink } from './influx-sink.js';
import type { ReadingSink } from './reading-sink.js';
import { storeMessage, type StoreResult } from './store.js';
import { TimestreamSink } from './timestream-sink.js';

// Cold start: configuration is read and checked once.
const config = loadStorageConfig(process.env);
const sink: ReadingSink =
  config.sink === 'timestream'
    ? new TimestreamSink(new TimestreamWriteClient({ maxAttempts: config.maxAttempts }), { database: config.database, table: config.table })
    : InfluxSink.fromEnv(process.env);
const deps = {
  sink,
  window: { maxAgeMs: config.memoryStoreHours * 3_600_000, maxFutureMs: config.futureToleranceSeconds * 1000 },
  now: Date.now,
};

/** IoT rules deliver readings from `smartmeter/data` and prediction messages from the prediction topic(s). */
export const handler = async (event: unknown): Promise<StoreResult> => {
  const result = await storeMessage(event, deps);
  if (result.statusCode === 400) console.warn(JSON.stringify({ level: 'warn', msg: 'rejected message', ...result.error }));
  return result;
};
