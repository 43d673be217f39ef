import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { formatTelemetry } from '../firmware/meter-format.js';
import { seededRandom, simulateReading } from '../firmware/scenario.js';
import { buildLambdas } from '../lambdas/build.js';
import { runtimeScript, stageContainer } from '../lambdas/inference/stage-container.js';
import { renderSection, writeSection, type BenchSection } from './section.js';

const REPO = path.resolve(import.meta.dirname, '..');
/** The original Python container: importing scikit-learn and loading the two pickles (issue 4). */
const PYTHON_COLD_START_S = 1.05;

/** Milliseconds from spawning `node -e script` to the first line it prints. */
function timeToFirstLine(script: string, cwd: string, env: Record<string, string>): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no answer in 30 s'));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({ ms: performance.now() - t0, line: out.slice(0, nl) });
      }
    });
    child.on('exit', (code) => code !== 0 && reject(new Error(`exited ${code}: ${out}`)));
  });
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Bundle sizes of the three handlers, and the inference function's cold start: a fresh node process in a
 * folder staged exactly as the Dockerfile copies it, from process start to the first answer printed
 * (module load, model load and validation, one prediction). Node's own start-up is measured alone too.
 */
export async function benchLambdaColdStart(runs = 10): Promise<BenchSection> {
  const work = mkdtempSync(path.join(tmpdir(), 'gs-cold-'));
  try {
    const built = await buildLambdas({ outDir: path.join(work, 'context') });
    const inference = built.find((b) => b.name === 'inference')!;
    const task = path.join(work, 'var-task');
    const entry = stageContainer(inference.dir, task);
    const event = JSON.parse(formatTelemetry({ timestamp: '2025-06-01T12:00:00+03:00', ...simulateReading(seededRandom(3), { kind: 'theft', channel: 'c2', mode: 'blatant' }, 11.5) }));
    const script = runtimeScript(entry.module, entry.exportName);
    const cold: number[] = [];
    const bare: number[] = [];
    let answer = '';
    for (let i = 0; i < runs; i++) {
      const r = await timeToFirstLine(script, task, { LAMBDA_TASK_ROOT: task, EVENT: JSON.stringify(event) });
      cold.push(r.ms);
      answer = r.line;
      bare.push((await timeToFirstLine('console.log(1)', task, {})).ms);
    }
    const label = (JSON.parse(answer) as { prediction?: string[] }).prediction?.[0];
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const modelBytes = ['model.json', 'scaler.json'].reduce((s, f) => s + statSync(path.join(task, 'models', f)).size, 0);
    const sizeRow = (name: string) => {
      const b = built.find((x) => x.name === name)!;
      return [`${name} bundle (index.mjs)`, `${kib(b.bytes)} (${kib(gzipSync(readFileSync(b.bundle)).length)} gzipped)`];
    };
    const coldMedian = median(cold);
    return {
      title: 'Lambda bundles and inference cold start',
      command: `npm run bench:cold-start -- --runs ${runs}`,
      table: [
        ['measure', 'value'],
        sizeRow('inference'),
        ['inference model artifacts (models/)', kib(modelBytes)],
        sizeRow('router'),
        sizeRow('storage'),
        ['inference cold start, process start to first answer (median)', `${coldMedian.toFixed(0)} ms (min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)}, ${runs} runs)`],
        ['of which node start-up alone (median)', `${median(bare).toFixed(0)} ms`],
        ['original Python container (scikit-learn import + pickles)', `${(PYTHON_COLD_START_S * 1000).toFixed(0)} ms, as reported in issue 4`],
        ['speed-up', `${((PYTHON_COLD_START_S * 1000) / coldMedian).toFixed(1)}x`],
      ],
      notes: [
        `Node ${process.version}; the Lambda base image runs Node 22. Staged as the Dockerfile copies it (index.mjs + models/), no node_modules; the answer was ${label} for a blatant c2 theft.`,
        'Bundles: esbuild, ESM, minified, every dependency inside (the AWS SDK v3 clients for router and storage).',
        'The Python figure was measured on the original container, not re-measured here.',
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, out: { type: 'string', default: path.join(REPO, 'BENCHMARKS.md') } } });
  const section = await benchLambdaColdStart(Number(values.runs));
  console.log(renderSection(section));
  writeSection(values.out, section);
}
