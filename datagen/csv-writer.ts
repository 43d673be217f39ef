import type { DatasetRow } from './dataset-row.js';
import { DatasetRowError } from './errors.js';
import { LABELS, type Label } from './physics.js';
import { pythonRepr } from './python-float.js';

/** Python's csv writer ends every record with CRLF. */
export const CSV_HEADER = 'line_voltage,label,c1,c2,c3,feeder\r\n';

/** Output chunks of about 64 KiB keep writes large and memory flat. */
const CHUNK_BYTES = 64 * 1024;
/** Longest record: five 24-character reprs, a label, commas and CRLF. */
const MAX_RECORD_BYTES = 5 * 24 + 6 + 5 + 2;

const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** One CSV record as Python's csv writer prints it: floats by repr, CRLF. */
export function formatCsvRow(row: DatasetRow): string {
  const buf = Buffer.allocUnsafe(MAX_RECORD_BYTES);
  return buf.toString('latin1', 0, writeRecord(buf, 0, row));
}

/**
 * The header and then the rows as CSV bytes, in chunks of about 64 KiB;
 * onRows gets the running row count after each chunk.
 */
export function* csvChunks(
  rows: Iterable<DatasetRow>,
  onRows?: (written: number) => void,
): Generator<Buffer, void, undefined> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = chunk.write(CSV_HEADER, 'latin1');
  let count = 0;
  for (const row of rows) {
    pos = writeRecord(chunk, pos, row);
    count++;
    if (pos > CHUNK_BYTES - MAX_RECORD_BYTES) {
      // A fresh buffer each time: the sink may still hold the last one.
      yield chunk.subarray(0, pos);
      chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      pos = 0;
      onRows?.(count);
    }
  }
  if (pos > 0) yield chunk.subarray(0, pos);
  onRows?.(count);
}

/** Writes one record at pos (room for MAX_RECORD_BYTES assumed); returns the end. */
function writeRecord(buf: Buffer, pos: number, row: DatasetRow): number {
  pos = writeFloat(buf, pos, row.line_voltage);
  buf[pos++] = COMMA;
  const label = labelBytes(row.label);
  for (let i = 0; i < label.length; i++) buf[pos++] = label[i];
  buf[pos++] = COMMA;
  pos = writeFloat(buf, pos, row.c1);
  buf[pos++] = COMMA;
  pos = writeFloat(buf, pos, row.c2);
  buf[pos++] = COMMA;
  pos = writeFloat(buf, pos, row.c3);
  buf[pos++] = COMMA;
  pos = writeFloat(buf, pos, row.feeder);
  buf[pos++] = CR;
  buf[pos++] = LF;
  return pos;
}

const NORMAL_BYTES = Buffer.from('normal', 'latin1');
const C1_BYTES = Buffer.from('c1', 'latin1');
const C2_BYTES = Buffer.from('c2', 'latin1');
const C3_BYTES = Buffer.from('c3', 'latin1');

// Comparisons of interned strings; measurably cheaper here than a Map lookup.
function labelBytes(label: Label): Uint8Array {
  if (label === 'normal') return NORMAL_BYTES;
  if (label === 'c1') return C1_BYTES;
  if (label === 'c2') return C2_BYTES;
  if (label === 'c3') return C3_BYTES;
  throw new DatasetRowError([{ field: 'label', value: label, expected: `must be one of ${LABELS.join(', ')}` }]);
}

// Dataset values are multiples of 0.001 (line voltage of 0.01), so their repr
// bytes repeat: cache them by thousandths n, in slots of SLOT bytes. When
// x === n / 1000, the cached repr(n / 1000) is exactly repr(x).
const CACHE_SIZE = 100_000; // values up to 99.999
const SLOT = 8; // "99.999" needs 6
const cacheBytes = new Uint8Array(CACHE_SIZE * SLOT);
const cacheLength = new Uint8Array(CACHE_SIZE); // 0: not yet formatted
const cacheValue = new Float64Array(CACHE_SIZE); // n / 1000, once formatted

function writeFloat(buf: Buffer, pos: number, x: number): number {
  const n = Math.round(x * 1000);
  if (n > 0 && n < CACHE_SIZE) {
    let length = cacheLength[n];
    if (length === 0) {
      cacheValue[n] = n / 1000;
      const repr = pythonRepr(cacheValue[n]);
      length = cacheLength[n] = repr.length;
      for (let i = 0; i < length; i++) cacheBytes[n * SLOT + i] = repr.charCodeAt(i);
    }
    if (cacheValue[n] === x) {
      const start = n * SLOT;
      for (let i = 0; i < length; i++) buf[pos++] = cacheBytes[start + i];
      return pos;
    }
  }
  return pos + buf.write(pythonRepr(x), pos, 'latin1');
}
