/** Base class of every error raised by the meter contract (payload, prediction message, serial log). */
export class FirmwareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FirmwareError';
  }
}

/** One thing wrong with a message: the dotted field (`$` for the whole message) and what was wrong with it. */
export interface PayloadIssue {
  field: string;
  message: string;
}

/**
 * A message that does not satisfy the contract. It lists every problem found, each naming its field,
 * so that a reply or log line says exactly what the meter got wrong.
 */
export class PayloadError extends FirmwareError {
  readonly issues: readonly PayloadIssue[];
  readonly device: string | undefined;
  constructor(issues: readonly PayloadIssue[], options?: { cause?: unknown; device?: string; what?: string }) {
    const what = options?.what ?? 'telemetry payload';
    const from = options?.device ? ` from ${options.device}` : '';
    super(`invalid ${what}${from}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, options);
    this.name = 'PayloadError';
    this.issues = issues;
    this.device = options?.device;
  }

  /** The fields named by the issues, e.g. `['feeder.current']`. */
  get fields(): string[] {
    return this.issues.map((i) => i.field);
  }
}

/** Text from a message, quoted for an error: control characters escaped, cut at 40 characters (a field may be megabytes). */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
