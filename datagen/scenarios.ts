import { validateDatasetRow, type DatasetRow } from './dataset-row.js';
import { OptionError } from './errors.js';
import {
  BASE_VOLTAGE,
  BLATANT_OFFSET,
  CHANNELS,
  JF_RANGE,
  LABELS,
  LINE_VOLTAGE_RANGE,
  MODES,
  NORMAL_RANGE,
  type Mode,
  ORIGINAL_MODE_WEIGHTS,
  STEALTH_MAX_FACTOR,
  STEALTH_OFFSET,
  THEFT_MAX,
} from './physics.js';
import { roundHalfEven, roundedDecimalUnits } from './python-float.js';
import { cumulativeWeights, PythonRandom } from './random/python-random.js';

export interface GenerateOptions {
  /** Python `random.seed(seed)`; same seed, same rows as the original script. */
  seed: number | bigint;
  rows: number;
  /** Relative weights of normal, blatant, stealth; the original's 0.6, 0.2, 0.2 by default. */
  weights?: readonly number[];
}

/**
 * Rows in the original script's exact draw order. Options are checked now,
 * rows made as they are pulled. Every row passes validateDatasetRow; one
 * that did not would throw rather than be written.
 */
export function generateRows(options: GenerateOptions): Generator<DatasetRow, void, undefined> {
  const { seed, rows, cumWeights } = checkOptions(options);
  return rowsFrom(new PythonRandom(seed), rows, cumWeights);
}

function* rowsFrom(
  rng: PythonRandom,
  rows: number,
  cumWeights: readonly number[],
): Generator<DatasetRow, void, undefined> {
  for (let i = 0; i < rows; i++) {
    yield validateDatasetRow(generateRow(rng, cumWeights), i + 1);
  }
}

/** Checks public options; returns them with the weights accumulated for `choices`. */
function checkOptions(options: GenerateOptions): {
  seed: number | bigint;
  rows: number;
  cumWeights: number[];
} {
  const { seed, rows, weights = ORIGINAL_MODE_WEIGHTS } = options;
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new OptionError('seed', `seed must be an integer (a bigint beyond 2**53), got ${seed}`);
  }
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new OptionError('rows', `rows must be a non-negative integer, got ${rows}`);
  }
  if (weights.length !== MODES.length) {
    throw new OptionError(
      'weights',
      `weights must have ${MODES.length} values (${MODES.join(', ')}), got ${weights.length}`,
    );
  }
  for (const [i, w] of weights.entries()) {
    if (!Number.isFinite(w) || w < 0) {
      throw new OptionError('weights', `weights must be finite and non-negative, got ${w} for ${MODES[i]}`);
    }
  }
  const cumWeights = cumulativeWeights(weights);
  if (!(cumWeights[cumWeights.length - 1] > 0)) {
    throw new OptionError('weights', 'weights must not all be zero');
  }
  return { seed, rows, cumWeights };
}

/**
 * One row, drawing from rng exactly as GENERATOR.md lists: line voltage,
 * mode, [victim], c1, c2, c3, JF. Assumes checked cumulative weights.
 */
export function generateRow(rng: PythonRandom, cumWeights: readonly number[]): DatasetRow {
  const centivolts = roundedDecimalUnits(rng.uniform(LINE_VOLTAGE_RANGE[0], LINE_VOLTAGE_RANGE[1]), 2);
  const mode = rng.choices(MODE_INDEXES, cumWeights);
  const victim = mode === NORMAL ? -1 : rng.choice(CHANNEL_INDEXES);
  const at = (centivolts - LOWEST_CENTIVOLTS) * BOUNDS_PER_VOLTAGE;
  const c1 = drawRounded(rng, CHANNEL_BOUNDS, at + boundsOffset(0, victim === 0 ? mode : NORMAL));
  const c2 = drawRounded(rng, CHANNEL_BOUNDS, at + boundsOffset(1, victim === 1 ? mode : NORMAL));
  const c3 = drawRounded(rng, CHANNEL_BOUNDS, at + boundsOffset(2, victim === 2 ? mode : NORMAL));
  const jf = drawRounded(rng, JF_BOUNDS, 2 * mode);
  return {
    line_voltage: centivolts / 100,
    label: LABELS[victim + 1], // normal, c1, c2, c3 for victim -1 (none), 0, 1, 2
    c1,
    c2,
    c3,
    feeder: roundHalfEven((c1 + c2 + c3) / jf, 3),
  };
}

/** `round(uniform(lo, hi), 3)` with lo, hi at bounds[offset], bounds[offset + 1]. */
function drawRounded(rng: PythonRandom, bounds: Float64Array, offset: number): number {
  return roundHalfEven(rng.uniform(bounds[offset], bounds[offset + 1]), 3);
}

// Modes and channels by index into MODES and CHANNELS, so that the hot path
// looks bounds up in flat tables.
const MODE_INDEXES = [0, 1, 2] as const;
const CHANNEL_INDEXES = [0, 1, 2] as const;
const NORMAL = MODES.indexOf('normal');

const JF_BOUNDS = Float64Array.from(MODES.flatMap((mode) => JF_RANGE[mode]));

// Line voltage has 401 possible values (8.00..12.00 V), so the scaled draw
// bounds are computed once per value: a [lo, hi] pair per channel and mode,
// indexed by centivolts above the lowest.
const LOWEST_CENTIVOLTS = Math.round(LINE_VOLTAGE_RANGE[0] * 100);
const VOLTAGE_COUNT = Math.round(LINE_VOLTAGE_RANGE[1] * 100) - LOWEST_CENTIVOLTS + 1;
const BOUNDS_PER_VOLTAGE = CHANNELS.length * MODES.length * 2;
const CHANNEL_BOUNDS = Float64Array.from(
  Array.from({ length: VOLTAGE_COUNT }, (_, i) => drawBounds((LOWEST_CENTIVOLTS + i) / 100)).flat(),
);

function boundsOffset(channel: number, mode: number): number {
  return (channel * MODES.length + mode) * 2;
}

/**
 * Every channel's [lo, hi] for every mode at one line voltage, as the
 * original computes them: bounds `round(value * line_voltage / 10, 3)`, a
 * blatant victim from hi + 0.01 to the theft maximum, a stealth victim from
 * hi + 0.005 to 95 % of it. Only the victim uses its mode's pair.
 */
function drawBounds(lineVoltage: number): number[] {
  const scale = (value: number) => roundHalfEven((value * lineVoltage) / BASE_VOLTAGE, 3);
  return CHANNELS.flatMap((channel) => {
    const lo = scale(NORMAL_RANGE[channel][0]);
    const hi = scale(NORMAL_RANGE[channel][1]);
    const theftMax = scale(THEFT_MAX[channel]);
    const pairs: Record<Mode, [number, number]> = {
      normal: [lo, hi],
      blatant: [hi + BLATANT_OFFSET, theftMax],
      stealth: [hi + STEALTH_OFFSET, theftMax * STEALTH_MAX_FACTOR],
    };
    return MODES.flatMap((mode) => pairs[mode]);
  });
}
