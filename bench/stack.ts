import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runSimulation } from '../firmware/simulator.js';
import type { BenchSection } from './section.js';

const REPO = path.resolve(import.meta.dirname, '..');
/** Records per message: 14 of the reading and 2 of its prediction (lambdas/storage/records.ts). */
const RECORDS_PER_MESSAGE = 16;

export interface StackBenchOptions {
  rate: number;
  seconds: number;
  /** Meters; each sends rate / devices messages per second on its own connection. */
  devices: number;
}

/**
 * `npm start`'s stack in its own process, driven over MQTT on loopback by the simulator: every meter
 * publishes with QoS 1 and listens on its own prediction topic. Lost = sent messages whose prediction
 * never came back, plus stored records missing from SQLite at the end.
 */
export async function benchStack(o: StackBenchOptions): Promise<BenchSection> {
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
    const count = Math.round(o.rate * o.seconds);
    const report = await runSimulation({
      url: ready.mqtt,
      devices: o.devices,
      rate: o.rate,
      count,
      predictionTopic: topic,
      scenarios: [{ kind: 'normal' }, { kind: 'normal' }, { kind: 'normal' }, { kind: 'theft', channel: 'c2', mode: 'blatant' }],
      drainMs: 30_000,
    });
    const counters = (await (await fetch(new URL('/api/counters', ready.dashboard))).json()) as Record<string, number>;
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    const conn = new Database(db, { readonly: true });
    const stored = (conn.prepare('SELECT COUNT(*) AS n FROM readings').get() as { n: number }).n;
    conn.close();
    const lat = [...report.latenciesMs].sort((a, b) => a - b);
    const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] : Number.NaN);
    const expected = report.sent * RECORDS_PER_MESSAGE;
    const lost = report.unanswered + Math.max(0, Math.round((expected - stored) / RECORDS_PER_MESSAGE));
    const ms = (v: number) => v.toFixed(1);
    return {
      title: 'Local stack under load (npm start)',
      command: `npm run bench:stack -- --rate ${o.rate} --seconds ${o.seconds} --devices ${o.devices}`,
      table: [
        ['measure', 'value'],
        ['messages sent (QoS 1)', String(report.sent)],
        ['offered rate', `${o.rate} msg/s for ${o.seconds} s from ${o.devices} meters`],
        ['achieved send rate', `${((report.sent / report.durationMs) * 1000).toFixed(0)} msg/s over the run incl. drain`],
        ['predictions received', String(report.answered)],
        ['records in SQLite', `${stored} of ${expected}`],
        ['messages lost', String(lost)],
        ['rejected / failed in the stack', `${counters.rejected} / ${counters.failed}`],
        ['publish-to-prediction p50', `${ms(q(0.5))} ms`],
        ['publish-to-prediction p99', `${ms(q(0.99))} ms`],
        ['publish-to-prediction max', `${ms(lat[lat.length - 1] ?? Number.NaN)} ms`],
      ],
      notes: [
        `Stack in its own Node ${process.version} process (aedes, router, storage, in-process inference with model ${ready.model}, SQLite WAL); simulator in the bench process; both on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}).`,
        'Each meter has its own MQTT connection and per-device prediction topic; a quarter of the messages are a blatant c2 theft.',
        'Latency: from the simulated meter handing the message to its MQTT client to the prediction arriving at that meter.',
        `Labels received: ${JSON.stringify(report.labels)}.`,
      ],
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderSection(s: BenchSection): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const [head, ...body] = s.table;
  return [
    `## ${s.title}`,
    '',
    `\`${s.command}\``,
    '',
    row(head),
    row(head.map(() => '---')),
    ...body.map(row),
    '',
    ...s.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** Replaces the section with the same title in BENCHMARKS.md, or appends it. */
export function writeSection(file: string, s: BenchSection): void {
  const start = `<!-- section: ${s.title} -->`;
  const end = `<!-- /section: ${s.title} -->`;
  const block = `${start}\n${renderSection(s)}${end}\n`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length + 1) : `${text.trimEnd()}\n\n${block}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      devices: { type: 'string', default: '1000' },
      out: { type: 'string', default: path.join(REPO, 'BENCHMARKS.md') },
    },
  });
  const section = await benchStack({ rate: Number(values.rate), seconds: Number(values.seconds), devices: Number(values.devices) });
  console.log(renderSection(section));
  writeSection(values.out, section);
  const lost = Number(section.table.find((r) => r[0] === 'messages lost')?.[1]);
  process.exitCode = lost === 0 ? 0 : 1;
}
