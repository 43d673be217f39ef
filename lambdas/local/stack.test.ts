import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTelemetry } from '../../firmware/meter-format.js';
import type { TelemetryPayload } from '../../firmware/payload.js';
import { parseSerialLog } from '../../firmware/serial-log.js';
import { runSimulation } from '../../firmware/simulator.js';
import { DEFAULT_MODEL_DIR } from '../testing/model-dir.js';
import { startLocalStack, type LocalStack } from './stack.js';

let dir: string;
let stack: LocalStack;
const start = () => startLocalStack({ mqttPort: 0, httpPort: 0, dbFile: path.join(dir, 'stack.sqlite'), modelDir: DEFAULT_MODEL_DIR });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gs-stack-'));
  stack = await start();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

type Row = { device_id: string; source: string; measure_name: string; time: number; d: number | null; b: number | null; v: string | null };
const rows = (s: LocalStack, device: string): Row[] =>
  s.sink.db
    .prepare(
      `SELECT device_id, source, measure_name, time, measure_value_double AS d, measure_value_bigint AS b, measure_value_varchar AS v
       FROM readings WHERE device_id = ? ORDER BY time, source, measure_name`,
    )
    .all(device) as Row[];

describe('local stack over real MQTT on loopback', () => {
  it('answers a c2 theft with c2 on the prediction topic and stores the readings with P = V x I', async () => {
    const sent: TelemetryPayload[] = [];
    const report = await runSimulation({
      url: stack.mqttUrl,
      devices: 1,
      rate: 20,
      count: 5,
      clientPrefix: 'theft-meter-',
      scenarios: [{ kind: 'theft', channel: 'c2', mode: 'blatant' }],
      onPublish: (_d, p) => sent.push(p),
    });
    expect(report).toMatchObject({ sent: 5, answered: 5, unanswered: 0, labels: { c2: 5 } });
    await stack.idle();
    const stored = rows(stack, 'theft-meter-0001');
    const times = [...new Set(stored.map((r) => r.time))];
    expect(times).toHaveLength(5);
    const power = (source: string) => stored.filter((r) => r.source === source && r.measure_name === 'power').map((r) => r.d);
    const V = sent.map((p) => p.feeder.line_voltage);
    expect(power('feeder')).toEqual(sent.map((p, i) => Math.round(V[i] * p.feeder.current * 1000) / 1000));
    expect(power('transformer2')).toEqual(sent.map((p, i) => Math.round(V[i] * p.transformer2.current * 1000) / 1000));
    expect(stored.filter((r) => r.source === 'model' && r.measure_name === 'prediction').map((r) => r.v)).toEqual(['c2', 'c2', 'c2', 'c2', 'c2']);
    expect(stored.filter((r) => r.source === 'model' && r.measure_name === 'theft').map((r) => r.b)).toEqual([1, 1, 1, 1, 1]);
    // 14 reading records + 2 prediction records per message.
    expect(stored).toHaveLength(5 * 16);
  });

  it('answers every message of a serial-log replay, whose payloads carry their own timestamps', async () => {
    const log = readFileSync(path.resolve(import.meta.dirname, '../../../shared/reference/esp32_serial_log.txt'), 'utf8');
    const replay = parseSerialLog(log, { time: Date.UTC(2025, 5, 1, 9), offsetMinutes: 180 }).payloads;
    expect(replay.length).toBeGreaterThan(20);
    const report = await runSimulation({ url: stack.mqttUrl, devices: 1, rate: 50, count: replay.length, clientPrefix: 'replay-meter-', replay });
    expect(report).toMatchObject({ sent: replay.length, answered: replay.length, unanswered: 0 });
  });

  it('never files a prediction that a meter sends on the telemetry topic', async () => {
    const meter = await mqtt.connectAsync(stack.mqttUrl, { clientId: 'forging-meter' });
    await meter.publishAsync('smartmeter/data', JSON.stringify({ prediction: ['normal'], timestamp: new Date().toISOString() }), { qos: 1 });
    await meter.endAsync();
    await stack.idle();
    expect(rows(stack, 'forging-meter')).toEqual([]);
  });

  it('answers on per-device topics when told to, and a redelivered message adds no rows', async () => {
    const perDevice = await startLocalStack({
      mqttPort: 0,
      httpPort: 0,
      dbFile: path.join(dir, 'per-device.sqlite'),
      modelDir: DEFAULT_MODEL_DIR,
      predictionTopic: 'smartmeter/{device}/prediction',
    });
    try {
      const payloads: TelemetryPayload[] = [];
      const report = await runSimulation({
        url: perDevice.mqttUrl,
        devices: 3,
        rate: 30,
        count: 6,
        warmup: 2,
        predictionTopic: 'smartmeter/{device}/prediction',
        onPublish: (_d, p) => payloads.push(p),
      });
      expect(report).toMatchObject({ sent: 6, answered: 6, unanswered: 0 });
      expect([report.warmupLatenciesMs.length, report.latenciesMs.length, report.sendLagMs.length]).toEqual([2, 4, 4]);
      await perDevice.idle();
      const before = rows(perDevice, 'sim-meter-0001');
      const again = await mqtt.connectAsync(perDevice.mqttUrl, { clientId: 'sim-meter-0001' });
      await again.publishAsync('smartmeter/data', formatTelemetry(payloads[0]), { qos: 1 });
      await again.endAsync();
      await new Promise((r) => setTimeout(r, 200));
      await perDevice.idle();
      expect(rows(perDevice, 'sim-meter-0001')).toEqual(before);
    } finally {
      await perDevice.close();
    }
  });

  it('refuses a NaN payload: no prediction, nothing stored', async () => {
    const client = await mqtt.connectAsync(stack.mqttUrl, { clientId: 'nan-meter' });
    const answers: string[] = [];
    await client.subscribeAsync('smartmeter/prediction', { qos: 1 });
    client.on('message', (_t, p) => answers.push(p.toString()));
    const rejectedBefore = stack.counters.rejected;
    await client.publishAsync('smartmeter/data', formatTelemetry({ timestamp: new Date().toISOString(), feeder: { line_voltage: 12, shunt_voltage: 3.6, current: 36 }, transformer1: { shunt_voltage: 1.2, current: 12 }, transformer2: { shunt_voltage: 1.2, current: 12 }, transformer3: { shunt_voltage: 1.2, current: 12 } }).replace('"current":36.000', '"current":NaN'), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    await stack.idle();
    await client.endAsync();
    expect(stack.counters.rejected).toBe(rejectedBefore + 1);
    expect(answers.filter((a) => a.includes('nan-meter'))).toEqual([]);
    expect(rows(stack, 'nan-meter')).toEqual([]);
  });

  it('keeps the data across a restart and shows it on the dashboard API', async () => {
    const before = rows(stack, 'theft-meter-0001');
    await stack.close();
    stack = await start();
    expect(rows(stack, 'theft-meter-0001')).toEqual(before);
    const state = await (await fetch(new URL('/api/state', stack.dashboardUrl))).json();
    const meter = state.devices.find((d: { device: string }) => d.device === 'theft-meter-0001');
    expect(meter).toMatchObject({ prediction: 'c2', lineVoltage: expect.any(Number), joiningFactor: expect.any(Number) });
    expect(Object.keys(meter.power)).toEqual(['feeder', 'transformer1', 'transformer2', 'transformer3']);
    expect(state.alerts.filter((a: { device: string }) => a.device === 'theft-meter-0001').map((a: { label: string }) => a.label)).toEqual(['c2', 'c2', 'c2', 'c2', 'c2']);
  });
});
