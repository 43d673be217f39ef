import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from './config.js';

describe('resolveConfig', () => {
  it('defaults to the seed setup', () => {
    expect(resolveConfig({})).toEqual({
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
    });
    expect(resolveConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads -c strings and cdk.json numbers alike', () => {
    expect(resolveConfig({ memoryRetentionHours: '48', magneticRetentionDays: 30, voltageThreshold: '11.5', region: 'eu-west-1' })).toMatchObject({
      memoryRetentionHours: 48,
      magneticRetentionDays: 30,
      voltageThreshold: 11.5,
      region: 'eu-west-1',
    });
  });

  it('reads the InfluxDB 1.x and 2.x targets', () => {
    expect(resolveConfig({ sink: 'influxdb', influxUrl: 'http://10.0.0.5:8086', influxDatabase: 'gridsentry' }).influx).toEqual({
      url: 'http://10.0.0.5:8086',
      database: 'gridsentry',
      org: undefined,
      bucket: undefined,
      tokenSecret: undefined,
    });
    expect(
      resolveConfig({ sink: 'influxdb', influxUrl: 'https://x.example', influxOrg: 'o', influxBucket: 'b', influxTokenSecret: 's' }).influx,
    ).toEqual({ url: 'https://x.example', org: 'o', bucket: 'b', database: undefined, tokenSecret: 's' });
  });

  it.each([
    [{ tableNmae: 'x' }, 'tableNmae'],
    [{ memoryRetentionHours: '12' }, 'memoryRetentionHours'],
    [{ memoryRetentionHours: '24.5' }, 'memoryRetentionHours'],
    [{ memoryRetentionHours: '' }, 'memoryRetentionHours'],
    [{ magneticRetentionDays: '0' }, 'magneticRetentionDays'],
    [{ magneticRetentionDays: 73001 }, 'magneticRetentionDays'],
    [{ voltageThreshold: '-1' }, 'voltageThreshold'],
    [{ voltageThreshold: 'NaN' }, 'voltageThreshold'],
    [{ voltageThreshold: 'Infinity' }, 'voltageThreshold'],
    [{ topicLayout: 'per_device' }, 'topicLayout'],
    [{ sink: 'sqlite' }, 'sink'],
    [{ databaseName: 'db' }, 'databaseName'],
    [{ tableName: 'has space' }, 'tableName'],
    [{ routerFunctionName: 'router.lambda' }, 'routerFunctionName'],
    [{ region: 'US-EAST-1' }, 'region'],
    [{ stackName: '1stack' }, 'stackName'],
    [{ sink: 'influxdb' }, 'influxUrl'],
    [{ sink: 'influxdb', influxUrl: 'influx:8086', influxDatabase: 'd' }, 'influxUrl'],
    [{ sink: 'influxdb', influxUrl: 'http://h:8086' }, 'influxBucket'],
    [{ sink: 'influxdb', influxUrl: 'http://h:8086', influxOrg: 'o' }, 'influxBucket'],
    [{ sink: 'influxdb', influxUrl: 'http://h:8086', influxOrg: 'o', influxBucket: 'b', influxDatabase: 'd' }, 'influxDatabase'],
    [{ influxUrl: 'http://h:8086' }, 'influxUrl'],
    [{ alarmEmail: 'ops' }, 'alarmEmail'],
  ])('refuses %j naming %s', (raw, key) => {
    let error: unknown;
    try {
      resolveConfig(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
  });
});
