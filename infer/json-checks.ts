import { ArtifactError } from './errors.js';

/**
 * Small typed readers for untrusted JSON. Each names the JSON path it rejects,
 * what it expected and what it found, so a hand-edited artifact fails loudly.
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  return typeof value;
}

export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArtifactError(path, `expected an object, found ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ArtifactError(path, `expected a string, found ${describe(value)}`);
  return value;
}

export function expectLiteral<T extends string | number>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ArtifactError(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, found ${describe(value)}`);
  }
  return value as T;
}

export function expectFinite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArtifactError(path, `expected a finite number, found ${describe(value)}`);
  }
  return value;
}

export function expectPositive(value: unknown, path: string): number {
  const n = expectFinite(value, path);
  if (!(n > 0)) throw new ArtifactError(path, `expected a number > 0, found ${n}`);
  return n;
}

export function expectCount(value: unknown, path: string): number {
  const n = expectFinite(value, path);
  if (!Number.isInteger(n) || n < 0) throw new ArtifactError(path, `expected a whole number >= 0, found ${n}`);
  return n;
}

export function expectArray(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value)) throw new ArtifactError(path, `expected an array, found ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new ArtifactError(path, `expected ${length} entries, found ${value.length}`);
  }
  return value;
}

export function expectNumbers(value: unknown, path: string, length?: number): number[] {
  return expectArray(value, path, length).map((v, i) => expectFinite(v, `${path}[${i}]`));
}

export function expectStrings(value: unknown, path: string, length?: number): string[] {
  return expectArray(value, path, length).map((v, i) => expectString(v, `${path}[${i}]`));
}

/** The artifact header: the named format and the one version this build reads; anything else is refused. */
export function expectHeader(value: unknown, format: string, version: number, kind: string): Record<string, unknown> {
  const o = expectObject(value, '$');
  expectLiteral(o.format, '$.format', [format]);
  const found = expectFinite(o.version, '$.version');
  if (found !== version) throw new ArtifactError('$.version', `unsupported ${kind} version ${found}; this build reads version ${version}`);
  return o;
}
