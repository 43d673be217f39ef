import type { Calibration } from '../infer/artifact.js';
import { DEFAULT_CALIBRATION } from '../infer/calibration.js';
import type { ChannelReading, FeederReading, TelemetryPayload } from './payload.js';

/** What the simulated meter sees: normal load, or a tap on one channel. */
export type Scenario = { kind: 'normal' } | { kind: 'theft'; channel: 'c1' | 'c2' | 'c3'; mode: 'blatant' | 'stealth' };

/**
 * The grid physics of the original dataset generator (../shared/reference/GENERATOR.md), in dataset
 * units at 10 V, scaled by line_voltage / 10: normal channel ranges, the theft maximum, and the joining
 * factor (feeder = channel sum / JF) for each mode.
 */
const NORMAL = { c1: [1.0, 1.04], c2: [0.96, 1.04], c3: [0.96, 1.08] } as const;
const THEFT_MAX = { c1: 1.32, c2: 1.36, c3: 1.32 } as const;
const JF = { normal: [1.1, 1.14], blatant: [1.04, 1.08], stealth: [1.07, 1.1] } as const;

/** Shunt resistance on every channel, ohm (serial log: 1.32 mV with 13.20 mA). */
export const SHUNT_OHMS = 0.1;
/** Register steps: INA3221 shunt LSB 40 uV, INA219 shunt LSB 10 uV, INA219 bus LSB 4 mV. */
const INA3221_SHUNT_LSB_MV = 0.04;
const INA219_SHUNT_LSB_MV = 0.01;
const INA219_BUS_LSB_V = 0.004;

/** Seeded uniform [0, 1) generator (mulberry32): reproducible simulations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One reading of the scenario at `lineVoltage` volts, in meter units (V, mV, mA) quantized to the sensors'
 * register steps. Dataset values become milliamps through the inverse of the calibration, so a simulated
 * theft lands where the model learned theft.
 */
export function simulateReading(
  random: () => number,
  scenario: Scenario,
  lineVoltage: number,
  calibration: Calibration = DEFAULT_CALIBRATION,
): Omit<TelemetryPayload, 'timestamp'> {
  const k = lineVoltage / 10;
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
  const units = (['c1', 'c2', 'c3'] as const).map((c) => {
    const lo = NORMAL[c][0] * k;
    const hi = NORMAL[c][1] * k;
    if (scenario.kind === 'theft' && scenario.channel === c) {
      const max = THEFT_MAX[c] * k;
      return scenario.mode === 'blatant' ? uniform(hi + 0.01, max) : uniform(hi + 0.005, max * 0.95);
    }
    return uniform(lo, hi);
  });
  const [jfLo, jfHi] = JF[scenario.kind === 'normal' ? 'normal' : scenario.mode];
  const feederUnits = (units[0] + units[1] + units[2]) / uniform(jfLo, jfHi);
  const toMilliamps = (feature: string, value: number) => {
    const e = calibration.entries.find((x) => x.feature === feature);
    if (!e) throw new Error(`calibration has no entry for ${feature}`);
    return (value - e.offset) / e.scale;
  };
  const channel = (feature: string, value: number): ChannelReading => {
    const shunt = quantize(toMilliamps(feature, value) * SHUNT_OHMS, INA3221_SHUNT_LSB_MV);
    return { shunt_voltage: shunt, current: round3(shunt / SHUNT_OHMS) };
  };
  const feederShunt = quantize(toMilliamps('feeder', feederUnits) * SHUNT_OHMS, INA219_SHUNT_LSB_MV);
  const feeder: FeederReading = {
    line_voltage: quantize(lineVoltage, INA219_BUS_LSB_V),
    shunt_voltage: feederShunt,
    current: round3(feederShunt / SHUNT_OHMS),
  };
  return { feeder, transformer1: channel('c1', units[0]), transformer2: channel('c2', units[1]), transformer3: channel('c3', units[2]) };
}

function quantize(value: number, step: number): number {
  return round3(Math.round(value / step) * step);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The normal reading most field cases start from (../shared/cases/README.md). */
export function baselinePayload(): TelemetryPayload {
  return {
    timestamp: '2025-06-01T12:00:00+03:00',
    feeder: { line_voltage: 12.01, shunt_voltage: 3.61, current: 36.1 },
    transformer1: { shunt_voltage: 1.32, current: 13.2 },
    transformer2: { shunt_voltage: 1.05, current: 10.5 },
    transformer3: { shunt_voltage: 1.24, current: 12.4 },
  };
}
