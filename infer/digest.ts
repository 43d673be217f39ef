import { createHash } from 'node:crypto';

/** sha256 of a value's JSON text; JSON prints numbers in shortest round-trip form, so equal numbers give equal digests. */
export function sha256Json(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
