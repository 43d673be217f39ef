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
 * Meter units to model features. The dataset's channel values scale with line_voltage / 10 and sit near 1.0
 * at 10 V, i.e. a channel load that draws 1.0 unit per 10 V; the meter's INA3221 channels read 12-17 mA at
 * about 12 V (../shared/reference/esp32_serial_log.txt), i.e. about 1 mA per volt. Equating the two gives
 * 1 unit = 10 mA: 12 mA at 12 V maps to 1.2, exactly where the dataset puts a normal channel at 12 V.
 * The feeder current uses the same unit, so the joining factor (channel sum / feeder) is unit-free.
 */
export const DEFAULT_CALIBRATION: Calibration = {
  description:
    'Dataset current unit = 10 mA: the dataset puts a normal channel at line_voltage/10 units, the meter reads about 1 mA per volt per channel; line voltage is used as read (V).',
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
