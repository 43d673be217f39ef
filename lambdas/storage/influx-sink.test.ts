import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../shared/env.js';
import { SinkError } from './errors.js';
import { INFLUX_MEASUREMENT, InfluxSink, InfluxWriteError, MAX_LINES_PER_WRITE, escapeString, escapeTag, toLineProtocol } from './influx-sink.js';
import type { MeasureRecord } from './reading-sink.js';

const T = Date.UTC(2025, 5, 1, 9, 0, 0); // 2025-06-01T12:00:00+03:00, the reference payload's instant

/** The records storage writes for the reference payload (lambdas/storage/records.ts) and its prediction. */
function referenceRecords(device = 'meter-001', time = T): MeasureRecord[] {
  const r = (source: string, measure: MeasureRecord['measure'], value: number | string): MeasureRecord => ({ device, source, measure, value, time });
  return [
    r('feeder', 'line_voltage', 12.01),
    r('feeder', 'shunt_voltage', 3.61),
    r('feeder', 'current', 36.1),
    r('feeder', 'power', 433.561),
    r('feeder', 'joining_factor', 1.080332409972299),
    r('transformer1', 'shunt_voltage', 1.32),
    r('transformer1', 'current', 13.2),
    r('transformer1', 'power', 158.532),
    r('transformer2', 'shunt_voltage', 1.32),
    r('transformer2', 'current', 13.2),
    r('transformer2', 'power', 158.532),
    r('transformer3', 'shunt_voltage', 1.24),
    r('transformer3', 'current', 12.4),
    r('transformer3', 'power', 148.924),
    r('model', 'prediction', 'c2'),
    r('model', 'theft', 1),
  ];
}

describe('line protocol', () => {
  it('writes one point per device, source and instant with typed fields', () => {
    expect(toLineProtocol(referenceRecords())).toEqual([
      `SmartMeterReadings,device_id=meter-001,source=feeder line_voltage=12.01,shunt_voltage=3.61,current=36.1,power=433.561,joining_factor=1.080332409972299 ${T}`,
      `SmartMeterReadings,device_id=meter-001,source=transformer1 shunt_voltage=1.32,current=13.2,power=158.532 ${T}`,
      `SmartMeterReadings,device_id=meter-001,source=transformer2 shunt_voltage=1.32,current=13.2,power=158.532 ${T}`,
      `SmartMeterReadings,device_id=meter-001,source=transformer3 shunt_voltage=1.24,current=12.4,power=148.924 ${T}`,
      `SmartMeterReadings,device_id=meter-001,source=model prediction="c2",theft=1i ${T}`,
    ]);
  });

  it('keeps points of different instants and devices apart', () => {
    const records: MeasureRecord[] = [
      { device: 'a', source: 'feeder', measure: 'line_voltage', value: 12, time: 1000 },
      { device: 'a', source: 'feeder', measure: 'line_voltage', value: 11.5, time: 2000 },
      { device: 'b', source: 'feeder', measure: 'line_voltage', value: 230, time: 1000 },
      { device: 'a', source: 'feeder', measure: 'current', value: 36, time: 1000 },
    ];
    expect(toLineProtocol(records)).toEqual([
      'SmartMeterReadings,device_id=a,source=feeder line_voltage=12,current=36 1000',
      'SmartMeterReadings,device_id=a,source=feeder line_voltage=11.5 2000',
      'SmartMeterReadings,device_id=b,source=feeder line_voltage=230 1000',
    ]);
  });

  it('writes no line for no records', () => {
    expect(toLineProtocol([])).toEqual([]);
  });

  it.each([
    ['meter-001', 'meter-001'],
    ['meter 1', 'meter\\ 1'],
    ['a,b', 'a\\,b'],
    ['k=v', 'k\\=v'],
    ['all , = three', 'all\\ \\,\\ \\=\\ three'],
    ['µ-Zähler', 'µ-Zähler'],
  ])('escapes tag %j as %j', (raw, escaped) => {
    expect(escapeTag(raw)).toBe(escaped);
  });

  it.each([
    ['c2', '"c2"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['a, b = c', '"a, b = c"'],
  ])('quotes string field %j as %j', (raw, quoted) => {
    expect(escapeString(raw)).toBe(quoted);
  });

  it.each([
    [1e21, '1e+21'],
    [-0.5, '-0.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [12, '12'],
  ])('writes the float %d as %s (no integer suffix)', (value, text) => {
    expect(toLineProtocol([{ device: 'd', source: 'feeder', measure: 'power', value, time: 1 }])).toEqual([
      `SmartMeterReadings,device_id=d,source=feeder power=${text} 1`,
    ]);
  });

  it.each<[string, Partial<MeasureRecord>, RegExp]>([
    ['NaN', { measure: 'current', value: Number.NaN }, /current must be a finite number, found null/],
    ['Infinity', { measure: 'power', value: Number.POSITIVE_INFINITY }, /power must be a finite number/],
    ['a string for a double', { measure: 'line_voltage', value: '12.01' }, /line_voltage must be a finite number, found "12.01"/],
    ['a fraction for theft', { source: 'model', measure: 'theft', value: 0.5 }, /theft must be an integer, found 0.5/],
    ['a number for prediction', { source: 'model', measure: 'prediction', value: 2 }, /prediction must be a string, found 2/],
    ['an unknown measure', { measure: 'voltage' as MeasureRecord['measure'] }, /unknown measure "voltage"/],
    ['a backslash in the device', { device: 'meter\\1' }, /device "meter\\\\1" contains a backslash/],
    ['a line break in the source', { source: 'feeder\n' }, /source "feeder\\n" contains a backslash or line break/],
    ['an empty device', { device: '' }, /device must be a non-empty string/],
    ['fractional milliseconds', { time: 1.5 }, /time must be integer milliseconds, found 1.5/],
  ])('refuses %s, naming the record and the reason', (_what, change, reason) => {
    const good: MeasureRecord = { device: 'meter-001', source: 'feeder', measure: 'line_voltage', value: 12, time: T };
    const bad = { ...good, ...change } as MeasureRecord;
    let error: unknown;
    try {
      toLineProtocol([good, bad]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SinkError);
    const sinkError = error as SinkError;
    expect(sinkError.rejected.map((r) => r.record)).toEqual([bad]);
    expect(sinkError.rejected[0]?.reason).toMatch(reason);
    expect(sinkError.message).toMatch(/^influxdb: 1 of 2 records cannot be written as line protocol/);
  });
});

/** A loopback HTTP server answering with scripted responses and recording every request. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
async function scriptedServer(responses: { status: number; body?: string; headers?: Record<string, string> }[]) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = responses.length > 1 ? responses.shift() : responses[0];
      if (!next) throw new Error('no scripted response');
      res.writeHead(next.status, next.headers ?? {});
      res.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('HTTP API', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

  it('posts to the 2.x API with org, bucket, ms precision and the token', async () => {
    server = await scriptedServer([{ status: 204 }]);
    await new InfluxSink({ url: `${server.url}/`, token: 's3cr3t', org: 'grid sentry', bucket: 'readings' }).write(referenceRecords());
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v2/write?org=grid+sentry&bucket=readings&precision=ms',
        headers: expect.objectContaining({ authorization: 'Token s3cr3t', 'content-type': 'text/plain; charset=utf-8' }),
        body: toLineProtocol(referenceRecords()).join('\n'),
      },
    ]);
  });

  it('posts to the 1.x API with the database, under a path prefix, without a token', async () => {
    server = await scriptedServer([{ status: 204 }]);
    await new InfluxSink({ url: `${server.url}/influx`, database: 'SmartMeterDB' }).write(referenceRecords());
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([['/influx/write?db=SmartMeterDB&precision=ms', undefined]]);
  });

  it('sends nothing for no records', async () => {
    server = await scriptedServer([{ status: 204 }]);
    await new InfluxSink({ url: server.url, database: 'db' }).write([]);
    expect(server.requests).toEqual([]);
  });

  it(`splits more than ${MAX_LINES_PER_WRITE} points into several requests`, async () => {
    server = await scriptedServer([{ status: 204 }]);
    const records = Array.from({ length: MAX_LINES_PER_WRITE + 1 }, (_, i): MeasureRecord => ({
      device: 'd',
      source: 'feeder',
      measure: 'line_voltage',
      value: 12,
      time: T + i,
    }));
    await new InfluxSink({ url: server.url, database: 'db' }).write(records);
    expect(server.requests.map((r) => r.body.split('\n').length)).toEqual([MAX_LINES_PER_WRITE, 1]);
  });

  it.each([429, 500, 502, 503])('retries HTTP %i with the same body until it is accepted', async (status) => {
    server = await scriptedServer([{ status, body: '{"error":"busy"}', headers: { 'Retry-After': '0' } }, { status }, { status: 204 }]);
    await new InfluxSink({ url: server.url, bucket: 'b', retry: fast }).write(referenceRecords());
    expect(server.requests.length).toBe(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
  });

  it('gives up after the last attempt, naming the status, the body and the attempts', async () => {
    server = await scriptedServer([{ status: 503, body: '{"error":"engine: cache maximum memory size exceeded"}' }]);
    const error = await new InfluxSink({ url: server.url, bucket: 'b', retry: fast }).write(referenceRecords()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfluxWriteError);
    expect(error).toMatchObject({ status: 503, body: '{"error":"engine: cache maximum memory size exceeded"}', sink: 'influxdb' });
    expect((error as Error).message).toMatch(/failed after 4 attempts: HTTP 503 Service Unavailable: \{"error":"engine: cache maximum memory size exceeded"\}/);
    expect(server.requests.length).toBe(4);
  });

  it.each([400, 401, 404, 413])('does not retry HTTP %i', async (status) => {
    server = await scriptedServer([{ status, body: `{"error":"refused ${status}"}` }]);
    const error = await new InfluxSink({ url: server.url, database: 'db', retry: fast }).write(referenceRecords()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InfluxWriteError', status, body: `{"error":"refused ${status}"}` });
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect(server.requests.length).toBe(1);
  });

  it('retries a connection failure and reports it after the last attempt', async () => {
    const port = await freePort();
    const error = await new InfluxSink({ url: `http://127.0.0.1:${port}`, database: 'db', retry: { attempts: 2, baseDelayMs: 1 } })
      .write(referenceRecords())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfluxWriteError);
    expect((error as InfluxWriteError).status).toBeUndefined();
    expect((error as Error).message).toMatch(/failed after 2 attempts: TypeError: fetch failed/);
  });
});

describe('configuration', () => {
  const env = (e: Record<string, string>) => e;

  it.each([
    [env({ INFLUX_URL: 'http://h:8086', INFLUX_DATABASE: 'SmartMeterDB' }), 'http://h:8086/write?db=SmartMeterDB&precision=ms'],
    [env({ INFLUX_URL: 'https://h', INFLUX_ORG: 'o', INFLUX_BUCKET: 'b', INFLUX_TOKEN: 't' }), 'https://h/api/v2/write?org=o&bucket=b&precision=ms'],
    [env({ INFLUX_URL: 'http://h:8086', INFLUX_BUCKET: 'db/autogen' }), 'http://h:8086/api/v2/write?bucket=db%2Fautogen&precision=ms'],
  ])('fromEnv(%j) writes to %s', async (variables, endpoint) => {
    const urls: string[] = [];
    const fetchStub = (async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    await InfluxSink.fromEnv(variables, { fetch: fetchStub }).write(referenceRecords().slice(0, 1));
    expect(urls).toEqual([endpoint]);
  });

  it.each([
    [env({}), 'INFLUX_URL'],
    [env({ INFLUX_URL: 'http://h' }), 'INFLUX_BUCKET'],
    [env({ INFLUX_URL: 'http://h', INFLUX_ORG: 'o' }), 'INFLUX_BUCKET'],
    [env({ INFLUX_URL: 'http://h', INFLUX_DATABASE: 'd', INFLUX_BUCKET: 'b' }), 'INFLUX_DATABASE'],
    [env({ INFLUX_URL: 'h:8086', INFLUX_DATABASE: 'd' }), 'url'],
    [env({ INFLUX_URL: 'ftp://h', INFLUX_DATABASE: 'd' }), 'url'],
  ])('fromEnv(%j) fails at cold start naming %s', (variables, variable) => {
    let error: unknown;
    try {
      InfluxSink.fromEnv(variables);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});

// ---------------------------------------------------------------------------------------------------
// Against a real InfluxDB: Debian's `influxdb` package (1.6), started on loopback for this file.

const INFLUXD = spawnSync('sh', ['-c', 'command -v influxd'], { encoding: 'utf8' }).stdout.trim();
const IN_CI = process.env.CI === 'true';

if (!INFLUXD) {
  const missing = 'influxd not found (install it with: apt-get install -y influxdb)';
  if (IN_CI) {
    it('has influxd installed (required when CI=true)', () => {
      throw new Error(`${missing}; the real-server InfluxDB tests cannot run`);
    });
  } else {
    console.warn(`[influx-sink.test] ${missing}; skipping the real-server InfluxDB tests`);
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!INFLUXD)('against a real influxd', () => {
  let dir = '';
  let child: ChildProcess | undefined;
  let base = '';
  let log = '';
  const DB = 'SmartMeterDB';

  async function query(q: string, db = DB): Promise<{ series?: { name: string; columns: string[]; values: unknown[][] }[]; error?: string }> {
    const res = await fetch(`${base}/query?${new URLSearchParams({ db, q, epoch: 'ms' })}`);
    const body = (await res.json()) as { results: { series?: { name: string; columns: string[]; values: unknown[][] }[]; error?: string }[] };
    return body.results[0] ?? {};
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridsentry-influxd-'));
    const [httpPort, rpcPort] = [await freePort(), await freePort()];
    // Every directory in the temp folder, both listeners on loopback, no phoning home, no _internal writes.
    writeFileSync(
      join(dir, 'influxdb.conf'),
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${join(dir, 'meta')}"`,
        '[data]',
        `  dir = "${join(dir, 'data')}"`,
        `  wal-dir = "${join(dir, 'wal')}"`,
        '  query-log-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${httpPort}"`,
        '  log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '',
      ].join('\n'),
    );
    base = `http://127.0.0.1:${httpPort}`;
    child = spawn(INFLUXD, ['-config', join(dir, 'influxdb.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`influxd exited with ${child.exitCode}:\n${log}`);
      const ok = await fetch(`${base}/ping`).then((r) => r.status === 204, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`influxd did not answer /ping within 30 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = await fetch(`${base}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${DB}"` }) });
    expect(created.status).toBe(200);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores every measure of a reading and its prediction with its type, tags and millisecond time', async () => {
    await new InfluxSink({ url: base, database: DB }).write(referenceRecords('meter-001'));
    const result = await query(
      `SELECT "line_voltage", "shunt_voltage", "current", "power", "joining_factor", "prediction", "theft" FROM "${INFLUX_MEASUREMENT}" WHERE "device_id" = 'meter-001' GROUP BY "source"`,
    );
    const bySource = Object.fromEntries(
      (result.series ?? []).map((s) => [(s as unknown as { tags: { source: string } }).tags.source, s.values]),
    );
    expect(bySource).toEqual({
      feeder: [[T, 12.01, 3.61, 36.1, 433.561, 1.080332409972299, null, null]],
      model: [[T, null, null, null, null, null, 'c2', 1]],
      transformer1: [[T, null, 1.32, 13.2, 158.532, null, null, null]],
      transformer2: [[T, null, 1.32, 13.2, 158.532, null, null, null]],
      transformer3: [[T, null, 1.24, 12.4, 148.924, null, null, null]],
    });
    const types = await query(`SHOW FIELD KEYS FROM "${INFLUX_MEASUREMENT}"`);
    expect(types.series?.[0]?.values).toEqual([
      ['current', 'float'],
      ['joining_factor', 'float'],
      ['line_voltage', 'float'],
      ['power', 'float'],
      ['prediction', 'string'],
      ['shunt_voltage', 'float'],
      ['theft', 'integer'],
    ]);
  });

  it('creates no duplicates when the same message is written again', async () => {
    const sink = new InfluxSink({ url: base, database: DB });
    const records = referenceRecords('meter-redelivered', T + 60_000);
    await sink.write(records);
    await sink.write(records);
    await sink.write(records);
    const counted = await query(`SELECT count("current") FROM "${INFLUX_MEASUREMENT}" WHERE "device_id" = 'meter-redelivered'`);
    expect(counted.series?.[0]?.values).toEqual([[0, 4]]);
    const points = await query(`SELECT * FROM "${INFLUX_MEASUREMENT}" WHERE "device_id" = 'meter-redelivered'`);
    expect(points.series?.[0]?.values.length).toBe(5);
  });

  it('round-trips escaped tag values and string fields exactly', async () => {
    const device = 'lab meter,1=A';
    await new InfluxSink({ url: base, database: DB }).write([
      { device, source: 'model', measure: 'prediction', value: 'say "c1" \\ then, c2=x', time: T },
    ]);
    const tags = await query(`SHOW TAG VALUES FROM "${INFLUX_MEASUREMENT}" WITH KEY = "device_id"`);
    expect(tags.series?.[0]?.values).toContainEqual(['device_id', device]);
    const stored = await query(`SELECT "prediction" FROM "${INFLUX_MEASUREMENT}" WHERE "device_id" = 'lab meter,1=A'`);
    expect(stored.series?.[0]?.values).toEqual([[T, 'say "c1" \\ then, c2=x']]);
  });

  it('reports a field type conflict with the HTTP status and the server message', async () => {
    // Someone wrote theft as a float into another database; the sink's integer must be refused there.
    await fetch(`${base}/query`, { method: 'POST', body: new URLSearchParams({ q: 'CREATE DATABASE "conflict"' }) });
    const direct = await fetch(`${base}/write?db=conflict&precision=ms`, {
      method: 'POST',
      body: `${INFLUX_MEASUREMENT},device_id=x,source=model theft=0.5 ${T}`,
    });
    expect(direct.status).toBe(204);
    const error = await new InfluxSink({ url: base, database: 'conflict' })
      .write([{ device: 'x', source: 'model', measure: 'theft', value: 1, time: T + 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfluxWriteError);
    expect((error as InfluxWriteError).status).toBe(400);
    expect((error as InfluxWriteError).body).toMatch(/field type conflict/);
    expect((error as Error).message).toMatch(/^influxdb: write to http:\/\/127\.0\.0\.1:\d+\/write\?db=conflict&precision=ms failed: HTTP 400 Bad Request: .*field type conflict/);
  });

  it('reports a missing database with HTTP 404 and does not retry it', async () => {
    const error = await new InfluxSink({ url: base, database: 'nope' }).write(referenceRecords()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InfluxWriteError', status: 404 });
    expect((error as InfluxWriteError).body).toMatch(/database not found/);
  });
});
