import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from '../infer/calibration.js';
import { loadPredictor } from '../infer/load-artifacts.js';
import type { Predictor } from '../infer/predictor.js';
import { answerReading } from '../lambdas/inference/answer.js';
import { datasetRows, parseSerialLog } from './serial-log.js';
import { parseTelemetry } from './telemetry.js';

const LOG = readFileSync(path.resolve(import.meta.dirname, '../../shared/reference/esp32_serial_log.txt'), 'utf8');
const START = { time: Date.UTC(2025, 5, 1, 9, 0, 0), offsetMinutes: 180 };

describe('parseSerialLog on the real meter log', () => {
  const result = parseSerialLog(LOG, START);

  it('understands every line and reports the blocks it could not use', () => {
    expect(result.counts).toEqual({ ina219: 151, ina3221: 225, heap: 2, blank: 76 });
    expect(result.unknown).toEqual([]);
    expect(result.skipped).toEqual([
      { line: 1, reason: 'INA219 block without line_voltage (ends before line 4)' },
      { line: 4, reason: 'INA3221 block before any complete INA219 reading' },
    ]);
    expect(result.heap).toEqual([
      { uptimeMs: 15315, bytes: 283416 },
      { uptimeMs: 30315, bytes: 283416 },
    ]);
  });

  it('makes one payload per INA3221 block, in meter units, stamped start + uptime', () => {
    expect(result.payloads).toHaveLength(24);
    expect(result.payloads[0]).toEqual({
      timestamp: '2025-06-01T12:00:01.965+03:00',
      feeder: { line_voltage: 12.01, shunt_voltage: 3.61, current: 36.1 },
      transformer1: { shunt_voltage: 1.32, current: 13.2 },
      transformer2: { shunt_voltage: 1.32, current: 13.2 },
      transformer3: { shunt_voltage: 1.32, current: 13.2 },
    });
    for (const p of result.payloads) expect(() => parseTelemetry(p)).not.toThrow();
  });

  it('writes dataset rows through the calibration', () => {
    expect(datasetRows(result.payloads.slice(6, 8), DEFAULT_CALIBRATION, 'normal')).toEqual(['12.01,normal,1.28,1.2,1.2,3.31', '12.01,normal,1.24,1.2,1.2,3.28']);
  });

  it('counts and lists lines it does not understand', () => {
    const r = parseSerialLog(`I (5) INA219: Bus Voltage: 12.01 V\nGuru Meditation Error: Core 0 panic'ed\nI (6) INA219: Temperature: 40 C\n`, START);
    expect(r.unknown).toEqual([
      { line: 2, text: "Guru Meditation Error: Core 0 panic'ed" },
      { line: 3, text: 'I (6) INA219: Temperature: 40 C' },
    ]);
  });
});

describe('the default calibration against the log (why 1 dataset unit = 10 mA)', () => {
  let predictor: Predictor;
  beforeAll(async () => {
    predictor = await loadPredictor(path.resolve(import.meta.dirname, '../models'));
  });

  it('puts the quiet stretch (uptime 11-17 s) in the normal JF band, and the model answers normal', () => {
    const quiet = parseSerialLog(LOG, START).payloads.slice(6, 11);
    const jf = quiet.map((p) => (p.transformer1.current + p.transformer2.current + p.transformer3.current) / p.feeder.current);
    for (const j of jf) expect(j).toBeGreaterThanOrEqual(1.1), expect(j).toBeLessThanOrEqual(1.15);
    expect(quiet.map((p) => answerReading(predictor, parseTelemetry(p)).prediction[0])).toEqual(['normal', 'normal', 'normal', 'normal', 'normal']);
  });
});
