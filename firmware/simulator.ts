import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { formatTelemetry } from './meter-format.js';
import { PREDICTION_TOPIC, TELEMETRY_TOPIC, type TelemetryPayload } from './payload.js';
import { seededRandom, simulateReading, type Scenario } from './scenario.js';
import { formatMeterTimestamp } from './timestamp.js';

export interface SimulationOptions {
  /** mqtt://127.0.0.1:1883, or mqtts://<endpoint>:8883 for AWS IoT Core (pass cert, key, ca in `client`). */
  url: string;
  /** Simulated meters; each is one MQTT connection with client id `<prefix><n>`. */
  devices: number;
  /** Messages per second, all meters together. */
  rate: number;
  /** Messages to send in all (bounded). */
  count: number;
  /**
   * The first this many messages warm up the broker and the stack (JIT, caches): they are sent on the same
   * schedule and count as sent and answered, but their latencies go to `warmupLatenciesMs`. Default 0.
   */
  warmup?: number;
  /** Cycled message by message; ignored when `replay` is given. */
  scenarios?: Scenario[];
  /** Payloads to send in order, cycled (e.g. from a serial log); timestamps are replaced by the send time. */
  replay?: Omit<TelemetryPayload, 'timestamp'>[];
  /** Line voltage range, V. */
  voltage?: [number, number];
  /** The meter's UTC offset, minutes (the reference meter: +180). */
  offsetMinutes?: number;
  /** Prediction topic template the meters listen on (`{device}` for per-device topics). */
  predictionTopic?: string;
  /** How long to wait for the last predictions after the last send, ms. */
  drainMs?: number;
  clientPrefix?: string;
  seed?: number;
  client?: IClientOptions;
  /** Called for every payload sent, as the broker receives it (numbers as formatted). */
  onPublish?: (device: string, payload: TelemetryPayload) => void;
  /** Called for every prediction a meter receives. */
  onPrediction?: (device: string, message: Record<string, unknown>) => void;
}

export interface SimulationReport {
  sent: number;
  /** Predictions received for messages this run sent. */
  answered: number;
  /** Sent messages that got no prediction before the drain timeout. */
  unanswered: number;
  /** Publish-to-prediction latency of each answered message after the warm-up, ms, in send order. */
  latenciesMs: number[];
  /** The same for the warm-up messages. */
  warmupLatenciesMs: number[];
  /**
   * How late each message after the warm-up was handed to its MQTT client against the fixed schedule (message
   * i at i/rate s), ms, in send order. A load generator that falls behind and catches up sends bursts that the
   * latencies do not show.
   */
  sendLagMs: number[];
  labels: Record<string, number>;
  durationMs: number;
}

/**
 * Meters on MQTT, publishing to `smartmeter/data` with QoS 1 exactly as the firmware formats payloads,
 * at a fixed total rate, each listening for its predictions. Timestamps are the send time at the meter's
 * offset: whole seconds as the firmware writes them when each meter sends at most once a second,
 * milliseconds otherwise (so that no two messages of a meter share an instant).
 */
export async function runSimulation(o: SimulationOptions): Promise<SimulationReport> {
  const prefix = o.clientPrefix ?? 'sim-meter-';
  const topicTemplate = o.predictionTopic ?? PREDICTION_TOPIC;
  const perDevice = topicTemplate.includes('{device}');
  const random = seededRandom(o.seed ?? 42);
  const [vLo, vHi] = o.voltage ?? [11.5, 12.0];
  const offset = o.offsetMinutes ?? 180;
  const millis = o.rate / o.devices > 1;
  const scenarios = o.scenarios ?? [{ kind: 'normal' }];
  const sentAt = new Map<string, number>();
  const report: SimulationReport = { sent: 0, answered: 0, unanswered: 0, latenciesMs: [], warmupLatenciesMs: [], sendLagMs: [], labels: {}, durationMs: 0 };
  const warmup = o.warmup ?? 0;
  const latencyByIndex = new Map<number, number>();
  const indexOf = new Map<string, number>();

  const onMessage = (device: string) => (_topic: string, payload: Buffer) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(payload.toString());
    } catch {
      return;
    }
    const who = typeof msg.device === 'string' ? msg.device : device;
    const key = `${who}|${String(msg.timestamp)}`;
    const t0 = sentAt.get(key);
    if (t0 === undefined) return;
    sentAt.delete(key);
    latencyByIndex.set(indexOf.get(key) ?? -1, performance.now() - t0);
    indexOf.delete(key);
    report.answered += 1;
    const label = Array.isArray(msg.prediction) ? String(msg.prediction[0]) : '?';
    report.labels[label] = (report.labels[label] ?? 0) + 1;
    o.onPrediction?.(who, msg);
  };

  const clients: MqttClient[] = [];
  try {
    for (let d = 0; d < o.devices; d++) {
      const id = `${prefix}${String(d + 1).padStart(4, '0')}`;
      const client = await mqtt.connectAsync(o.url, { clientId: id, clean: true, reconnectPeriod: 0, connectTimeout: 10_000, ...o.client });
      noDelay(client);
      clients.push(client);
      if (perDevice || d === 0) {
        await client.subscribeAsync(topicTemplate.replaceAll('{device}', id), { qos: 1 });
        client.on('message', onMessage(id));
      }
    }
    const start = performance.now();
    const wallStart = Date.now();
    const publishes: Promise<unknown>[] = [];
    // Open loop on a fixed schedule: each turn sends what is due within the next millisecond (timers fire no
    // finer) and yields, also after catching up, so that predictions are timed as they arrive, not after a run
    // of sends.
    for (let i = 0; i < o.count; ) {
      for (const until = performance.now() - start + 1; i < o.count && (i * 1000) / o.rate <= until; i++) {
        const due = (i * 1000) / o.rate;
        const d = i % o.devices;
        const device = `${prefix}${String(d + 1).padStart(4, '0')}`;
        const body = o.replay ? o.replay[i % o.replay.length] : simulateReading(random, scenarios[i % scenarios.length], vLo + (vHi - vLo) * random());
        const timestamp = formatMeterTimestamp(wallStart + Math.floor(due), offset, millis);
        const key = `${device}|${timestamp}`;
        // The send time wins over any timestamp the replayed payload carries: answers are matched by it.
        const text = formatTelemetry({ ...body, timestamp });
        o.onPublish?.(device, JSON.parse(text));
        indexOf.set(key, i);
        const now = performance.now();
        sentAt.set(key, now);
        if (i >= warmup) report.sendLagMs.push(now - start - due);
        publishes.push(clients[d].publishAsync(TELEMETRY_TOPIC, text, { qos: 1 }));
        report.sent += 1;
      }
      if (i < o.count) await new Promise((r) => setTimeout(r, (i * 1000) / o.rate - (performance.now() - start) - 1));
    }
    await Promise.all(publishes);
    const drainUntil = performance.now() + (o.drainMs ?? 10_000);
    while (sentAt.size > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    report.durationMs = performance.now() - start;
  } finally {
    await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
  }
  report.unanswered = sentAt.size;
  for (const [i, ms] of [...latencyByIndex.entries()].sort((a, b) => a[0] - b[0])) (i < warmup ? report.warmupLatenciesMs : report.latenciesMs).push(ms);
  return report;
}

/**
 * Sends each packet as it is written. With Nagle's algorithm on, a PUBLISH written while the meter's last
 * PUBACK is unacknowledged waits for that ACK, which the broker delays up to 40 ms (Linux): ten meters at 100
 * messages a second each had a 26 ms median latency with it, 1.3 ms without.
 */
function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => unknown };
  stream.setNoDelay?.(true);
}
