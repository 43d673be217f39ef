import type { Calibration } from '../infer/artifact.js';
import { applyCalibration } from '../infer/calibration.js';
import { PayloadError } from './errors.js';
import type { ChannelReading, FeederReading, TelemetryPayload } from './payload.js';
import { parseTelemetry } from './telemetry.js';
import { formatMeterTimestamp } from './timestamp.js';

/**
 * The meter's ESP-IDF console output (../shared/reference/esp32_serial_log.txt), e.g.
 *   I (1415) INA219: Bus Voltage: 12.01 V
 *   I (1945) INA3221: C2: Shunt Current: 13.20 mA
 *   I (15315) SYSTEM_MONITOR: Free heap: 283416 bytes
 * `(1415)` is milliseconds since boot. The INA219 block (bus, shunt, current in A, power in W) is the
 * feeder; the INA3221 block (bus, shunt, current per channel C1..C3) the transformers.
 */
/** Uptime: esp_log_timestamp() is a 32-bit millisecond count, 10 digits at most; a longer one is not a log line (and no date). */
const LINE = /^([EWIDV]) \((\d{1,10})\) ([A-Z0-9_]+): (.*)$/;
const INA219 = /^(Bus Voltage|Shunt Voltage|Current|Power): (-?\d+(?:\.\d+)?) (V|mV|A|W)$/;
const INA3221 = /^C([123]): (Bus Voltage|Shunt Voltage|Shunt Current): (-?\d+(?:\.\d+)?) (V|mV|mA)$/;
const HEAP = /^Free heap: (\d+) bytes$/;

export interface SerialLine {
  line: number;
  text: string;
}

export interface SerialImport {
  /** One payload per complete INA3221 block, with the latest complete INA219 block before it. */
  payloads: TelemetryPayload[];
  /** Understood lines, by kind. */
  counts: { ina219: number; ina3221: number; heap: number; blank: number };
  /** Lines that match no known form: counted and listed, never dropped silently. */
  unknown: SerialLine[];
  /** Sensor blocks that could not become a payload (e.g. the log starts mid-block), with why. */
  skipped: { line: number; reason: string }[];
  /** Free-heap samples (bytes) from the system monitor. */
  heap: { uptimeMs: number; bytes: number }[];
}

/**
 * Parses a serial log into payloads in meter units. The log has no wall clock, so a payload's timestamp is
 * `start` plus the uptime of the block's last line, at the meter's UTC offset.
 */
export function parseSerialLog(text: string, start: { time: number; offsetMinutes: number }): SerialImport {
  const out: SerialImport = { payloads: [], counts: { ina219: 0, ina3221: 0, heap: 0, blank: 0 }, unknown: [], skipped: [], heap: [] };
  let feeder: Partial<FeederReading> & { line?: number } = {};
  let lastFeeder: FeederReading | null = null;
  let channels: Partial<Record<1 | 2 | 3, Partial<ChannelReading>>> = {};
  let channelStart = 0;

  const closeFeeder = (line: number) => {
    if (feeder.line === undefined) return;
    if (feeder.line_voltage !== undefined && feeder.shunt_voltage !== undefined && feeder.current !== undefined) {
      lastFeeder = { line_voltage: feeder.line_voltage, shunt_voltage: feeder.shunt_voltage, current: feeder.current };
    } else {
      const missing = (['line_voltage', 'shunt_voltage', 'current'] as const).filter((k) => feeder[k] === undefined);
      out.skipped.push({ line: feeder.line, reason: `INA219 block without ${missing.join(', ')} (ends before line ${line})` });
    }
    feeder = {};
  };

  text.split(/\r?\n/).forEach((raw, i) => {
    const n = i + 1;
    const t = raw.trim();
    if (t === '') {
      out.counts.blank += 1;
      return;
    }
    const m = LINE.exec(t);
    const body = m?.[4] ?? '';
    const uptime = Number(m?.[2]);
    const a = m?.[3] === 'INA219' ? INA219.exec(body) : null;
    const b = m?.[3] === 'INA3221' ? INA3221.exec(body) : null;
    const h = m?.[3] === 'SYSTEM_MONITOR' ? HEAP.exec(body) : null;
    if (a) {
      out.counts.ina219 += 1;
      // A bus-voltage line opens a block; a field seen twice means the previous block ended.
      const names: Record<string, 'line_voltage' | 'shunt_voltage' | 'current' | 'power'> = {
        'Bus Voltage': 'line_voltage',
        'Shunt Voltage': 'shunt_voltage',
        Current: 'current',
        Power: 'power',
      };
      const key = names[a[1]];
      if (key === 'line_voltage' || (key !== 'power' && feeder[key] !== undefined)) closeFeeder(n);
      if (feeder.line === undefined) feeder.line = n;
      const value = Number(a[2]);
      if (key === 'current') feeder.current = round3(value * 1000); // A -> mA
      else if (key !== 'power') feeder[key] = value;
      if (key === 'power') closeFeeder(n + 1);
    } else if (b) {
      out.counts.ina3221 += 1;
      const ch = Number(b[1]) as 1 | 2 | 3;
      if (ch === 1 && b[2] === 'Bus Voltage') {
        channels = {};
        channelStart = n;
      }
      const c = (channels[ch] ??= {});
      if (b[2] === 'Shunt Voltage') c.shunt_voltage = Number(b[3]);
      if (b[2] === 'Shunt Current') c.current = Number(b[3]);
      if (ch === 3 && b[2] === 'Shunt Current') {
        const complete = ([1, 2, 3] as const).every((k) => channels[k]?.shunt_voltage !== undefined && channels[k]?.current !== undefined);
        if (!complete) out.skipped.push({ line: channelStart, reason: 'INA3221 block without every channel' });
        else if (!lastFeeder) out.skipped.push({ line: channelStart, reason: 'INA3221 block before any complete INA219 reading' });
        else {
          const ch3 = channels as Record<1 | 2 | 3, ChannelReading>;
          const payload: TelemetryPayload = {
            timestamp: formatMeterTimestamp(start.time + uptime, start.offsetMinutes, uptime % 1000 !== 0),
            feeder: { ...lastFeeder },
            transformer1: { ...ch3[1] },
            transformer2: { ...ch3[2] },
            transformer3: { ...ch3[3] },
          };
          // The contract decides, as it will on the wire: a 400-digit voltage or a wrapped register is skipped, not sent.
          try {
            parseTelemetry(payload);
            out.payloads.push(payload);
          } catch (err) {
            if (!(err instanceof PayloadError)) throw err;
            out.skipped.push({ line: channelStart, reason: `reading refused by the payload contract: ${err.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}` });
          }
        }
        channels = {};
      }
    } else if (h) {
      out.counts.heap += 1;
      out.heap.push({ uptimeMs: uptime, bytes: Number(h[1]) });
    } else out.unknown.push({ line: n, text: raw });
  });
  return out;
}

/** Dataset rows (`line_voltage,label,c1,c2,c3,feeder`) of payloads, through the model's calibration. */
export function datasetRows(payloads: readonly TelemetryPayload[], calibration: Calibration, label: string): string[] {
  return payloads.map((p) => {
    const [v, c1, c2, c3, feeder] = Array.from(applyCalibration(calibration, p), round3);
    return [v, label, c1, c2, c3, feeder].join(',');
  });
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
