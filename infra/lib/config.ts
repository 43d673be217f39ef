/**
 * Deployment parameters of the GridSentry stack. Defaults reproduce the seed's hand-built setup
 * (kaveke/gridsentry cloud/README.md): us-east-1, SmartMeterDB.SmartMeterReadings, the three function
 * names, one shared prediction topic. Every value can be overridden with `cdk ... -c key=value`.
 */
export const TOPIC_LAYOUTS = ['shared', 'per-device'] as const;
export type TopicLayout = (typeof TOPIC_LAYOUTS)[number];
export const SINKS = ['timestream', 'influxdb'] as const;
export type SinkKind = (typeof SINKS)[number];

/**
 * Where storage writes when `sink=influxdb`: a 2.x bucket (with its org, which InfluxDB 2/3 and Timestream
 * for InfluxDB require and 1.8 ignores) or a 1.x database, as lambdas/storage InfluxSink.fromEnv reads it.
 */
export interface InfluxTarget {
  url: string;
  org?: string;
  bucket?: string;
  database?: string;
  /** Name or ARN of a Secrets Manager secret holding the token; resolved by CloudFormation at deploy time. */
  tokenSecret?: string;
}

export interface GridSentryConfig {
  stackName: string;
  region: string;
  databaseName: string;
  tableName: string;
  routerFunctionName: string;
  storageFunctionName: string;
  inferenceFunctionName: string;
  /** Timestream memory store retention; records older than this are rejected on write. */
  memoryRetentionHours: number;
  magneticRetentionDays: number;
  /** Grafana alert: feeder line voltage below this, in volts (200 for mains as in the seed; ~12 for the lab meter). */
  voltageThreshold: number;
  topicLayout: TopicLayout;
  sink: SinkKind;
  influx?: InfluxTarget;
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail?: string;
}

export const DEFAULT_CONFIG: GridSentryConfig = {
  stackName: 'GridSentry',
  region: 'us-east-1',
  databaseName: 'SmartMeterDB',
  tableName: 'SmartMeterReadings',
  routerFunctionName: 'router_lambda',
  storageFunctionName: 'smartmeter-to-timestream',
  inferenceFunctionName: 'PowerTheftDetector_model',
  memoryRetentionHours: 24,
  magneticRetentionDays: 365,
  voltageThreshold: 200,
  topicLayout: 'shared',
  sink: 'timestream',
};

/** Context keys understood by `resolveConfig`, so that a misspelt `-c` key fails instead of being ignored. */
export const CONFIG_KEYS = [
  'stackName',
  'region',
  'databaseName',
  'tableName',
  'routerFunctionName',
  'storageFunctionName',
  'inferenceFunctionName',
  'memoryRetentionHours',
  'magneticRetentionDays',
  'voltageThreshold',
  'topicLayout',
  'sink',
  'influxUrl',
  'influxOrg',
  'influxBucket',
  'influxDatabase',
  'influxTokenSecret',
  'alarmEmail',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

// Timestream database/table names; Lambda function names; CloudFormation stack names.
const TIMESTREAM_NAME = /^[a-zA-Z0-9_.-]{3,256}$/;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Timestream limits: memory store 1..8766 h, magnetic store 1..73000 days.
const MAX_MEMORY_HOURS = 8766;
const MAX_MAGNETIC_DAYS = 73000;
/** The seed asks for at least a day in the memory store so that a day of late or replayed readings is accepted. */
export const MIN_MEMORY_RETENTION_HOURS = 24;

/**
 * Builds the configuration from raw values (CDK context: strings from `-c`, JSON values from cdk.json).
 * Unknown keys, malformed names, out-of-range numbers and incomplete InfluxDB settings are refused with
 * the offending key named.
 */
export function resolveConfig(raw: Readonly<Record<string, unknown>>): GridSentryConfig {
  const known = new Set<string>(CONFIG_KEYS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw new ConfigError(key, `unknown parameter; expected one of ${CONFIG_KEYS.join(', ')}`);
  }
  const text = (key: ConfigKey, fallback: string, pattern: RegExp): string => {
    const value = raw[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new ConfigError(key, `expected a string matching ${pattern}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const integer = (key: ConfigKey, fallback: number, min: number, max: number): number => {
    const value = raw[key];
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(key, `expected an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
    return n;
  };
  const choice = <T extends string>(key: ConfigKey, fallback: T, options: readonly T[]): T => {
    const value = raw[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      throw new ConfigError(key, `expected one of ${options.join(' | ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
  const optional = (key: ConfigKey): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError(key, `expected a non-empty string, got ${JSON.stringify(value)}`);
    }
    return value;
  };

  const d = DEFAULT_CONFIG;
  const thresholdRaw = raw.voltageThreshold;
  let voltageThreshold = d.voltageThreshold;
  if (thresholdRaw !== undefined) {
    const n = typeof thresholdRaw === 'string' && thresholdRaw.trim() !== '' ? Number(thresholdRaw) : thresholdRaw;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      throw new ConfigError('voltageThreshold', `expected a positive number of volts, got ${JSON.stringify(thresholdRaw)}`);
    }
    voltageThreshold = n;
  }

  const sink = choice('sink', d.sink, SINKS);
  const influxKeys = ['influxUrl', 'influxOrg', 'influxBucket', 'influxDatabase', 'influxTokenSecret'] as const;
  let influx: InfluxTarget | undefined;
  if (sink === 'influxdb') {
    const url = optional('influxUrl');
    if (url === undefined) throw new ConfigError('influxUrl', 'required when sink=influxdb');
    if (!/^https?:\/\/[^\s/]+/.test(url)) throw new ConfigError('influxUrl', `expected an http(s) URL, got ${JSON.stringify(url)}`);
    const org = optional('influxOrg');
    const bucket = optional('influxBucket');
    const database = optional('influxDatabase');
    if (database !== undefined && (org !== undefined || bucket !== undefined)) {
      throw new ConfigError('influxDatabase', 'give either influxDatabase (1.x API) or influxBucket + influxOrg (2.x API), not both');
    }
    if (database === undefined && bucket === undefined) {
      throw new ConfigError('influxBucket', 'sink=influxdb needs influxBucket (+ influxOrg) for the 2.x API or influxDatabase for the 1.x API');
    }
    influx = { url, org, bucket, database, tokenSecret: optional('influxTokenSecret') };
  } else {
    for (const key of influxKeys) {
      if (raw[key] !== undefined) throw new ConfigError(key, 'only used with sink=influxdb');
    }
  }

  const alarmEmail = optional('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    throw new ConfigError('alarmEmail', `expected an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }

  return {
    stackName: text('stackName', d.stackName, STACK_NAME),
    region: text('region', d.region, REGION),
    databaseName: text('databaseName', d.databaseName, TIMESTREAM_NAME),
    tableName: text('tableName', d.tableName, TIMESTREAM_NAME),
    routerFunctionName: text('routerFunctionName', d.routerFunctionName, FUNCTION_NAME),
    storageFunctionName: text('storageFunctionName', d.storageFunctionName, FUNCTION_NAME),
    inferenceFunctionName: text('inferenceFunctionName', d.inferenceFunctionName, FUNCTION_NAME),
    memoryRetentionHours: integer('memoryRetentionHours', d.memoryRetentionHours, MIN_MEMORY_RETENTION_HOURS, MAX_MEMORY_HOURS),
    magneticRetentionDays: integer('magneticRetentionDays', d.magneticRetentionDays, 1, MAX_MAGNETIC_DAYS),
    voltageThreshold,
    topicLayout: choice('topicLayout', d.topicLayout, TOPIC_LAYOUTS),
    sink,
    ...(influx ? { influx } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
