import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { KERNEL_TYPES, type GammaSetting } from '../infer/artifact.js';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { MODEL_FILE, SCALER_FILE } from '../infer/load-artifacts.js';
import { choiceOption, numberOption, parseCliArgs, runCli, UsageError } from './cli-args.js';
import { formatClassificationReport, formatConfusionMatrix } from './classification-report.js';
import { SVC_DEFAULTS, type SvcOptions } from './fit-svc.js';
import { TrainingError } from './errors.js';
import { DEFAULT_CLASSES, readLabeledCsv } from './labeled-dataset.js';
import { writeFilesAtomically } from './onnx/write-file-atomically.js';
import { toReportJson } from './report-json.js';
import { trainModel, type TrainOptions } from './train-model.js';
import { trainVariant, svcOptionsOf } from './variants/train-variant.js';
import { readVariant } from './variants/variant-option.js';

const USAGE = `usage: npm run train -- [options]

  --data PATH          labelled CSV (default datasets/power_data_labeled.csv)
  --out DIR            where model.json, scaler.json and report.json go (default models)
  --protocol P         default: scaler fitted on the training split only;
                       notebook: scaler on all rows, then the split (the original notebook)
  --test-size F        held-out fraction (default 0.2)
  --seed N             split seed, numpy RandomState (default 42)
  --kernel K           rbf | linear | poly | sigmoid (default rbf)
  --C X                regularization (default 1)
  --gamma G            scale | auto | a number > 0 (default scale)
  --degree N           poly degree (default 3)
  --coef0 X            poly/sigmoid offset (default 0)
  --tol X              solver tolerance (default 0.001)
  --no-shrinking       turn off libsvm's shrinking heuristic
  --cache-size MB      kernel cache, below 2048 (default 200)
  --class-weight W     balanced, or per class: normal=1,c1=2,...
  --variant NAME       train a variant from a variants file (npm run compare) instead of the flags above;
                       its split settings apply unless --test-size / --seed are given
  --variants FILE      the variants file for --variant (default variants.example.yaml)
  --json               print the report as JSON instead of text`;

export function parseGamma(value: string | undefined): GammaSetting {
  if (value === undefined || value === 'scale' || value === 'auto') return value ?? 'scale';
  return numberOption(value, 'gamma', 0, (n) => Number.isFinite(n) && n > 0, 'scale, auto or a number > 0');
}

/** `balanced` is scikit-learn's n_samples / (n_classes * count(class)), over the training rows. */
export function parseClassWeight(value: string | undefined, classes: readonly string[]): Record<string, number> | 'balanced' {
  if (value === undefined) return {};
  if (value === 'balanced') return 'balanced';
  const weights = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, w] = part.split('=').map((t) => t.trim());
    if (!name || w === undefined) throw new UsageError(`--class-weight expects balanced or name=weight,..., got ${JSON.stringify(value)}`);
    if (!classes.includes(name)) throw new UsageError(`--class-weight names unknown class ${JSON.stringify(name)}; classes: ${classes.join(', ')}`);
    if (weights.has(name)) throw new UsageError(`--class-weight gives class ${name} twice`);
    weights.set(name, numberOption(w, `class-weight ${name}`, 1, (n) => Number.isFinite(n) && n > 0, 'a number > 0'));
  }
  return Object.fromEntries(weights);
}

/** The output folder, made before training so that a bad --out fails in a second, not after the fit. */
async function prepareOutDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${dir} is a file; expected a folder for ${MODEL_FILE}, ${SCALER_FILE} and report.json`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new TrainingError(`--out ${dir}: cannot write there: ${(err as Error).message}`, { cause: err });
  }
}

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
    data: { type: 'string', default: 'datasets/power_data_labeled.csv' },
    out: { type: 'string', default: 'models' },
    protocol: { type: 'string' },
    'test-size': { type: 'string' },
    seed: { type: 'string' },
    kernel: { type: 'string' },
    C: { type: 'string' },
    gamma: { type: 'string' },
    degree: { type: 'string' },
    coef0: { type: 'string' },
    tol: { type: 'string' },
    'no-shrinking': { type: 'boolean', default: false },
    'cache-size': { type: 'string' },
    'class-weight': { type: 'string' },
    variant: { type: 'string' },
    variants: { type: 'string', default: 'variants.example.yaml' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  }, { positionals: false });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.data === '' || values.out === '') throw new UsageError(`--${values.data === '' ? 'data' : 'out'} needs a path, got an empty string`);
  const chosen = values.variant === undefined ? undefined : await readVariant(values.variants!, values.variant, values);
  const testSize = numberOption(values['test-size'], 'test-size', chosen?.settings.testSize ?? 0.2, (n) => n > 0 && n < 1, 'a fraction between 0 and 1');
  const seed = numberOption(values.seed, 'seed', chosen?.settings.splitSeed ?? 42, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32)');
  const weight = parseClassWeight(values['class-weight'], DEFAULT_CLASSES);
  const flags: Omit<SvcOptions, 'classWeight'> = {
    kernel: choiceOption(values.kernel, 'kernel', KERNEL_TYPES, SVC_DEFAULTS.kernel),
    C: numberOption(values.C, 'C', SVC_DEFAULTS.C, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    gamma: parseGamma(values.gamma),
    degree: numberOption(values.degree, 'degree', SVC_DEFAULTS.degree, (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
    coef0: numberOption(values.coef0, 'coef0', SVC_DEFAULTS.coef0),
    tol: numberOption(values.tol, 'tol', SVC_DEFAULTS.tol, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    shrinking: !values['no-shrinking'],
    // libsvm-js is 32-bit WebAssembly: libsvm turns the cache size into bytes in a long, which overflows at 2048 MB.
    cacheSizeMb: numberOption(values['cache-size'], 'cache-size', SVC_DEFAULTS.cacheSizeMb, (n) => n > 0 && n < 2048, 'a number > 0 and below 2048'),
  };
  const protocol = chosen?.spec.protocol ?? choiceOption(values.protocol, 'protocol', ['default', 'notebook'] as const, 'default');
  const outDir = values.out!;
  await prepareOutDir(outDir);
  const dataset = await readLabeledCsv(values.data!, { features: DEFAULT_FEATURES, classes: DEFAULT_CLASSES });
  const svc: SvcOptions = chosen
    ? svcOptionsOf(chosen.spec, dataset.y, dataset.classes)
    : { ...flags, classWeight: weight === 'balanced' ? balancedWeights(dataset.y, dataset.classes) : weight };
  const options: TrainOptions = { protocol, testSize, seed, svc };
  const trained = chosen ? await trainVariant(dataset, chosen.spec, { testSize, seed }) : await trainModel(dataset, options);
  const reportJson = toReportJson(trained);
  // All three complete before any replaces its predecessor: never a new scaler beside an old model.
  await writeFilesAtomically([
    { file: path.join(outDir, SCALER_FILE), data: `${JSON.stringify(trained.scaler, null, 2)}\n` },
    { file: path.join(outDir, MODEL_FILE), data: `${JSON.stringify(trained.model, null, 2)}\n` },
    { file: path.join(outDir, 'report.json'), data: `${JSON.stringify(reportJson, null, 2)}\n` },
  ]);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(reportJson, null, 2)}\n`);
    return;
  }
  const m = trained.model;
  const t = trained.timings;
  process.stdout.write(
    [
      `dataset    ${dataset.file} (${dataset.table.count} rows, sha256 ${dataset.sha256.slice(0, 12)}…)`,
      `protocol   ${options.protocol}${options.protocol === 'notebook' ? ' (scaler fitted on all rows before the split, as the original notebook)' : ' (scaler fitted on the training split only)'}`,
      `split      ${m.training.trainRows} train / ${m.training.testRows} test, test size ${testSize}, seed ${seed}`,
      `model      ${m.id}: ${m.kernel.type} kernel, C ${svc.C}${m.kernel.type === 'linear' ? '' : `, gamma ${m.kernel.gamma} (${svc.gamma})`}${chosen ? `; variant ${chosen.spec.name}, features ${chosen.spec.features}` : ''}`,
      `support    ${m.supportVectors.length} vectors, per class ${m.classes.map((c, i) => `${c} ${m.vectorsPerClass[i]}`).join(', ')}`,
      '',
      formatClassificationReport(trained.report),
      '',
      `confusion matrix (rows true ${m.classes.join(',')}; columns predicted)`,
      formatConfusionMatrix(trained.report.confusionMatrix),
      '',
      `timings    fit ${t.fitMs.toFixed(1)} ms, scaler ${t.scalerMs.toFixed(1)} ms, evaluate ${t.evaluateMs.toFixed(1)} ms, total ${t.totalMs.toFixed(1)} ms`,
      `wrote      ${path.join(outDir, MODEL_FILE)}, ${path.join(outDir, SCALER_FILE)}, ${path.join(outDir, 'report.json')}`,
      '',
    ].join('\n'),
  );
}

function balancedWeights(y: Int32Array, classes: string[]): Record<string, number> {
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of y) counts[c]++;
  return Object.fromEntries(classes.map((name, c) => [name, y.length / (classes.length * Math.max(counts[c], 1))]));
}

await runCli(USAGE, main);
