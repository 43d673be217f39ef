import type { MeterReading } from '../../firmware/payload.js';
import type { ParsedPrediction } from '../../firmware/prediction.js';
import { PREDICTION_SOURCE } from './measures.js';
import type { MeasureRecord } from './reading-sink.js';

/**
 * The records of one reading (14): the feeder's line_voltage, shunt_voltage, current, power and joining
 * factor, and each transformer's shunt_voltage, current and power. Line voltage is stored once, on the
 * feeder, where it is measured; the transformers share it, so their power is feeder.line_voltage x current.
 * Power: V x mA = mW. Joining factor: (sum of transformer currents) / feeder current, as the dataset
 * defines it (feeder = channel sum / JF); omitted when the feeder current is 0.
 */
export function readingRecords(r: MeterReading): MeasureRecord[] {
  const { device, time } = r;
  const v = r.feeder.line_voltage;
  const rec = (source: string, measure: MeasureRecord['measure'], value: number): MeasureRecord => ({ device, source, measure, value, time });
  const out: MeasureRecord[] = [
    rec('feeder', 'line_voltage', v),
    rec('feeder', 'shunt_voltage', r.feeder.shunt_voltage),
    rec('feeder', 'current', r.feeder.current),
    rec('feeder', 'power', power(v, r.feeder.current)),
  ];
  const channelSum = r.transformer1.current + r.transformer2.current + r.transformer3.current;
  if (r.feeder.current > 0) out.push(rec('feeder', 'joining_factor', channelSum / r.feeder.current));
  for (const source of ['transformer1', 'transformer2', 'transformer3'] as const) {
    const c = r[source];
    out.push(rec(source, 'shunt_voltage', c.shunt_voltage), rec(source, 'current', c.current), rec(source, 'power', power(v, c.current)));
  }
  return out;
}

/** P = V x I in mW, rounded to 1 uW: the same reading always gives the same stored value, so redelivery is idempotent. */
export function power(volts: number, milliamps: number): number {
  return Math.round(volts * milliamps * 1000) / 1000;
}

/** A prediction is stored under source `model`: the class name and a 0/1 theft flag, at the reading's instant. */
export function predictionRecords(p: ParsedPrediction): MeasureRecord[] {
  return [
    { device: p.device, source: PREDICTION_SOURCE, measure: 'prediction', value: p.label, time: p.time },
    { device: p.device, source: PREDICTION_SOURCE, measure: 'theft', value: p.label === 'normal' ? 0 : 1, time: p.time },
  ];
}
