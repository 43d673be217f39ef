import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SinkError } from '../storage/errors.js';
import type { MeasureRecord } from '../storage/reading-sink.js';
import { SqliteSink } from './sqlite-sink.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gs-sqlite-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.UTC(2026, 0, 1, 12);
const reading = (device: string, current: number): MeasureRecord[] => [
  { device, source: 'feeder', measure: 'current', value: current, time: T },
  { device, source: 'model', measure: 'prediction', value: 'c2', time: T },
  { device, source: 'model', measure: 'theft', value: 1, time: T },
];
const stored = (sink: SqliteSink) =>
  sink.db
    .prepare(
      `SELECT device_id, source, measure_name, measure_value_type AS type, measure_value_double AS d, measure_value_bigint AS b, measure_value_varchar AS v
       FROM readings ORDER BY device_id, source, measure_name`,
    )
    .all();

it('stores each value in the column of its type, and the same records again change nothing', async () => {
  const sink = new SqliteSink(path.join(dir, 'db.sqlite'));
  try {
    await Promise.all([sink.write(reading('m1', 36)), sink.write(reading('m2', 12))]);
    await sink.write(reading('m1', 36));
    expect(stored(sink)).toEqual([
      { device_id: 'm1', source: 'feeder', measure_name: 'current', type: 'DOUBLE', d: 36, b: null, v: null },
      { device_id: 'm1', source: 'model', measure_name: 'prediction', type: 'VARCHAR', d: null, b: null, v: 'c2' },
      { device_id: 'm1', source: 'model', measure_name: 'theft', type: 'BIGINT', d: null, b: 1, v: null },
      { device_id: 'm2', source: 'feeder', measure_name: 'current', type: 'DOUBLE', d: 12, b: null, v: null },
      { device_id: 'm2', source: 'model', measure_name: 'prediction', type: 'VARCHAR', d: null, b: null, v: 'c2' },
      { device_id: 'm2', source: 'model', measure_name: 'theft', type: 'BIGINT', d: null, b: 1, v: null },
    ]);
  } finally {
    await sink.close();
  }
});

it('rejects only the write holding a record that differs from the stored one, naming it', async () => {
  const sink = new SqliteSink(path.join(dir, 'db.sqlite'));
  try {
    await sink.write(reading('m1', 36));
    const changed = reading('m1', 37);
    const [bad, good] = await Promise.allSettled([sink.write(changed), sink.write(reading('m2', 12))]);
    expect(good).toEqual({ status: 'fulfilled', value: undefined });
    expect(bad.status).toBe('rejected');
    const err = (bad as PromiseRejectedResult).reason as SinkError;
    expect(err).toBeInstanceOf(SinkError);
    expect(err.rejected).toEqual([{ record: changed[0], reason: 'a record with the same dimensions, time and measure name holds 36' }]);
    expect(stored(sink).filter((r) => (r as { device_id: string }).device_id === 'm1')).toHaveLength(3);
  } finally {
    await sink.close();
  }
});

it('finishes the writes sent before close, keeps them for the next open, and refuses writes after close', async () => {
  const file = path.join(dir, 'db.sqlite');
  const sink = new SqliteSink(file);
  const pending = [sink.write(reading('m1', 36)), sink.write(reading('m2', 12))];
  await sink.close();
  await Promise.all(pending);
  await expect(sink.write(reading('m3', 1))).rejects.toThrow(SinkError);
  const again = new SqliteSink(file);
  try {
    expect(stored(again)).toHaveLength(6);
  } finally {
    await again.close();
  }
});
