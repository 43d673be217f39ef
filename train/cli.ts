import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KERNEL_TYPES, type GammaSetting } from '../infer/artifact.js';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { MODEL_FILE, SCALER_FILE } from '../infer/load-artifacts.js';
import { choiceOption, numberOption, parseCliArgs, runCli, UsageError } from './cli-args.js';
import { formatClassificationReport, formatConfusionMatrix } from './classification-report.js';
import { SVC_DEFAULTS, type SvcOptions } from './fit-svc.js';
import { DEFAULT_CLASSES, readLabeledCsv } from './labeled-dataset.js';
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
  --cache-size MB      kernel cache (default 200)
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
export function parseClassWeight(value: string | undefined): Record<string, number> | 'balanced' {
  if (value === undefined) return {};
  if (value === 'balanced') return 'balanced';
  const weights: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [name, w] = part.split('=');
    if (!name || w === undefined) throw new UsageError(`--class-weight expects balanced or name=weight,..., got ${JSON.stringify(value)}`);
    weights[name.trim()] = numberOption(w, `class-weight ${name.trim()}`, 1, (n) => Number.isFinite(n) && n > 0, 'a number > 0');
  }
  return weights;
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
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const chosen = values.variant === undefined ? undefined : await readVariant(values.variants!, values.variant, values);
  const dataset = await readLabeledCsv(values.data!, { features: DEFAULT_FEATURES, classes: DEFAULT_CLASSES });
  const testSize = numberOption(values['test-size'], 'test-size', chosen?.settings.testSize ?? 0.2, (n) => n > 0 && n < 1, 'a fraction between 0 and 1');
  const seed = numberOption(values.seed, 'seed', chosen?.settings.splitSeed ?? 42, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32)');
  const weight = parseClassWeight(values['class-weight']);
  const svc: SvcOptions = chosen ? svcOptionsOf(chosen.spec, dataset.y, dataset.classes) : {
    kernel: choiceOption(values.kernel, 'kernel', KERNEL_TYPES, SVC_DEFAULTS.kernel),
    C: numberOption(values.C, 'C', SVC_DEFAULTS.C, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    gamma: parseGamma(values.gamma),
    degree: numberOption(values.degree, 'degree', SVC_DEFAULTS.degree, (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
    coef0: numberOption(values.coef0, 'coef0', SVC_DEFAULTS.coef0),
    tol: numberOption(values.tol, 'tol', SVC_DEFAULTS.tol, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    shrinking: !values['no-shrinking'],
    cacheSizeMb: numberOption(values['cache-size'], 'cache-size', SVC_DEFAULTS.cacheSizeMb, (n) => Number.isFinite(n) && n > 0, 'a number > 0'),
    classWeight: weight === 'balanced' ? balancedWeights(dataset.y, dataset.classes) : weight,
  };
  const options: TrainOptions = {
    protocol: chosen?.spec.protocol ?? choiceOption(values.protocol, 'protocol', ['default', 'notebook'] as const, 'default'),
    testSize,
    seed,
    svc,
  };
  const trained = chosen ? await trainVariant(dataset, chosen.spec, { testSize, seed }) : await trainModel(dataset, options);
  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });
  const reportJson = toReportJson(trained);
  // Written beside, then renamed: a failure never leaves a model paired with another run's scaler.
  await writeAtomically(path.join(outDir, SCALER_FILE), `${JSON.stringify(trained.scaler, null, 2)}\n`);
  await writeAtomically(path.join(outDir, MODEL_FILE), `${JSON.stringify(trained.model, null, 2)}\n`);
  await writeAtomically(path.join(outDir, 'report.json'), `${JSON.stringify(reportJson, null, 2)}\n`);
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
      `model      ${m.id}: ${m.kernel.type} kernel, C ${svc.C}, gamma ${m.kernel.gamma} (${svc.gamma})${chosen ? `; variant ${chosen.spec.name}, features ${chosen.spec.features}` : ''}`,
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

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

await runCli(USAGE, main);
