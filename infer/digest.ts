import { createHash } from 'node:crypto';
import type { SvcParams } from './artifact.js';

/** JSON text with object keys sorted at every level, so equal values always give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** sha256 of a value's canonical JSON; JSON prints numbers in shortest round-trip form, so equal numbers give equal digests. */
export function sha256Json(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * A model's id: `svc-` + 12 hex digits of a sha256 over its numbers, its scaler's digest and its feature
 * set. Training writes it and loading recomputes it, so a hand-edited number cannot keep the old id.
 */
export function modelId(svc: SvcParams, scalerDigest: string, featureSet?: unknown): string {
  const { classes, kernel, vectorsPerClass, supportVectors, dualCoef, intercepts } = svc;
  return `svc-${sha256Json({ svc: { classes, kernel, vectorsPerClass, supportVectors, dualCoef, intercepts }, scaler: scalerDigest, featureSet }).slice(0, 12)}`;
}
