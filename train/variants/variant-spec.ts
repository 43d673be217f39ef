import { parse as parseYaml } from 'yaml';
import { KERNEL_TYPES, type FeatureSet, type GammaSetting, type KernelType, type ScalerProtocol } from '../../infer/artifact.js';
import { ArtifactError } from '../../infer/errors.js';
import { BUILTIN_FEATURE_SETS, RAW_INPUTS, readFeatureSet } from '../../infer/feature-sets.js';
import { SVC_DEFAULTS } from '../fit-svc.js';
import { VariantsFileError } from './errors.js';

/**
 * A variants file (YAML or JSON, e.g. variants.example.yaml) declares what `npm run compare` runs:
 * settings for the split, cross validation and metrics, custom feature sets, and variants whose
 * parameters may be lists; every combination of the listed values becomes one variant.
 */

/**
 * Model families. Only our SVC: ml-random-forest 2.1.0 was measured on the reference split and left out
 * (10-30 trees: 6-137 s to fit 2,400 rows against 0.02-0.3 s for the SVC, 35-93 us per prediction against
 * 1-7, macro F1 0.93 raw / 0.994 per-volt+jf against 0.98-0.998), so one forest would cost more than the
 * whole 72-fit grid.
 */
export const FAMILIES = ['svc'] as const;
export type Family = (typeof FAMILIES)[number];
export const SELECT_METRICS = ['macroF1', 'accuracy', 'theftRecall', 'prAuc'] as const;
export type SelectMetric = (typeof SELECT_METRICS)[number];
/** The raw five features, no engineered set: the artifact then carries no featureSet. */
export const RAW_FEATURES = 'raw';

export type ClassWeightSetting = 'none' | 'balanced' | Record<string, number>;

/** One concrete variant: everything a worker needs to fit it, serializable as JSON. */
export interface VariantSpec {
  name: string;
  family: Family;
  /** `raw` or the name of a feature set. */
  features: string;
  /** The feature set's definition; absent for `raw`. */
  featureSet?: FeatureSet;
  protocol: ScalerProtocol;
  kernel: KernelType;
  C: number;
  gamma: GammaSetting;
  degree: number;
  coef0: number;
  classWeight: ClassWeightSetting;
}

export interface CompareSettings {
  /** Held-out fraction and numpy seed of the split; 0.2 and 42 are the notebook's. */
  testSize: number;
  splitSeed: number;
  folds: number;
  cvSeed: number;
  /** Cross-validated metric (fold mean) that chooses the variant to ship. */
  selectBy: SelectMetric;
  /** Variant the chosen one is compared against on the test split (the notebook's model). */
  baseline: string | undefined;
  /** Fraction of readings inspectors can visit: precision is measured on the top-scored fraction. */
  inspectionBudget: number;
  /** Theft prevalences at which the metrics are re-weighted (the reference data is 40 % theft). */
  prevalences: number[];
}

export interface VariantsPlan {
  file: string | undefined;
  settings: CompareSettings;
  variants: VariantSpec[];
}

export const DEFAULT_SETTINGS: CompareSettings = {
  testSize: 0.2,
  splitSeed: 42,
  folds: 5,
  cvSeed: 0,
  selectBy: 'macroF1',
  baseline: undefined,
  inspectionBudget: 0.05,
  prevalences: [0.01, 0.085, 0.4],
};

/** Grid keys in name order, with the short tag each contributes to a generated variant name. */
const GRID_KEYS = {
  family: 'm',
  features: 'f',
  protocol: 'p',
  kernel: 'k',
  C: 'C',
  gamma: 'g',
  degree: 'd',
  coef0: 'r',
  classWeight: 'w',
} as const;
type GridKey = keyof typeof GRID_KEYS;
const VARIANT_KEYS = new Set<string>(['name', ...Object.keys(GRID_KEYS)]);
const TOP_KEYS = new Set(['split', 'cv', 'selectBy', 'baseline', 'inspectionBudget', 'prevalences', 'featureSets', 'variants']);

/** Parses and expands a variants file's text (YAML, or JSON, which YAML reads too). */
export function parseVariantsFile(text: string, file?: string): VariantsPlan {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new VariantsFileError('$', `not valid YAML or JSON: ${(err as Error).message}`, { file, cause: err });
  }
  try {
    return readPlan(doc, file);
  } catch (err) {
    if (err instanceof VariantsFileError && !err.file && file) throw new VariantsFileError(err.path, err.detail, { file, cause: err.cause });
    if (err instanceof ArtifactError) throw new VariantsFileError(err.path, err.detail, { file, cause: err });
    throw err;
  }
}

function readPlan(doc: unknown, file: string | undefined): VariantsPlan {
  const o = object(doc, '$');
  unknownKeys(o, TOP_KEYS, '$');
  const split = o.split === undefined ? {} : object(o.split, '$.split');
  unknownKeys(split, new Set(['testSize', 'seed']), '$.split');
  const cv = o.cv === undefined ? {} : object(o.cv, '$.cv');
  unknownKeys(cv, new Set(['folds', 'seed']), '$.cv');
  const d = DEFAULT_SETTINGS;
  const settings: CompareSettings = {
    testSize: split.testSize === undefined ? d.testSize : fraction(split.testSize, '$.split.testSize'),
    splitSeed: split.seed === undefined ? d.splitSeed : seed(split.seed, '$.split.seed'),
    folds: cv.folds === undefined ? d.folds : integer(cv.folds, '$.cv.folds', 2),
    cvSeed: cv.seed === undefined ? d.cvSeed : seed(cv.seed, '$.cv.seed'),
    selectBy: o.selectBy === undefined ? d.selectBy : choice(o.selectBy, '$.selectBy', SELECT_METRICS),
    baseline: o.baseline === undefined ? undefined : text(o.baseline, '$.baseline'),
    inspectionBudget: o.inspectionBudget === undefined ? d.inspectionBudget : fraction(o.inspectionBudget, '$.inspectionBudget'),
    prevalences: o.prevalences === undefined ? [...d.prevalences] : list(o.prevalences, '$.prevalences').map((p, i) => fraction(p, `$.prevalences[${i}]`)),
  };
  const featureSets: Record<string, FeatureSet> = { ...BUILTIN_FEATURE_SETS };
  if (o.featureSets !== undefined) {
    list(o.featureSets, '$.featureSets').forEach((fs, i) => {
      const def = readFeatureSet(fs, `$.featureSets[${i}]`);
      if (def.name === RAW_FEATURES || featureSets[def.name]) throw new VariantsFileError(`$.featureSets[${i}].name`, `feature set "${def.name}" is already defined`);
      if (def.inputs.join(',') !== RAW_INPUTS.join(',')) {
        throw new VariantsFileError(`$.featureSets[${i}].inputs`, `expected the raw inputs ${RAW_INPUTS.join(', ')} in that order, found ${def.inputs.join(', ')}`);
      }
      featureSets[def.name] = def;
    });
  }
  const entries = list(o.variants, '$.variants');
  if (entries.length === 0) throw new VariantsFileError('$.variants', 'expected at least one variant, found none');
  const variants = entries.flatMap((v, i) => expandVariant(v, `$.variants[${i}]`, featureSets));
  const seen = new Set<string>();
  for (const v of variants) {
    if (seen.has(v.name)) throw new VariantsFileError('$.variants', `two variants are named "${v.name}"; give each entry its own name`);
    seen.add(v.name);
  }
  if (settings.baseline !== undefined && !seen.has(settings.baseline)) {
    throw new VariantsFileError('$.baseline', `expected the name of a variant (${[...seen].join(', ')}), found "${settings.baseline}"`);
  }
  return { file, settings, variants };
}

/** One entry, with lists expanded into the cartesian product; names get a tag for each listed key, e.g. `ratios-C10-gscale`. */
export function expandVariant(value: unknown, path: string, featureSets: Readonly<Record<string, FeatureSet>> = BUILTIN_FEATURE_SETS): VariantSpec[] {
  const o = object(value, path);
  unknownKeys(o, VARIANT_KEYS, path);
  const name = text(o.name, `${path}.name`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) throw new VariantsFileError(`${path}.name`, `use letters, digits and . _ + - (the name becomes a file name), found "${name}"`);
  const axes = (Object.keys(GRID_KEYS) as GridKey[]).map((key) => {
    const raw = o[key];
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw new VariantsFileError(`${path}.${key}`, 'expected a value or a non-empty list, found an empty list');
    return { key, values: values.map((v, i) => readValue(key, v, Array.isArray(raw) ? `${path}.${key}[${i}]` : `${path}.${key}`, featureSets)) };
  });
  const combos: VariantSpec[] = [];
  const walk = (k: number, acc: Partial<VariantSpec>, tags: string[]) => {
    if (k === axes.length) {
      const spec = { name: [name, ...tags].join('-'), ...acc } as VariantSpec;
      if (spec.features !== RAW_FEATURES) spec.featureSet = featureSets[spec.features];
      combos.push(spec);
      return;
    }
    const { key, values } = axes[k];
    values.forEach((v, i) => {
      const tag = values.length > 1 ? [`${GRID_KEYS[key]}${tagOf(v, i)}`] : [];
      walk(k + 1, { ...acc, [key]: v }, [...tags, ...tag]);
    });
  };
  walk(0, {}, []);
  return combos;
}

function readValue(key: GridKey, v: unknown, path: string, featureSets: Readonly<Record<string, FeatureSet>>): unknown {
  switch (key) {
    case 'family':
      return v === undefined ? 'svc' : choice(v, path, FAMILIES);
    case 'features': {
      if (v === undefined) return RAW_FEATURES;
      const name = text(v, path);
      if (name !== RAW_FEATURES && !featureSets[name]) {
        throw new VariantsFileError(path, `expected ${RAW_FEATURES} or a feature set (${Object.keys(featureSets).join(', ')}), found "${name}"`);
      }
      return name;
    }
    case 'protocol':
      return v === undefined ? 'default' : choice(v, path, ['default', 'notebook'] as const);
    case 'kernel':
      return v === undefined ? SVC_DEFAULTS.kernel : choice(v, path, KERNEL_TYPES);
    case 'C':
      return v === undefined ? SVC_DEFAULTS.C : positive(v, path);
    case 'gamma':
      if (v === undefined) return SVC_DEFAULTS.gamma;
      return v === 'scale' || v === 'auto' ? v : positive(v, path);
    case 'degree':
      return v === undefined ? SVC_DEFAULTS.degree : integer(v, path, 0);
    case 'coef0':
      return v === undefined ? SVC_DEFAULTS.coef0 : finite(v, path);
    case 'classWeight': {
      if (v === undefined || v === 'none') return 'none';
      if (v === 'balanced') return 'balanced';
      const w = object(v, path);
      return Object.fromEntries(Object.entries(w).map(([k, x]) => [k, positive(x, `${path}.${k}`)]));
    }
  }
}

function tagOf(v: unknown, index: number): string {
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  return String(index);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VariantsFileError(path, `expected a mapping, found ${describe(v)}`);
  return v as Record<string, unknown>;
}

function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new VariantsFileError(path, `expected a list, found ${describe(v)}`);
  return v;
}

function text(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new VariantsFileError(path, `expected a non-empty string, found ${describe(v)}`);
  return v;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VariantsFileError(path, `expected a number, found ${describe(v)}`);
  return v;
}

function positive(v: unknown, path: string): number {
  const n = finite(v, path);
  if (!(n > 0)) throw new VariantsFileError(path, `expected a number > 0, found ${n}`);
  return n;
}

function fraction(v: unknown, path: string): number {
  const n = finite(v, path);
  if (!(n > 0 && n < 1)) throw new VariantsFileError(path, `expected a fraction between 0 and 1 (exclusive), found ${n}`);
  return n;
}

function integer(v: unknown, path: string, min: number): number {
  const n = finite(v, path);
  if (!Number.isInteger(n) || n < min) throw new VariantsFileError(path, `expected a whole number >= ${min}, found ${n}`);
  return n;
}

function seed(v: unknown, path: string): number {
  const n = integer(v, path, 0);
  if (n >= 2 ** 32) throw new VariantsFileError(path, `expected a seed below 2^32, found ${n}`);
  return n;
}

function choice<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new VariantsFileError(path, `expected one of ${allowed.join(', ')}, found ${describe(v)}`);
  return v as T;
}

function unknownKeys(o: Record<string, unknown>, known: Set<string>, path: string): void {
  for (const k of Object.keys(o)) {
    if (!known.has(k)) throw new VariantsFileError(`${path}.${k}`, `unknown key (expected one of ${[...known].join(', ')})`);
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v;
}
