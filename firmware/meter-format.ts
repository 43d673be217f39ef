import type { TelemetryPayload } from './payload.js';

/**
 * The payload text exactly as the firmware's snprintf writes it: line voltage and INA3221 shunt voltages
 * with 2 decimals (`%.2f`), the INA219 shunt voltage and every current with 3 (`%.3f`), keys in this order
 * (../shared/reference/README.md). JSON.stringify would write 3.61 where the meter writes 3.610.
 */
export function formatTelemetry(p: TelemetryPayload): string {
  const ch = (c: { shunt_voltage: number; current: number }) =>
    `{"shunt_voltage":${c.shunt_voltage.toFixed(2)},"current":${c.current.toFixed(3)}}`;
  return (
    `{"timestamp":"${p.timestamp}",` +
    `"feeder":{"line_voltage":${p.feeder.line_voltage.toFixed(2)},"shunt_voltage":${p.feeder.shunt_voltage.toFixed(3)},"current":${p.feeder.current.toFixed(3)}},` +
    `"transformer1":${ch(p.transformer1)},"transformer2":${ch(p.transformer2)},"transformer3":${ch(p.transformer3)}}`
  );
}
