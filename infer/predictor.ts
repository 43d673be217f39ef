import type { Calibration, FeatureSpec, ModelArtifact } from './artifact.js';
import { modelId } from './digest.js';
import { ArtifactError, InputError } from './errors.js';
import type { CompiledFeatureSet } from './feature-sets.js';
import { parseModelArtifact } from './model-artifact.js';
import { FittedScaler } from './standard-scaler.js';
import type { FittedSvc } from './svc.js';

export interface Prediction {
  label: string;
  classIndex: number;
  /** One-vs-one decision values in pair order (0,1), (0,2), ..., positive votes for the pair's first class. */
  decision: number[];
  /** Names of the features outside the range seen in training (empty when all are inside). */
  outOfRange: string[];
}

/** A row as numbers in the model's feature order, or as an object keyed by feature name (extra keys ignored). */
export type FeatureRow = ArrayLike<number> | Readonly<Record<string, unknown>>;

/** Results of a batch, flat: `classIndex[r]`, and `decision[r * pairCount + p]`. */
export interface BatchScores {
  classIndex: Int32Array;
  decision: Float64Array;
}

/** A validated model + scaler pair, loaded once and used for every prediction. */
export class Predictor {
  readonly artifact: ModelArtifact;
  readonly scaler: FittedScaler;
  readonly svc: FittedSvc;
  /** The raw inputs, in order: what `predict` reads and the calibration produces. */
  readonly features: readonly FeatureSpec[];
  readonly featureNames: readonly string[];
  readonly classes: readonly string[];
  readonly calibration: Calibration;
  /** The engineered features the scaler and SVC work on, when the model has a feature set. */
  readonly featureSet: CompiledFeatureSet | undefined;
  private readonly inputCount: number;
  private readonly rangeMin: Float64Array;
  private readonly rangeMax: Float64Array;
  /** Scaled rows of the current batch, grown as needed: the hot path allocates nothing per row. */
  private scaled: Float64Array;

  private constructor(artifact: ModelArtifact, svc: FittedSvc, scaler: FittedScaler, featureSet: CompiledFeatureSet | undefined) {
    this.artifact = artifact;
    this.svc = svc;
    this.scaler = scaler;
    this.features = artifact.features;
    this.featureNames = artifact.features.map((f) => f.name);
    this.classes = artifact.classes;
    this.calibration = artifact.calibration;
    this.featureSet = featureSet;
    this.inputCount = artifact.features.length;
    this.rangeMin = Float64Array.from(artifact.featureRanges.min);
    this.rangeMax = Float64Array.from(artifact.featureRanges.max);
    this.scaled = new Float64Array(svc.featureCount * 256);
  }

  /** Validates both artifacts and refuses a scaler other than the one the model was trained with. */
  static fromArtifacts(modelJson: unknown, scalerJson: unknown, files: { model?: string; scaler?: string } = {}): Predictor {
    const scaler = inFile(files.scaler, () => FittedScaler.fromJSON(scalerJson));
    return inFile(files.model, () => Predictor.pair(modelJson, scaler));
  }

  private static pair(modelJson: unknown, scaler: FittedScaler): Predictor {
    const { artifact, svc, featureSet } = parseModelArtifact(modelJson);
    const names = (featureSet?.specs ?? artifact.features).map((f) => f.name).join(',');
    const scalerNames = scaler.features.map((f) => f.name).join(',');
    if (names !== scalerNames) {
      throw new ArtifactError(featureSet ? '$.featureSet.features' : '$.features', `model features [${names}] differ from the scaler's [${scalerNames}]`);
    }
    const digest = scaler.digest();
    if (artifact.scaler.digest !== digest) {
      throw new ArtifactError('$.scaler.digest', `model ${artifact.id} was trained with scaler ${artifact.scaler.digest}, but the scaler given is ${digest}`);
    }
    // Last, once the structure is known to be right: the id vouches for every number.
    const expectedId = modelId(svc.toJSON(), artifact.scaler.digest, featureSet?.definition);
    if (artifact.id !== expectedId) {
      throw new ArtifactError('$.id', `${artifact.id} does not match the model's numbers, which give ${expectedId}: the file was edited or damaged`);
    }
    return new Predictor(artifact, svc, scaler, featureSet);
  }

  get id(): string {
    return this.artifact.id;
  }

  get pairCount(): number {
    return this.svc.pairCount;
  }

  /** Class pairs in decision order, e.g. ['normal-c1', 'normal-c2', ...]. */
  pairNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.classes.length; i++) {
      for (let j = i + 1; j < this.classes.length; j++) names.push(`${this.classes[i]}-${this.classes[j]}`);
    }
    return names;
  }

  predict(row: FeatureRow): Prediction {
    return this.predictRow(row, undefined);
  }

  /** Predicts every row; an invalid row throws an InputError naming its index and feature, before any row is scored. */
  predictMany(rows: readonly FeatureRow[]): Prediction[] {
    const flat = new Float64Array(rows.length * this.inputCount);
    rows.forEach((row, r) => this.readRow(row, r, flat, r * this.inputCount));
    const scores = this.scoreValidated(flat, rows.length);
    const p = this.pairCount;
    return Array.from({ length: rows.length }, (_, r) => {
      const c = scores.classIndex[r];
      return {
        label: this.classes[c],
        classIndex: c,
        decision: Array.from(scores.decision.subarray(r * p, (r + 1) * p)),
        outOfRange: this.outOfRange(flat, r * this.inputCount),
      };
    });
  }

  /** One-vs-one decision values of each row, as scikit-learn's decision_function(decision_function_shape='ovo'). */
  decisionFunction(rows: readonly FeatureRow[]): number[][] {
    return this.predictMany(rows).map((p) => p.decision);
  }

  /**
   * The batch hot path: rows as one flat row-major Float64Array of raw features.
   * Validates every value, then scores without allocating per row.
   */
  scoreBatch(flat: Float64Array, count: number, out?: BatchScores): BatchScores {
    const n = this.inputCount;
    if (flat.length < count * n) throw new InputError(`expected ${count * n} values for ${count} rows of ${n} features, found ${flat.length}`);
    for (let i = 0; i < count * n; i++) {
      const v = flat[i];
      if (!Number.isFinite(v)) throw new InputError(`expected a finite number, found ${v}`, { row: Math.floor(i / n), field: this.featureNames[i % n] });
    }
    return this.scoreValidated(flat, count, out);
  }

  private scoreValidated(flat: Float64Array, count: number, out?: BatchScores): BatchScores {
    const n = this.svc.featureCount;
    const p = this.pairCount;
    const result = out ?? { classIndex: new Int32Array(count), decision: new Float64Array(count * p) };
    if (this.scaled.length < count * n) this.scaled = new Float64Array(count * n);
    const scaled = this.featureSet
      ? this.scaler.transformInto(this.featureSet.deriveInto(flat, count, this.scaled), count, this.scaled)
      : this.scaler.transformInto(flat, count, this.scaled);
    for (let r = 0; r < count; r++) result.classIndex[r] = this.svc.decide(scaled, r * n, result.decision, r * p);
    return result;
  }

  private predictRow(row: FeatureRow, index: number | undefined): Prediction {
    const raw = new Float64Array(this.inputCount);
    this.readRow(row, index, raw, 0);
    const features = this.featureSet ? this.featureSet.deriveInto(raw, 1, new Float64Array(this.svc.featureCount)) : raw;
    const scaled = this.scaler.transformInto(features, 1, new Float64Array(this.svc.featureCount));
    const decision = new Float64Array(this.pairCount);
    const c = this.svc.decide(scaled, 0, decision, 0);
    return { label: this.classes[c], classIndex: c, decision: Array.from(decision), outOfRange: this.outOfRange(raw, 0) };
  }

  /** Copies one row into `out` at `offset`, checking width and that every value is a finite number (no coercion). */
  private readRow(row: FeatureRow, index: number | undefined, out: Float64Array, offset: number): void {
    const names = this.featureNames;
    const ctx = (field?: string) => ({ row: index, field });
    if (row === null || typeof row !== 'object') throw new InputError(`expected an array or object of features, found ${row === null ? 'null' : typeof row}`, ctx());
    const isList = Array.isArray(row) || ArrayBuffer.isView(row);
    if (isList) {
      const list = row as ArrayLike<unknown>;
      if (list.length !== names.length) {
        throw new InputError(`expected ${names.length} features (${names.join(', ')}), found ${list.length}`, ctx());
      }
    }
    for (let f = 0; f < names.length; f++) {
      const v = isList ? (row as ArrayLike<unknown>)[f] : (row as Record<string, unknown>)[names[f]];
      if (v === undefined) throw new InputError('missing', ctx(names[f]));
      if (typeof v !== 'number') throw new InputError(`expected a finite number, found ${typeof v === 'string' ? `the string ${JSON.stringify(v)}` : v === null ? 'null' : typeof v}`, ctx(names[f]));
      if (!Number.isFinite(v)) throw new InputError(`expected a finite number, found ${v}`, ctx(names[f]));
      out[offset + f] = v;
    }
  }

  private outOfRange(raw: Float64Array, offset: number): string[] {
    const names: string[] = [];
    for (let f = 0; f < this.inputCount; f++) {
      const v = raw[offset + f];
      if (v < this.rangeMin[f] || v > this.rangeMax[f]) names.push(this.featureNames[f]);
    }
    return names;
  }
}

/** Runs `fn`, naming `file` in any ArtifactError it raises. */
function inFile<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (file && err instanceof ArtifactError && !err.file) throw err.inFile(file);
    throw err;
  }
}
