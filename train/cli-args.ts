import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DECIMAL_NUMBER } from '../infer/feature-table.js';

/** A usage mistake: the CLI prints it with the usage text and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageErrors. A negative number after an
 * option that takes a value is that value (`--coef0 -1`), not an unknown option. With `positionals: false`
 * a stray argument is refused rather than ignored (`train data.csv` would otherwise train on the default data).
 */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, config: { positionals?: boolean } = {}) {
  const args: string[] = [];
  for (const arg of argv) {
    const name = /^--([^=]+)$/.exec(args[args.length - 1] ?? '')?.[1];
    if (name !== undefined && options[name]?.type === 'string' && /^-\.?\d/.test(arg)) args[args.length - 1] = `--${name}=${arg}`;
    else args.push(arg);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: config.positionals ?? true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A decimal number as written on a command line: no hex, binary, blanks or Infinity (Number alone takes all of those). */
export function numberOption(value: string | undefined, name: string, fallback: number, check: (n: number) => boolean = Number.isFinite, expected = 'a number'): number {
  if (value === undefined) return fallback;
  const n = DECIMAL_NUMBER.test(value.trim()) ? Number(value) : Number.NaN;
  if (!check(n)) throw new UsageError(`--${name} must be ${expected}, got ${JSON.stringify(value)}`);
  return n;
}

export function choiceOption<T extends string>(value: string | undefined, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/**
 * Refuses an output path that is one of the command's inputs (the same file, also through a link): writing it
 * would replace what was read, a model with ONNX bytes or the data with a report. `inputs`: what each is, by path.
 */
export async function refuseOverwrite(option: string, out: string, inputs: Record<string, string | undefined>): Promise<void> {
  const identity = async (file: string) => {
    const s = await stat(file).catch(() => undefined);
    return s ? `${s.dev}:${s.ino}` : path.resolve(file);
  };
  const target = await identity(out);
  for (const [what, file] of Object.entries(inputs)) {
    if (file !== undefined && (await identity(file)) === target) throw new UsageError(`--${option} ${out} would overwrite ${what} (${file})`);
  }
}

/** Runs a CLI main: usage errors exit 2 with the usage text, other errors exit 1 with their message. */
export async function runCli(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${usage}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
