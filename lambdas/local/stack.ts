import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Aedes } from 'aedes';
import { DEVICE_ID_FIELD, PREDICTION_TOPIC, TELEMETRY_TOPIC } from '../../firmware/payload.js';
import { loadPredictor } from '../../infer/load-artifacts.js';
import { routeMessage } from '../router/route.js';
import { storeMessage } from '../storage/store.js';
import { BrokerPublisher } from './broker-publisher.js';
import { DASHBOARD_HTML } from './dashboard-page.js';
import { DashboardQueries } from './dashboard-queries.js';
import { InProcessInvoker } from './in-process-invoker.js';
import { SqliteSink } from './sqlite-sink.js';

export interface LocalStackOptions {
  /** Always loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  mqttPort?: number;
  httpPort?: number;
  dbFile: string;
  modelDir: string;
  predictionTopic?: string;
  /** Storage's acceptance window (the Timestream memory store). */
  maxAgeMs?: number;
  maxFutureMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface StackCounters {
  readings: number;
  predictions: number;
  stored: number;
  rejected: number;
  failed: number;
}

export interface LocalStack {
  mqttUrl: string;
  dashboardUrl: string;
  modelId: string;
  counters: StackCounters;
  sink: SqliteSink;
  /** Resolves when every message received so far has been routed and stored. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole system on one machine: an MQTT broker (aedes) on loopback, local IoT rules that hand
 * `smartmeter/data` to the router and the storage handler (adding `device_id` from the client id, as
 * `SELECT *, clientid() AS device_id` does) and prediction messages to the storage handler, inference
 * in-process, readings in SQLite in Timestream's record shape, and a dashboard over HTTP.
 */
export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? (() => {});
  const predictionTopic = o.predictionTopic ?? PREDICTION_TOPIC;
  const predictor = await loadPredictor(o.modelDir);
  mkdirSync(path.dirname(path.resolve(o.dbFile)), { recursive: true });
  const sink = new SqliteSink(o.dbFile);
  const broker = await Aedes.createBroker();
  const publisher = new BrokerPublisher(broker);
  const routerDeps = { invoker: new InProcessInvoker(predictor), publisher, predictionTopic };
  const storeDeps = {
    sink,
    window: { maxAgeMs: o.maxAgeMs ?? 24 * 3_600_000, maxFutureMs: o.maxFutureMs ?? 300_000 },
    now: Date.now,
  };
  const counters: StackCounters = { readings: 0, predictions: 0, stored: 0, rejected: 0, failed: 0 };
  const pending = new Set<Promise<void>>();
  const isPredictionTopic = topicMatcher(predictionTopic);

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const fail = (what: string, topic: string) => (err: unknown) => {
    counters.failed += 1;
    log({ level: 'error', msg: `${what} failed`, topic, error: (err as Error).message });
  };

  broker.on('publish', (packet, client) => {
    if (packet.topic === TELEMETRY_TOPIC) {
      counters.readings += 1;
      const event = ruleEvent(packet.payload, client?.id, packet.topic);
      track(
        routeMessage(event, routerDeps).then((r) => {
          if (r.statusCode === 400) {
            counters.rejected += 1;
            log({ level: 'warn', msg: 'router rejected reading', ...r.error });
          }
        }, fail('router', packet.topic)),
      );
      track(store(event, packet.topic));
    } else if (isPredictionTopic(packet.topic)) {
      counters.predictions += 1;
      track(store(ruleEvent(packet.payload, client?.id, packet.topic), packet.topic));
    }
  });

  function store(event: unknown, topic: string): Promise<void> {
    return storeMessage(event, storeDeps).then((r) => {
      if (r.statusCode === 200) counters.stored += r.records;
      else log({ level: 'warn', msg: 'storage rejected message', topic, ...r.error });
    }, fail('storage', topic));
  }

  // TCP_NODELAY: the broker writes a meter's PUBACK and, a millisecond later, its prediction. With Nagle's
  // algorithm the prediction waits until the meter acknowledges the PUBACK, and the meter's delayed ACK
  // takes 40 ms (Linux): that was nearly all of bench:stack's 45 ms median.
  const mqttServer = net.createServer({ noDelay: true }, broker.handle);
  await listen(mqttServer, o.mqttPort ?? 1883, host);
  const queries = new DashboardQueries(sink.db);
  const httpServer = http.createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD_HTML);
    } else if (req.url === '/api/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(queries.state()));
    } else if (req.url === '/api/counters') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counters));
    } else res.writeHead(404).end('not found');
  });
  await listen(httpServer, o.httpPort ?? 8080, host);

  const idle = async () => {
    for (let round = 0; round < 1000 && pending.size > 0; round++) await Promise.allSettled([...pending]);
  };
  let closed = false;
  return {
    mqttUrl: `mqtt://${host}:${(mqttServer.address() as AddressInfo).port}`,
    dashboardUrl: `http://${host}:${(httpServer.address() as AddressInfo).port}/`,
    modelId: predictor.id,
    counters,
    sink,
    idle,
    async close() {
      if (closed) return;
      closed = true;
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => mqttServer.close(() => resolve()));
      await idle();
      await sink.close();
    },
  };
}

/**
 * What an IoT rule hands the function: the JSON object plus `device_id` and `topic` (the rules'
 * `clientid() AS device_id, topic() AS topic`); a payload that is not a JSON object as is. Storage relies on
 * `topic`: whatever arrives on the telemetry topic is a reading, never a prediction a meter made up.
 */
function ruleEvent(payload: Buffer | string, clientId: string | undefined, topic: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    return typeof payload === 'string' ? payload : new Uint8Array(payload);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return { ...value, ...(clientId === undefined ? {} : { [DEVICE_ID_FIELD]: clientId }), topic };
}

/** A topic template with `{device}` as a matcher: `smartmeter/{device}/prediction` matches `smartmeter/m1/prediction`. */
export function topicMatcher(template: string): (topic: string) => boolean {
  const re = new RegExp(`^${template.split('{device}').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/#+]+')}$`);
  return (topic) => re.test(topic);
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
