import { ConfigError, envNumber, envOr, type Env } from '../shared/env.js';

export const SINK_KINDS = ['timestream', 'influxdb'] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

export interface StorageConfig {
  sink: SinkKind;
  database: string;
  table: string;
  /** Timestream memory-store retention, hours: older readings are refused before writing. */
  memoryStoreHours: number;
  /** Tolerated meter clock lead, seconds. */
  futureToleranceSeconds: number;
  /** Attempts per SDK call, the first included. */
  maxAttempts: number;
}

export function loadStorageConfig(env: Env): StorageConfig {
  const sink = envOr(env, 'SINK', 'timestream');
  if (!(SINK_KINDS as readonly string[]).includes(sink)) throw new ConfigError('SINK', `expected one of ${SINK_KINDS.join(', ')}, found ${JSON.stringify(sink)}`);
  return {
    sink: sink as SinkKind,
    database: envOr(env, 'TIMESTREAM_DATABASE', 'SmartMeterDB'),
    table: envOr(env, 'TIMESTREAM_TABLE', 'SmartMeterReadings'),
    memoryStoreHours: envNumber(env, 'MEMORY_STORE_RETENTION_HOURS', 24, 1),
    futureToleranceSeconds: envNumber(env, 'FUTURE_TOLERANCE_SECONDS', 300, 0),
    maxAttempts: envNumber(env, 'AWS_MAX_ATTEMPTS', 5, 1),
  };
}
