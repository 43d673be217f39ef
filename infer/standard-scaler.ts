import {
  SCALER_FORMAT,
  SCALER_VERSION,
  type FeatureSpec,
  type ScalerArtifact,
} from './artifact.js';
import { sha256Json } from './digest.js';
import { ArtifactError } from './errors.js';
import { expectArray, expectCount, expectHeader, expectNumbers, expectObject, expectPositive, expectString } from './json-checks.js';

/** A fitted StandardScaler: (x - mean) / scale per feature, in float64 as scikit-learn computes it. */
export class FittedScaler {
  readonly features: readonly FeatureSpec[];
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly samples: number;

  private constructor(features: FeatureSpec[], mean: Float64Array, scale: Float64Array, samples: number) {
    this.features = features;
    this.mean = mean;
    this.scale = scale;
    this.samples = samples;
  }

  /** Builds a scaler from statistics already validated by the caller (training). */
  static fromStatistics(features: FeatureSpec[], mean: ArrayLike<number>, scale: ArrayLike<number>, samples: number): FittedScaler {
    return FittedScaler.fromJSON({
      format: SCALER_FORMAT,
      version: SCALER_VERSION,
      features,
      mean: Array.from(mean),
      scale: Array.from(scale),
      samples,
    });
  }

  static fromJSON(json: unknown): FittedScaler {
    const o = expectHeader(json, SCALER_FORMAT, SCALER_VERSION, 'scaler');
    const features = readFeatures(o.features, '$.features');
    const n = features.length;
    const mean = expectNumbers(o.mean, '$.mean', n);
    const scale = expectArray(o.scale, '$.scale', n).map((v, i) => expectPositive(v, `$.scale[${i}]`));
    const samples = expectCount(o.samples, '$.samples');
    return new FittedScaler(features, Float64Array.from(mean), Float64Array.from(scale), samples);
  }

  toJSON(): ScalerArtifact {
    return {
      format: SCALER_FORMAT,
      version: SCALER_VERSION,
      features: this.features.map((f) => ({ ...f })),
      mean: Array.from(this.mean),
      scale: Array.from(this.scale),
      samples: this.samples,
    };
  }

  /** Identifies this scaler's numbers; a model records it and refuses to load with another scaler. */
  digest(): string {
    return `sha256:${sha256Json({ features: this.features, mean: Array.from(this.mean), scale: Array.from(this.scale) })}`;
  }

  /** Scales `count` rows of a flat row-major matrix into `out` (may be the same array). Division, not a reciprocal multiply, to match scikit-learn bit for bit. */
  transformInto(rows: ArrayLike<number>, count: number, out: Float64Array): Float64Array {
    const n = this.mean.length;
    for (let r = 0; r < count; r++) {
      const base = r * n;
      for (let f = 0; f < n; f++) out[base + f] = (rows[base + f] - this.mean[f]) / this.scale[f];
    }
    return out;
  }
}

export function readFeatures(value: unknown, path: string): FeatureSpec[] {
  const list = expectArray(value, path);
  if (list.length === 0) throw new ArtifactError(path, 'expected at least one feature, found none');
  const features = list.map((f, i) => {
    const o = expectObject(f, `${path}[${i}]`);
    return { name: expectString(o.name, `${path}[${i}].name`), unit: expectString(o.unit, `${path}[${i}].unit`) };
  });
  const seen = new Set<string>();
  features.forEach((f, i) => {
    if (seen.has(f.name)) throw new ArtifactError(`${path}[${i}].name`, `duplicate feature name "${f.name}"`);
    seen.add(f.name);
  });
  return features;
}
