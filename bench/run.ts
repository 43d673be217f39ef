/**
 * `npm run bench`: every figure measured side by side in this one run, peers beside ours as ratios,
 * written to BENCHMARKS.md (each section replaced in place). A peer that is not installed gets its
 * column skipped with the reason printed.
 *
 *   npm run bench                 all sections
 *   npm run bench -- --only infer,train,datagen,cold-start,stack,compare   (infer and train are measured together)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { buildOnnxModel } from '../train/onnx/onnx-graph.js';
import { encodeOnnx } from '../train/onnx/onnx-proto.js';
import { SVC_DEFAULTS } from '../train/fit-svc.js';
import { readLabeledCsv } from '../train/labeled-dataset.js';
import { trainModel } from '../train/train-model.js';
import { writeDatasetCsv } from '../datagen/write-dataset-csv.js';
import { parseCliArgs, runCli, UsageError } from '../train/cli-args.js';
import { benchPredictor } from './infer.js';
import { benchOnnxRuntime } from './onnxruntime.js';
import { findPython, runPythonJson } from './python.js';
import type { BenchSection } from './section.js';
import { renderSection, writeSection } from './section.js';
import { bestOfAsync, fmt, ratio } from './stats.js';

const REPO = path.resolve(import.meta.dirname, '..');
const REFERENCE = path.resolve(REPO, '../shared/reference');
const REFERENCE_CSV = path.join(REFERENCE, 'power_data_labeled.csv');
const run = promisify(execFile);

interface SklearnFigures {
  batch_rows_per_second: number;
  single_p50_us: number;
  single_p99_us: number;
  fit_seconds: number | null;
  versions: { python: string; numpy: string; 'scikit-learn': string };
}

async function sklearnFigures(): Promise<SklearnFigures | string> {
  const found = await findPython(['sklearn', 'numpy']);
  if ('missing' in found) return found.missing;
  return runPythonJson<SklearnFigures>(found.python, [
    path.join(REPO, 'bench', 'sklearn.py'),
    '--data', REFERENCE_CSV,
    '--scaler', path.join(REFERENCE, 'scaler.pkl'),
    '--svc', path.join(REFERENCE, 'theft_detector_svm.pkl'),
  ]);
}

async function inferAndTrainSections(): Promise<BenchSection[]> {
  const dataset = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
  const options = { protocol: 'notebook' as const, testSize: 0.2, seed: 42, svc: SVC_DEFAULTS };
  const trained = await trainModel(dataset, options);
  const { table } = dataset;
  const ours = benchPredictor(trained.predictor, table.values, table.count);

  const dir = await mkdtemp(path.join(tmpdir(), 'gs-bench-'));
  const onnxPath = path.join(dir, 'model.onnx');
  await writeFile(onnxPath, encodeOnnx(buildOnnxModel(trained.predictor, 'float32')));
  const ort = await benchOnnxRuntime(onnxPath, table.values, table.count, DEFAULT_FEATURES.length);
  const sk = await sklearnFigures();
  const skipped: string[] = [];
  if (typeof sk === 'string') skipped.push(`scikit-learn column skipped: ${sk}`);
  const skl = typeof sk === 'string' ? undefined : sk;

  const inferTable = [
    ['implementation', 'batch rows/s', 'our rows/s ÷ its', 'single row p50 (µs)', 'p99 (µs)', 'its p50 ÷ ours'],
    ['GridSentry TS (WebAssembly SIMD, 1 thread)', fmt(ours.rowsPerSecond), '1.00x', fmt(ours.p50us, 1), fmt(ours.p99us, 1), '1.00x'],
    ['onnxruntime-node, 1 thread (float32 ML ops)', fmt(ort.rowsPerSecond1Thread), ratio(ours.rowsPerSecond, ort.rowsPerSecond1Thread), fmt(ort.p50us, 1), fmt(ort.p99us, 1), ratio(ort.p50us, ours.p50us)],
    [`onnxruntime-node, default threads (${cpus().length} cores)`, fmt(ort.rowsPerSecondDefault), ratio(ours.rowsPerSecond, ort.rowsPerSecondDefault), '', '', ''],
  ];
  if (skl) {
    inferTable.push([`scikit-learn ${skl.versions['scikit-learn']} (numpy ${skl.versions.numpy})`, fmt(skl.batch_rows_per_second), ratio(ours.rowsPerSecond, skl.batch_rows_per_second), fmt(skl.single_p50_us, 1), fmt(skl.single_p99_us, 1), ratio(skl.single_p50_us, ours.p50us)]);
  }
  const infer: BenchSection = {
    title: 'Inference: the 421-vector reference model',
    command: 'npm run bench -- --only infer',
    table: inferTable,
    notes: [
      `${table.count} reference rows, scaler + one-vs-one decision + vote; batch = one call over all rows, best of 5 passes; single row = predict() on each row in turn.`,
      'Targets: batch at least 2x scikit-learn and at least onnxruntime on one thread; single-row p50 at most a third of onnxruntime\'s.',
      ...skipped,
    ],
  };

  // Training: scaler on all rows + SVC fit on the notebook's split, warm (libsvm's WebAssembly already loaded).
  let fitMs = Infinity;
  const wall = await bestOfAsync(5, async () => {
    const t = await trainModel(dataset, options);
    fitMs = Math.min(fitMs, t.timings.scalerMs + t.timings.fitMs);
  });
  const trainTable = [
    ['implementation', 'scaler + fit (ms)', 'our time ÷ its'],
    ['GridSentry TS (libsvm-js WebAssembly + full-precision rho)', fmt(fitMs, 1), '1.00x'],
  ];
  if (skl?.fit_seconds != null) trainTable.push([`scikit-learn ${skl.versions['scikit-learn']}`, fmt(skl.fit_seconds * 1000, 1), ratio(fitMs, skl.fit_seconds * 1000)]);
  const train: BenchSection = {
    title: "Training on the notebook's split",
    command: 'npm run bench -- --only train',
    table: trainTable,
    notes: [
      `2400 rows, RBF, C 1, gamma scale, 421 support vectors; best of 5. The whole trainModel (split, scale, fit, test-set report, artifact validation) took ${fmt(wall, 1)} ms at best.`,
      'Target: at most 2x scikit-learn.',
      ...skipped,
    ],
  };
  return [infer, train];
}

async function datagenSection(): Promise<BenchSection> {
  const rows = 1_000_000;
  const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
  const ms = await bestOfAsync(3, () => writeDatasetCsv({ seed: 42, rows }, sink()));
  const ours = rows / (ms / 1000);
  const table = [['implementation', 'rows/s', 'our rows/s ÷ its'], ['GridSentry TS datagen (streamed CSV)', fmt(ours), '1.00x']];
  const notes = [`${fmt(rows)} rows, seed 42, CSV text streamed to a null sink; best of 3. Target: at least 700,000 rows/s.`];
  const python = process.env.PYTHON ?? 'python3';
  try {
    const pyRows = 200_000;
    const t0 = performance.now();
    await run(python, [path.join(REPO, 'notebooks', 'original_generator.py'), '--seed', '42', '--rows', String(pyRows), '--out', '/dev/null'], { timeout: 600_000 });
    const pyRate = pyRows / ((performance.now() - t0) / 1000);
    table.push([`original Python generator (${python})`, fmt(pyRate), ratio(ours, pyRate)]);
    notes.push(`The Python figure: ${fmt(pyRows)} rows to /dev/null, interpreter start included.`);
  } catch (err) {
    notes.push(`Python column skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  return { title: 'Dataset generation', command: 'npm run bench -- --only datagen', table, notes };
}

const SECTIONS: Record<string, () => Promise<BenchSection[]>> = {
  infer: inferAndTrainSections,
  datagen: async () => [await datagenSection()],
  'cold-start': async () => [await (await import('./lambda-cold-start.js')).benchLambdaColdStart()],
  stack: async () => [await (await import('./stack.js')).benchStack({ rate: 1000, seconds: 60, devices: 1000 })],
  compare: async () => [await (await import('./compare.js')).benchCompare()],
};

const USAGE = `usage: npm run bench -- [--only SECTIONS] [--out FILE]

  --only S   comma-separated: infer (with train), train (with infer), datagen, cold-start, stack, compare
  --out F    the Markdown file whose sections are replaced (default BENCHMARKS.md)`;

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), { only: { type: 'string' }, out: { type: 'string', default: path.join(REPO, 'BENCHMARKS.md') }, help: { type: 'boolean', default: false } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const wanted = values.only ? values.only.split(',').map((s) => (s.trim() === 'train' ? 'infer' : s.trim())) : Object.keys(SECTIONS);
  const unknown = wanted.filter((name) => !SECTIONS[name]);
  if (unknown.length > 0) throw new UsageError(`unknown section ${unknown.map((u) => `"${u}"`).join(', ')}; choose from infer, train, ${Object.keys(SECTIONS).slice(1).join(', ')}`);
  for (const name of new Set(wanted)) {
    const make = SECTIONS[name];
    process.stderr.write(`bench: ${name}...\n`);
    for (const section of await make()) {
      process.stdout.write(`${renderSection(section)}\n`);
      writeSection(values.out!, section);
    }
  }
});
