import { afterEach, describe, expect, it } from 'vitest';
import { caseMessage, fieldCases, type FieldCase } from '../testing/field-cases.js';
import type { LoopbackAws } from '../testing/loopback-aws.js';
import { MemorySink } from '../testing/recording-ports.js';
import { timestreamLoopback, writeBodies } from '../testing/timestream-loopback.js';
import { storeMessage } from './store.js';

const cases = fieldCases('storage');
const byId = new Map(cases.map((c) => [c.id, c]));
/** 12:00 at +03:00 on 2025-06-01 (../shared/cases/README.md). */
const BASE_TIME = 1748768400000;
const deps = (sink: MemorySink | Awaited<ReturnType<typeof timestreamLoopback>>['sink']) => ({
  sink,
  window: { maxAgeMs: 24 * 3_600_000, maxFutureMs: 300_000 },
  now: () => BASE_TIME + 60_000,
});
const servers: LoopbackAws[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Accepted cases and the instant, in ms, that must reach Timestream for every source. */
const ACCEPTED: Record<string, number> = {
  'R07a-offset-colon': BASE_TIME,
  'R07b-offset-no-colon': BASE_TIME,
  'R07c-zulu': BASE_TIME,
  'R07d-fractional-seconds': BASE_TIME + 250,
};
/** Refused cases: 400 naming `timestamp`, with a reason; nothing written. */
const REFUSED: Record<string, RegExp> = {
  'R09a-unsynced-clock-1970': /older than the 24 h memory-store window \(device clock not synced\?\)/,
  'R10a-epoch-seconds-number': /expected an ISO 8601 string with a UTC offset, found 1748768400/,
};

it('has a test for every storage case', () => {
  expect(cases.map((c) => c.id).sort()).toEqual([...Object.keys(ACCEPTED), ...Object.keys(REFUSED)].sort());
});

describe.each(Object.keys(ACCEPTED))('%s', (id) => {
  it('reaches Timestream at the right instant, in milliseconds, for all 4 sources', async () => {
    const ts = await timestreamLoopback();
    servers.push(ts.lb);
    const result = await storeMessage(caseMessage(byId.get(id) as FieldCase), deps(ts.sink));
    expect(result).toEqual({ statusCode: 200, kind: 'reading', device: 'unknown', records: 14 });
    const records = writeBodies(ts.lb).flatMap((b) => b.Records);
    const sources = new Set(records.map((r) => r.Dimensions.find((d) => d.Name === 'source')?.Value));
    expect([...sources].sort()).toEqual(['feeder', 'transformer1', 'transformer2', 'transformer3']);
    expect(new Set(records.map((r) => `${r.Time} ${r.TimeUnit}`))).toEqual(new Set([`${ACCEPTED[id]} MILLISECONDS`]));
  });
});

it('parses mixed messages with and without fractions in one stream (R07d)', async () => {
  const sink = new MemorySink();
  for (const id of ['R07a-offset-colon', 'R07d-fractional-seconds']) await storeMessage(caseMessage(byId.get(id)!), deps(sink));
  expect(new Set(sink.records.map((r) => r.time))).toEqual(new Set([BASE_TIME, BASE_TIME + 250]));
});

describe.each(Object.keys(REFUSED))('%s', (id) => {
  it('is refused naming timestamp; nothing written', async () => {
    const sink = new MemorySink();
    const result = await storeMessage(caseMessage(byId.get(id) as FieldCase), deps(sink));
    expect(result.statusCode).toBe(400);
    if (result.statusCode !== 400) return;
    expect(result.error.issues.map((i) => i.field)).toEqual(['timestamp']);
    expect(result.error.issues[0].message).toMatch(REFUSED[id]);
    expect(sink.records).toEqual([]);
  });
});
