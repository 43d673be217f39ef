/** Base of every error the datagen area throws. */
export class DatagenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatagenError';
  }
}

/** A generator or CLI option is malformed; `option` names it, as does the message. */
export class OptionError extends DatagenError {
  constructor(
    readonly option: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OptionError';
  }
}

export interface DatasetRowIssue {
  field: string;
  value: unknown;
  expected: string;
}

/** A dataset row is outside what the sensors and the physics allow. */
export class DatasetRowError extends DatagenError {
  constructor(
    readonly issues: readonly DatasetRowIssue[],
    readonly rowNumber?: number,
  ) {
    const where = rowNumber === undefined ? 'dataset row' : `dataset row ${rowNumber}`;
    const details = issues
      .map((issue) => `${issue.field} ${issue.expected}, got ${formatValue(issue.value)}`)
      .join('; ');
    super(`${where}: ${details}`);
    this.name = 'DatasetRowError';
  }

  get fields(): string[] {
    return this.issues.map((issue) => issue.field);
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
