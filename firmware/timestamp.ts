import { quote } from './errors.js';

/**
 * ISO 8601 date-times as the meter writes them: `2025-06-01T12:00:00+03:00`. Also accepted: offsets without
 * a colon (`+0300`), `Z`, and a decimal fraction of the second of any length, truncated to the millisecond
 * (Timestream is written in milliseconds). A timestamp without an offset is refused: local time of which zone?
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch of an ISO 8601 string, or a message saying what is wrong with it. */
export function parseIsoTimestamp(text: string): { ok: true; time: number } | { ok: false; message: string } {
  const m = ISO_8601.exec(text);
  if (!m) return { ok: false, message: `expected an ISO 8601 date-time like 2025-06-01T12:00:00+03:00, found ${quote(text)}` };
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  if (zone === undefined) return { ok: false, message: `expected a UTC offset (+03:00, +0300 or Z) after the time, found none in ${quote(text)}` };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `not a calendar date-time: ${quote(text)}` };
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return { ok: false, message: `not a UTC offset: ${zone}` };
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return { ok: true, time: utc };
}

/** Formats an instant as the meter does: local time at a fixed offset, whole seconds unless `millis`. */
export function formatMeterTimestamp(time: number, offsetMinutes: number, millis = false): string {
  const local = new Date(time + offsetMinutes * 60_000).toISOString();
  const base = millis ? local.slice(0, 23) : local.slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
