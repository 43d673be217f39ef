import type { FeatureSet, FeatureSpec } from './artifact.js';
import { DEFAULT_FEATURES } from './calibration.js';
import { ArtifactError, InputError } from './errors.js';
import { expectArray, expectObject, expectString, expectStrings } from './json-checks.js';

/**
 * Engineered feature sets: how a model derives the features it was trained on from the raw inputs the
 * calibration produces. Definitions are data (sums of inputs over sums of inputs), so a model.json carries
 * them and every place that predicts derives the same numbers without shipping code.
 *
 *   value = (sum of `numerator` inputs) / (sum of `denominator` inputs), or just the numerator sum when
 *   `denominator` is empty.
 *
 * The raw five pass through as numerator [name], denominator []. A model without a feature set uses its
 * raw features directly, exactly as before feature sets existed.
 */

/** The raw inputs every built-in set reads: the notebook's five features. */
export const RAW_INPUTS = ['line_voltage', 'c1', 'c2', 'c3', 'feeder'] as const;

const CURRENT_PER_VOLT = 'dataset current unit per V';
const raw = (f: FeatureSpec) => ({ name: f.name, unit: f.unit, numerator: [f.name], denominator: [] });
const perVolt = (name: string) => ({ name: `${name}_per_v`, unit: CURRENT_PER_VOLT, numerator: [name], denominator: ['line_voltage'] });
/** The generator's joining factor (feeder = channel sum / JF): 1.10-1.14 normal, lower under theft. */
const joiningFactor = { name: 'jf', unit: 'ratio', numerator: ['c1', 'c2', 'c3'], denominator: ['feeder'] };

/**
 * Named sets a variants file can ask for. `per-volt`: every current over line voltage (the generator scales
 * each range with line_voltage / 10, so these are voltage-free); `+jf` adds the joining factor.
 */
export const BUILTIN_FEATURE_SETS: Readonly<Record<string, FeatureSet>> = {
  'raw+jf': {
    name: 'raw+jf',
    inputs: [...RAW_INPUTS],
    features: [...DEFAULT_FEATURES.map(raw), joiningFactor],
  },
  'per-volt': { name: 'per-volt', inputs: [...RAW_INPUTS], features: ['c1', 'c2', 'c3', 'feeder'].map(perVolt) },
  'per-volt+jf': { name: 'per-volt+jf', inputs: [...RAW_INPUTS], features: [...['c1', 'c2', 'c3', 'feeder'].map(perVolt), joiningFactor] },
};

/** A feature set checked once and turned into index lists for the hot path. */
export class CompiledFeatureSet {
  readonly definition: FeatureSet;
  readonly inputCount: number;
  readonly outputCount: number;
  readonly specs: FeatureSpec[];
  private readonly num: Int32Array[];
  private readonly den: Int32Array[];

  private constructor(definition: FeatureSet) {
    this.definition = definition;
    this.inputCount = definition.inputs.length;
    this.outputCount = definition.features.length;
    this.specs = definition.features.map((f) => ({ name: f.name, unit: f.unit }));
    const index = (name: string) => definition.inputs.indexOf(name);
    this.num = definition.features.map((f) => Int32Array.from(f.numerator, index));
    this.den = definition.features.map((f) => Int32Array.from(f.denominator, index));
  }

  /** Validates an untrusted definition (from model.json or a variants file); `path` prefixes error paths. */
  static fromJSON(json: unknown, path = '$.featureSet'): CompiledFeatureSet {
    return new CompiledFeatureSet(readFeatureSet(json, path));
  }

  /**
   * Derives `count` rows from a flat row-major matrix of inputs into `out`. A zero denominator or a
   * non-finite result throws an InputError naming the row and the derived feature.
   */
  deriveInto(inputs: ArrayLike<number>, count: number, out: Float64Array): Float64Array {
    const ni = this.inputCount;
    const no = this.outputCount;
    for (let r = 0; r < count; r++) {
      const base = r * ni;
      for (let f = 0; f < no; f++) {
        const num = this.num[f];
        const den = this.den[f];
        let top = 0;
        for (let k = 0; k < num.length; k++) top += inputs[base + num[k]];
        let value = top;
        if (den.length > 0) {
          let bottom = 0;
          for (let k = 0; k < den.length; k++) bottom += inputs[base + den[k]];
          value = top / bottom;
        }
        if (!Number.isFinite(value)) {
          throw new InputError(`derived feature ${this.specs[f].name} is ${value} (a denominator of 0?)`, { row: r, field: this.specs[f].name });
        }
        out[r * no + f] = value;
      }
    }
    return out;
  }
}

/** Checks a feature-set definition: a name, distinct inputs, distinct outputs, every term naming an input. */
export function readFeatureSet(json: unknown, path: string): FeatureSet {
  const o = expectObject(json, path);
  const name = expectString(o.name, `${path}.name`);
  const inputs = expectStrings(o.inputs, `${path}.inputs`);
  if (inputs.length === 0) throw new ArtifactError(`${path}.inputs`, 'expected at least one input, found none');
  if (new Set(inputs).size !== inputs.length) throw new ArtifactError(`${path}.inputs`, 'input names must be distinct');
  const list = expectArray(o.features, `${path}.features`);
  if (list.length === 0) throw new ArtifactError(`${path}.features`, 'expected at least one derived feature, found none');
  const seen = new Set<string>();
  const features = list.map((f, i) => {
    const p = `${path}.features[${i}]`;
    const fo = expectObject(f, p);
    const fname = expectString(fo.name, `${p}.name`);
    if (seen.has(fname)) throw new ArtifactError(`${p}.name`, `duplicate derived feature "${fname}"`);
    seen.add(fname);
    const terms = (key: 'numerator' | 'denominator', min: number) => {
      const names = fo[key] === undefined && key === 'denominator' ? [] : expectStrings(fo[key], `${p}.${key}`);
      if (names.length < min) throw new ArtifactError(`${p}.${key}`, `expected at least ${min} input name, found none`);
      names.forEach((n, k) => {
        if (!inputs.includes(n)) throw new ArtifactError(`${p}.${key}[${k}]`, `expected one of the inputs (${inputs.join(', ')}), found "${n}"`);
      });
      return names;
    };
    return { name: fname, unit: expectString(fo.unit, `${p}.unit`), numerator: terms('numerator', 1), denominator: terms('denominator', 0) };
  });
  return { name, inputs, features };
}
