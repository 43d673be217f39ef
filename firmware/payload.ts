/**
 * The meter's MQTT contract (topic `smartmeter/data` in, `smartmeter/prediction` out), as the ESP32
 * firmware sends it. Units are the meter's: volts, millivolts, milliamps.
 */

export const TELEMETRY_TOPIC = 'smartmeter/data';
export const PREDICTION_TOPIC = 'smartmeter/prediction';
/** Per-device prediction topic template: a meter may then be allowed to read only its own answers. */
export const DEVICE_PREDICTION_TOPIC = 'smartmeter/{device}/prediction';

export const CHANNELS = ['transformer1', 'transformer2', 'transformer3'] as const;
export type Channel = (typeof CHANNELS)[number];
export const SOURCES = ['feeder', ...CHANNELS] as const;
export type Source = (typeof SOURCES)[number];

/** INA219 on the feeder. */
export interface FeederReading {
  /** Bus voltage, V. */
  line_voltage: number;
  /** mV across the 0.1 ohm shunt. */
  shunt_voltage: number;
  /** mA. */
  current: number;
}

/** One INA3221 channel (a transformer). */
export interface ChannelReading {
  /** mV across the 0.1 ohm shunt. */
  shunt_voltage: number;
  /** mA. */
  current: number;
}

/** The JSON object the meter publishes. */
export interface TelemetryPayload {
  /** Local time with a numeric offset, e.g. `2025-06-01T12:00:00+03:00`. */
  timestamp: string;
  feeder: FeederReading;
  transformer1: ChannelReading;
  transformer2: ChannelReading;
  transformer3: ChannelReading;
}

/** A payload that passed the contract, with what the cloud adds: the device id and the instant it names. */
export interface MeterReading extends TelemetryPayload {
  /** From the IoT rule's `clientid() AS device_id`; UNKNOWN_DEVICE when the message has none. */
  device: string;
  /** The timestamp as milliseconds since the epoch (UTC). */
  time: number;
}

/** Device id used when a message reaches us without one (a console test invoke, an old rule). */
export const UNKNOWN_DEVICE = 'unknown';

/** Field the IoT rule adds (`SELECT *, clientid() AS device_id`). It is the only added field the contract reads. */
export const DEVICE_ID_FIELD = 'device_id';

/**
 * Device ids become Timestream dimension values and MQTT topic levels, so they are limited to characters
 * that are safe in both (no `/`, `+`, `#`). AWS IoT client ids allow up to 128 characters.
 */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * What the sensors can physically report. A value outside is a wrapped register or a broken wire,
 * never a theft (case R03a: an INA shunt reading of 655.31 mV is an unsigned wrap).
 *
 * - Shunt resistors are 0.1 ohm on every channel: the serial log reads 3.61 mV with 36.1 mA on the INA219
 *   and 1.32 mV with 13.20 mA on the INA3221 (../shared/reference/esp32_serial_log.txt).
 * - INA219: bus 0-26 V, shunt full scale +-320 mV (PGA /8), so 3200 mA through 0.1 ohm.
 * - INA3221: shunt full scale +-163.8 mV (40 uV LSB x 4095), so 1638 mA through 0.1 ohm.
 * - Negative values are refused: a meter that reads a reversed flow is miswired.
 */
export const SENSOR_LIMITS = {
  feeder: {
    line_voltage: { min: 0, max: 26, unit: 'V', sensor: 'INA219 bus' },
    shunt_voltage: { min: 0, max: 320, unit: 'mV', sensor: 'INA219 shunt' },
    current: { min: 0, max: 3200, unit: 'mA', sensor: 'INA219 (320 mV / 0.1 ohm)' },
  },
  channel: {
    shunt_voltage: { min: 0, max: 163.8, unit: 'mV', sensor: 'INA3221 shunt' },
    current: { min: 0, max: 1638, unit: 'mA', sensor: 'INA3221 (163.8 mV / 0.1 ohm)' },
  },
} as const;

/** Classes the model answers with; `c1`..`c3` name the transformer channel being stolen from. */
export const PREDICTION_LABELS = ['normal', 'c1', 'c2', 'c3'] as const;
export type PredictionLabel = (typeof PREDICTION_LABELS)[number];

/**
 * What the router publishes to the meter. The meter reads only `prediction` (a one-element array);
 * the other fields are for storage and people, and the meter ignores them.
 */
export interface PredictionMessage {
  prediction: [string];
  /** One-vs-one decision values in the model's pair order. */
  decision?: number[];
  /** Model id, e.g. `svc-0123456789ab`. */
  model?: string;
  /** Device the reading came from. */
  device?: string;
  /** The reading's timestamp, echoed so that storage files the prediction at the reading's instant. */
  timestamp?: string;
  /** Features outside the range the model was trained on: the label is an extrapolation. */
  outOfRange?: string[];
}
