import type { Calibration, FeatureSpec } from './artifact.js';
import { InputError } from './errors.js';

/** The model's features, in order, with the units of the dataset the original notebook trained on. */
export const DEFAULT_FEATURES: FeatureSpec[] = [
  { name: 'line_voltage', unit: 'V' },
  { name: 'c1', unit: 'dataset current unit (10 mA)' },
  { name: 'c2', unit: 'dataset current unit (10 mA)' },
  { name: 'c3', unit: 'dataset current unit (10 mA)' },
  { name: 'feeder', unit: 'dataset current unit (10 mA)' },
];

/**
 * Meter units to model features: channel and feeder currents x 0.1 (1 dataset unit = 10 mA), line voltage as read.
 *
 * How it was chosen, from ../shared/reference (checked by firmware/serial-log.test.ts):
 * 1. Every shunt is 0.1 ohm: the serial log prints 3.61 mV with 0.036100 A on the INA219 and 1.32 mV with
 *    13.20 mA on the INA3221. So 10 mA is 1 mV across the shunt: the dataset's channel value is the shunt
 *    voltage in millivolts, the quantity an INA sensor measures.
 * 2. The dataset scales every channel with line_voltage / 10 and puts a normal one at 0.96-1.08 units at 10 V,
 *    1.15-1.30 at 12 V. The log's quiet stretch (uptime 11-17 s: 12.0-12.8 mA per channel at 12.01 V,
 *    feeder 32.8-33.1 mA) maps to 1.20-1.28 with a joining factor of 1.11: inside the normal ranges and
 *    the normal JF band (1.10-1.14), and the model answers `normal` there.
 * 3. The feeder uses the same unit, so the joining factor (channel sum / feeder) is unit-free, as in the dataset.
 * The line voltage needs no scale: the INA219 reads 12.00-12.01 V, at the top of the dataset's 8-12 V
 * (12.01 V is just above the largest training value, which the predictor reports as out of range).
 * Limits: the INA3221 reads in 0.4 mA steps, i.e. 0.04 units, about the width of a normal channel range,
 * so a reading at the edge of a range can flip between normal and a stealth theft.
 */
export const DEFAULT_CALIBRATION: Calibration = {
  description:
    'Currents x 0.1 (1 dataset unit = 10 mA = 1 mV across the meter\'s 0.1 ohm shunts); line voltage as read (V). ' +
    'The serial log\'s quiet stretch (12.0-12.8 mA per channel at 12.01 V, joining factor 1.11) then falls inside the dataset\'s normal ranges.',
  entries: [
    { feature: 'line_voltage', source: 'feeder.line_voltage', sourceUnit: 'V', scale: 1, offset: 0 },
    { feature: 'c1', source: 'transformer1.current', sourceUnit: 'mA', scale: 0.1, offset: 0 },
    { feature: 'c2', source: 'transformer2.current', sourceUnit: 'mA', scale: 0.1, offset: 0 },
    { feature: 'c3', source: 'transformer3.current', sourceUnit: 'mA', scale: 0.1, offset: 0 },
    { feature: 'feeder', source: 'feeder.current', sourceUnit: 'mA', scale: 0.1, offset: 0 },
  ],
};

/** Maps a meter reading (already validated against the payload contract) to the model's feature row. */
export function applyCalibration(calibration: Calibration, reading: unknown): Float64Array {
  const out = new Float64Array(calibration.entries.length);
  calibration.entries.forEach((e, i) => {
    let v: unknown = reading;
    for (const key of e.source.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(`calibration source ${e.source} must be a finite number, found ${v === undefined ? 'nothing' : String(v)}`, { field: e.source });
    }
    out[i] = v * e.scale + e.offset;
  });
  return out;
}
