import { ConfigError, type Env } from '../shared/env.js';
import { SinkError } from './errors.js';
import { MEASURES } from './measures.js';
import type { MeasureRecord, ReadingSink } from './reading-sink.js';

/**
 * The InfluxDB measurement all records go to, named like the Timestream table so that queries read alike:
 * `SELECT "line_voltage" FROM "SmartMeterReadings" WHERE "source" = 'feeder'`.
 */
export const INFLUX_MEASUREMENT = 'SmartMeterReadings';
/** InfluxData's recommended batch size for one write request. */
export const MAX_LINES_PER_WRITE = 5000;

export interface InfluxSinkConfig {
  /** Base URL of the server, e.g. `http://127.0.0.1:8086`; a path prefix (reverse proxy) is kept. */
  url: string;
  /** Sent as `Authorization: Token <token>` (2.x API token; `user:password` for 1.8+ with auth). */
  token?: string;
  /** 2.x API (`/api/v2/write`): organisation (optional on 1.8's compatibility endpoint) and bucket. */
  org?: string;
  bucket?: string;
  /** 1.x API (`/write?db=`): database; Debian's influxdb 1.6 has only this one. */
  database?: string;
  fetch?: typeof fetch;
  /** Retries of 429, 5xx and network failures: attempts in all (first included) and backoff. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Per-request timeout, ms. */
  timeoutMs?: number;
}

/** A write InfluxDB refused or that failed after every retry; carries the HTTP status and body when there was one. */
export class InfluxWriteError extends SinkError {
  readonly status: number | undefined;
  readonly body: string | undefined;
  constructor(message: string, options: { status?: number; body?: string; cause?: unknown }) {
    super('influxdb', message, { cause: options.cause });
    this.name = 'InfluxWriteError';
    this.status = options.status;
    this.body = options.body;
  }
}

/**
 * Stores records as InfluxDB line protocol: one point per (device, source, time) with tags `device_id` and
 * `source` and one field per measure (float, integer `i`, or string, as `MEASURES` types them), millisecond
 * timestamps. InfluxDB keeps one value per series, field and timestamp, so writing a redelivered message
 * again overwrites the points with identical values and creates no duplicates.
 *
 * The same class talks to the 2.x API (`/api/v2/write?org&bucket&precision=ms`, also served by InfluxDB 3,
 * Timestream for InfluxDB and 1.8+) or, given `database`, to the 1.x API (`/write?db&precision=ms`).
 */
export class InfluxSink implements ReadingSink {
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;

  constructor(config: InfluxSinkConfig) {
    this.endpoint = writeEndpoint(config);
    this.headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (config.token !== undefined && config.token !== '') this.headers.Authorization = `Token ${config.token}`;
    this.fetchFn = config.fetch ?? fetch;
    this.attempts = config.retry?.attempts ?? 5;
    this.baseDelayMs = config.retry?.baseDelayMs ?? 200;
    this.maxDelayMs = config.retry?.maxDelayMs ?? 5000;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    if (!Number.isInteger(this.attempts) || this.attempts < 1) throw new ConfigError('retry.attempts', `expected an integer >= 1, found ${this.attempts}`);
  }

  /**
   * From the storage handler's environment: INFLUX_URL, INFLUX_TOKEN, and INFLUX_BUCKET (+ INFLUX_ORG) for
   * the 2.x API or INFLUX_DATABASE for the 1.x API.
   */
  static fromEnv(env: Env, options: Pick<InfluxSinkConfig, 'fetch'> = {}): InfluxSink {
    const read = (name: string): string | undefined => {
      const v = env[name]?.trim();
      return v === undefined || v === '' ? undefined : v;
    };
    const url = read('INFLUX_URL');
    if (url === undefined) throw new ConfigError('INFLUX_URL', 'is required when SINK=influxdb');
    const database = read('INFLUX_DATABASE');
    const bucket = read('INFLUX_BUCKET');
    const org = read('INFLUX_ORG');
    if (database !== undefined && (bucket !== undefined || org !== undefined)) {
      throw new ConfigError('INFLUX_DATABASE', 'set either INFLUX_DATABASE (1.x API) or INFLUX_BUCKET and INFLUX_ORG (2.x API), not both');
    }
    if (database === undefined && bucket === undefined) {
      throw new ConfigError('INFLUX_BUCKET', 'SINK=influxdb needs INFLUX_BUCKET (2.x API) or INFLUX_DATABASE (1.x API)');
    }
    return new InfluxSink({ url, token: read('INFLUX_TOKEN'), org, bucket, database, fetch: options.fetch });
  }

  async write(records: readonly MeasureRecord[]): Promise<void> {
    const lines = toLineProtocol(records);
    for (let start = 0; start < lines.length; start += MAX_LINES_PER_WRITE) {
      await this.post(lines.slice(start, start + MAX_LINES_PER_WRITE).join('\n'));
    }
  }

  private async post(body: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchFn(this.endpoint, {
          method: 'POST',
          headers: this.headers,
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        if (attempt < this.attempts) {
          await sleep(this.backoff(attempt, undefined));
          continue;
        }
        const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
        throw new InfluxWriteError(`write to ${this.endpoint} failed after ${attempt} attempts: ${reason}`, { cause });
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const text = await response.text().catch(() => '');
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < this.attempts) {
        await sleep(this.backoff(attempt, response.headers.get('retry-after')));
        continue;
      }
      const after = retryable ? ` after ${attempt} attempts` : '';
      throw new InfluxWriteError(`write to ${this.endpoint} failed${after}: HTTP ${response.status} ${response.statusText}: ${text.trim()}`, {
        status: response.status,
        body: text,
      });
    }
  }

  /** Exponential backoff with full jitter; a server's Retry-After (seconds) wins when it asks for longer. */
  private backoff(attempt: number, retryAfter: string | null | undefined): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.random() * ceiling;
    const asked = retryAfter ? Number(retryAfter) * 1000 : Number.NaN;
    return Number.isFinite(asked) && asked > jittered ? Math.min(asked, this.maxDelayMs) : jittered;
  }
}

function writeEndpoint(config: InfluxSinkConfig): string {
  let base: URL;
  try {
    base = new URL(config.url);
  } catch {
    throw new ConfigError('url', `expected an http(s) URL, found ${JSON.stringify(config.url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ConfigError('url', `expected an http(s) URL, found ${JSON.stringify(config.url)}`);
  }
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  if (config.database !== undefined) {
    if (config.bucket !== undefined || config.org !== undefined) {
      throw new ConfigError('database', 'give either database (1.x API) or bucket and org (2.x API), not both');
    }
    return `${root}/write?${new URLSearchParams({ db: config.database, precision: 'ms' })}`;
  }
  if (config.bucket === undefined) throw new ConfigError('bucket', 'needs bucket (2.x API) or database (1.x API)');
  const query = new URLSearchParams();
  if (config.org !== undefined) query.set('org', config.org);
  query.set('bucket', config.bucket);
  query.set('precision', 'ms');
  return `${root}/api/v2/write?${query}`;
}

/**
 * Line protocol for the records: one line per (device, source, time) in order of first appearance, fields
 * in record order. A record InfluxDB could not store as given is refused before anything is sent.
 */
export function toLineProtocol(records: readonly MeasureRecord[]): string[] {
  const points = new Map<string, { tags: string; time: number; fields: Map<string, string> }>();
  const invalid: { record: MeasureRecord; reason: string }[] = [];
  for (const record of records) {
    const reason = problemOf(record);
    if (reason !== undefined) {
      invalid.push({ record, reason });
      continue;
    }
    // Tags sorted by key, as InfluxDB recommends: device_id, source.
    const tags = `device_id=${escapeTag(record.device)},source=${escapeTag(record.source)}`;
    const key = `${tags} ${record.time}`;
    let point = points.get(key);
    if (!point) {
      point = { tags, time: record.time, fields: new Map() };
      points.set(key, point);
    }
    point.fields.set(escapeTag(record.measure), fieldValue(record));
  }
  if (invalid.length > 0) {
    throw new SinkError('influxdb', `${invalid.length} of ${records.length} records cannot be written as line protocol`, { rejected: invalid });
  }
  return [...points.values()].map((p) => {
    const fields = [...p.fields].map(([k, v]) => `${k}=${v}`).join(',');
    return `${INFLUX_MEASUREMENT},${p.tags} ${fields} ${p.time}`;
  });
}

/**
 * Tag keys and values and field keys: comma, equals sign and space are escaped with a backslash. A
 * backslash itself is refused: InfluxDB 1.x keeps `\\` as two characters while 2.x reads it as one, and a
 * trailing one breaks the line, so no escaping stores the same id on both. Device ids never contain one.
 */
export function escapeTag(text: string): string {
  return text.replace(/[,= ]/g, (c) => `\\${c}`);
}

/** String field values: double quote and backslash are escaped. */
export function escapeString(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function problemOf(r: MeasureRecord): string | undefined {
  for (const [what, text] of [
    ['device', r.device],
    ['source', r.source],
  ] as const) {
    if (typeof text !== 'string' || text === '') return `${what} must be a non-empty string`;
    if (/[\\\n\r]/.test(text)) return `${what} ${JSON.stringify(text)} contains a backslash or line break, which line protocol cannot carry in a tag`;
  }
  const spec = (MEASURES as Record<string, { type: string } | undefined>)[r.measure];
  if (!spec) return `unknown measure ${JSON.stringify(r.measure)}`;
  if (!Number.isSafeInteger(r.time)) return `time must be integer milliseconds, found ${r.time}`;
  switch (spec.type) {
    case 'DOUBLE':
      if (typeof r.value !== 'number' || !Number.isFinite(r.value)) return `${r.measure} must be a finite number, found ${JSON.stringify(r.value)}`;
      return undefined;
    case 'BIGINT':
      if (typeof r.value !== 'number' || !Number.isSafeInteger(r.value)) return `${r.measure} must be an integer, found ${JSON.stringify(r.value)}`;
      return undefined;
    case 'VARCHAR':
      if (typeof r.value !== 'string') return `${r.measure} must be a string, found ${JSON.stringify(r.value)}`;
      return undefined;
    default:
      return `measure ${r.measure} has type ${spec.type}, which the InfluxDB sink does not map`;
  }
}

function fieldValue(r: MeasureRecord): string {
  switch (MEASURES[r.measure].type) {
    case 'BIGINT':
      return `${r.value}i`;
    case 'VARCHAR':
      return escapeString(r.value as string);
    default:
      // Always a float: a first write of 12 must not make the field an integer and refuse 12.5 later.
      // JavaScript's shortest round-trip form (12, 12.01, 1e+21) is valid line protocol for a float.
      return String(r.value);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
