import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runSimulation } from '../firmware/simulator.js';
import { renderSection, writeSection, type BenchSection } from './section.js';
import { quantile } from './stats.js';

const REPO = path.resolve(import.meta.dirname, '..');
/** Records per message: 14 of the reading and 2 of its prediction (lambdas/storage/records.ts). */
const RECORDS_PER_MESSAGE = 16;

export interface StackBenchOptions {
  rate: number;
  /** Measured seconds, after the warm-up. */
  seconds: number;
  /** Seconds at the same rate before the measured ones; their messages count for loss, not for latency. Default 5. */
  warmup?: number;
  /** Meters; each sends rate / devices messages per second on its own connection. */
  devices: number;
}

/**
 * `npm start`'s stack in its own process, driven over MQTT on loopback by the simulator: every meter
 * publishes with QoS 1 and listens on its own prediction topic. Lost = sent messages whose prediction
 * never came back, plus stored records missing from SQLite at the end.
 */
export async function benchStack(options: StackBenchOptions): Promise<BenchSection> {
  const o = { warmup: 5, ...options };
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-bench-stack-'));
  const db = path.join(dir, 'bench.sqlite');
  const topic = 'smartmeter/{device}/prediction';
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'lambdas/local/start.ts', '--mqtt-port', '0', '--http-port', '0', '--db', db, '--prediction-topic', topic, '--quiet'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const ready = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('local stack did not start in 60 s')), 60_000);
        createInterface({ input: child.stdout! }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
      }),
    ) as { mqtt: string; dashboard: string; model: string };
    const warmup = Math.round(o.rate * o.warmup);
    const cpu0 = machineCpu();
    const sim0 = process.cpuUsage();
    const report = await runSimulation({
      url: ready.mqtt,
      devices: o.devices,
      rate: o.rate,
      count: warmup + Math.round(o.rate * o.seconds),
      warmup,
      predictionTopic: topic,
      scenarios: [{ kind: 'normal' }, { kind: 'normal' }, { kind: 'normal' }, { kind: 'theft', channel: 'c2', mode: 'blatant' }],
      drainMs: 30_000,
    });
    const cpu1 = machineCpu();
    const simCpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(sim0));
    const counters = (await (await fetch(new URL('/api/counters', ready.dashboard))).json()) as Record<string, number>;
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    const conn = new Database(db, { readonly: true });
    const stored = (conn.prepare('SELECT COUNT(*) AS n FROM readings').get() as { n: number }).n;
    conn.close();
    const lat = report.latenciesMs;
    const expected = report.sent * RECORDS_PER_MESSAGE;
    const lost = report.unanswered + Math.max(0, Math.round((expected - stored) / RECORDS_PER_MESSAGE));
    const ms = (v: number) => v.toFixed(1);
    const cores = (cpuMs: number) => ((cpuMs / (cpu1.total - cpu0.total)) * cpus().length).toFixed(2);
    return {
      title: 'Local stack under load (npm start)',
      command: `npm run bench:stack -- --rate ${o.rate} --seconds ${o.seconds} --warmup ${o.warmup} --devices ${o.devices}`,
      table: [
        ['measure', 'value'],
        ['messages sent (QoS 1)', String(report.sent)],
        ['offered rate', `${o.rate} msg/s for ${o.warmup} + ${o.seconds} s from ${o.devices} meters`],
        ['achieved send rate', `${((report.sent / report.durationMs) * 1000).toFixed(0)} msg/s over the run incl. drain`],
        ['predictions received', String(report.answered)],
        ['records in SQLite', `${stored} of ${expected}`],
        ['messages lost', String(lost)],
        ['rejected / failed in the stack', `${counters.rejected} / ${counters.failed}`],
        ['publish-to-prediction p50', `${ms(quantile(lat, 0.5))} ms`],
        ['publish-to-prediction p99', `${ms(quantile(lat, 0.99))} ms`],
        ['publish-to-prediction max', `${ms(quantile(lat, 1))} ms`],
        ['warm-up, not in the above', warmup ? `p50 ${ms(quantile(report.warmupLatenciesMs, 0.5))} ms, max ${ms(quantile(report.warmupLatenciesMs, 1))} ms` : 'none'],
        ['CPU busy during the run (all processes)', `${cores(cpu1.total - cpu1.idle - (cpu0.total - cpu0.idle))} of ${cpus().length} cores, the simulator ${cores(simCpuMs)} of them`],
        ['simulator behind schedule p99 / max', `${ms(quantile(report.sendLagMs, 0.99))} / ${ms(quantile(report.sendLagMs, 1))} ms`],
      ],
      notes: [
        `Stack in its own Node ${process.version} process (aedes, router, storage, in-process inference with model ${ready.model}; SQLite WAL written from its own thread); simulator in the bench process; both on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end; other work on the machine shows in the tail (the CPU row).`,
        'Each meter has its own MQTT connection (TCP_NODELAY on both ends) and per-device prediction topic; a quarter of the messages are a blatant c2 theft.',
        'Latency: from the simulated meter handing the message to its MQTT client to the prediction arriving at that meter. The simulator sends on a fixed schedule and yields between sends; "behind schedule" is how late it sent, which the latencies do not include.',
        `Warm-up: the first ${o.warmup} s at the full rate meet a stack fresh from start, V8 still compiling its hot paths; on a busy machine they queued for up to 2 s, enough for the p99 of a run.`,
        `Labels received: ${JSON.stringify(report.labels)}.`,
      ],
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time of all cores since boot, ms: idle and in all. */
function machineCpu(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '5' },
      devices: { type: 'string', default: '1000' },
      out: { type: 'string', default: path.join(REPO, 'BENCHMARKS.md') },
    },
  });
  const section = await benchStack({ rate: Number(values.rate), seconds: Number(values.seconds), warmup: Number(values.warmup), devices: Number(values.devices) });
  console.log(renderSection(section));
  writeSection(values.out, section);
  const lost = Number(section.table.find((r) => r[0] === 'messages lost')?.[1]);
  process.exitCode = lost === 0 ? 0 : 1;
}
