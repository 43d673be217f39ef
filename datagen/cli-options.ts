import { parseArgs } from 'node:util';
import { OptionError } from './errors.js';
import { MODES } from './physics.js';
import { isRobustnessScenario, SCENARIO_NAMES, type RobustnessScenario } from './scenarios/robustness.js';

export const DEFAULT_OUT = 'datasets/power_data_labeled.csv';
export const DEFAULT_ROWS = 3000;

export const USAGE = `usage: npm run datagen -- [--rows N] [--seed N] [--weights normal,blatant,stealth] [--scenario NAME] [--out PATH|-]
  --rows     rows after the header (default ${DEFAULT_ROWS})
  --seed     integer for Python's random.seed (default: the clock, printed)
  --weights  relative mode weights (default 0.6,0.2,0.2, as the original)
  --scenario robustness scenario applied to the original rows (datagen/scenarios/robustness.ts):
             ${SCENARIO_NAMES.join(', ')}; without it, the original's rows byte for byte
  --out      output file, or - for stdout (default ${DEFAULT_OUT})`;

export interface CliOptions {
  rows: number;
  seed: number | bigint;
  /** True when no --seed was given and the seed came from the clock. */
  seedFromClock: boolean;
  weights?: number[];
  /** A robustness scenario; absent: the original generator's rows. */
  scenario?: RobustnessScenario;
  /** A file path, or '-' for stdout. */
  out: string;
  help: boolean;
}

/** Parses datagen's argv; throws OptionError naming the offending option. */
export function parseCliOptions(argv: readonly string[], now: () => number = Date.now): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        rows: { type: 'string' },
        seed: { type: 'string' },
        weights: { type: 'string' },
        scenario: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // node's parseArgs messages already name the option: "Unknown option '--row'".
    const message = (error as Error).message;
    const option = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw new OptionError(option, message, { cause: error });
  }
  const seedText = values.seed as string | undefined;
  const weightsText = values.weights as string | undefined;
  return {
    rows: values.rows === undefined ? DEFAULT_ROWS : parseRows(values.rows as string),
    seed: seedText === undefined ? now() : parseSeed(seedText),
    seedFromClock: seedText === undefined,
    weights: weightsText === undefined ? undefined : parseWeights(weightsText),
    scenario: values.scenario === undefined ? undefined : parseScenario(values.scenario as string),
    out: values.out === undefined ? DEFAULT_OUT : parseOut(values.out as string),
    help: values.help === true,
  };
}

function parseRows(text: string): number {
  const rows = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new OptionError('--rows', `--rows must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return rows;
}

function parseSeed(text: string): number | bigint {
  if (!/^-?\d+$/.test(text)) {
    throw new OptionError('--seed', `--seed must be an integer, got ${JSON.stringify(text)}`);
  }
  const seed = BigInt(text);
  return seed >= BigInt(Number.MIN_SAFE_INTEGER) && seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed;
}

const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseWeights(text: string): number[] {
  const parts = text.split(',');
  const weights = parts.map((part) => (DECIMAL.test(part.trim()) ? Number(part) : NaN));
  if (parts.length !== MODES.length || weights.some((w) => !Number.isFinite(w))) {
    throw new OptionError(
      '--weights',
      `--weights must be ${MODES.length} non-negative numbers for ${MODES.join(',')}, got ${JSON.stringify(text)}`,
    );
  }
  if (!weights.some((w) => w > 0)) {
    throw new OptionError('--weights', `--weights must not all be zero, got ${JSON.stringify(text)}`);
  }
  return weights;
}

function parseScenario(text: string): RobustnessScenario {
  if (!isRobustnessScenario(text)) throw new OptionError('--scenario', `--scenario must be one of ${SCENARIO_NAMES.join(', ')}, got ${JSON.stringify(text)}`);
  return text;
}

function parseOut(text: string): string {
  if (text.length === 0) throw new OptionError('--out', '--out must be a file path or -, got ""');
  return text;
}
