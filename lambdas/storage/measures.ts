/**
 * What the cold path stores: single-measure records, one per (device, source, measure, time), so that
 * the seed's Grafana query `WHERE measure_name = 'line_voltage'` works unchanged on Timestream.
 */
export const READING_SOURCES = ['feeder', 'transformer1', 'transformer2', 'transformer3'] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];
/** Predictions are stored under their own source. */
export const PREDICTION_SOURCE = 'model';

export const MEASURES = {
  line_voltage: { unit: 'V', type: 'DOUBLE' },
  shunt_voltage: { unit: 'mV', type: 'DOUBLE' },
  current: { unit: 'mA', type: 'DOUBLE' },
  /** P = V x I with V in volts and I in milliamps, so milliwatts. */
  power: { unit: 'mW', type: 'DOUBLE' },
  /** Sum of the transformer currents over the feeder current (unit-free); stored on the feeder source. */
  joining_factor: { unit: '1', type: 'DOUBLE' },
  /** The predicted class name (normal, c1, c2, c3); stored on the model source. */
  prediction: { unit: 'class', type: 'VARCHAR' },
  /** 1 when the prediction names a theft, else 0; stored on the model source. */
  theft: { unit: '1', type: 'BIGINT' },
} as const;
export type MeasureName = keyof typeof MEASURES;
