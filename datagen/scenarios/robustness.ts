import type { DatasetRow } from '../dataset-row.js';
import { CHANNELS, type Channel } from '../physics.js';
import { roundHalfEven } from '../python-float.js';
import { PythonRandom } from '../random/python-random.js';
import { generateRows } from '../scenarios.js';

/**
 * Robustness scenarios the original README names but its script lacks. Each takes the original generator's
 * rows for a seed (byte-exact, untouched) and perturbs them with a second seeded stream, so a scenario is
 * reproducible from (name, seed, rows) and its rows line up one-to-one with the original ones. Labels keep
 * the ground truth: a perturbation changes what the meter reads, not who is stealing.
 *
 * Values are rounded as the dataset's are (3 decimals, line voltage 2), but scenario rows may leave the
 * ranges the validator accepts (a sagging line, a dead channel): that is the point of testing on them.
 */
export const ROBUSTNESS_SCENARIOS = {
  original: 'the original generator, unchanged (a fresh sample for a new seed)',
  'feeder-low': 'line tampering upstream: the feeder meter reads 5-15 % low on every row',
  'multi-bypass': 'theft rows also tap a second channel, 4-25 % above its draw; the label stays the first victim',
  'sensor-noise': 'Gaussian noise (1 % of the value) on every current, plus an offset per channel drifting linearly to +/-0.03 units',
  'voltage-sag': 'a third of the rows sag to 70-90 % of their line voltage, every current with it (outside the 8-12 V of training)',
  'missing-channel': 'a tenth of the rows lose one transformer channel, which reads 0',
  'stuck-channel': 'one channel freezes: in blocks of 50 rows it repeats the block\'s first reading',
} as const;

export type RobustnessScenario = keyof typeof ROBUSTNESS_SCENARIOS;
export const SCENARIO_NAMES = Object.keys(ROBUSTNESS_SCENARIOS) as RobustnessScenario[];

export interface ScenarioOptions {
  seed: number | bigint;
  rows: number;
  /** Mode weights of the base rows, as the original generator takes them. */
  weights?: readonly number[];
}

/** The perturbation stream: its own seed per scenario, so scenarios never share draws with the base rows. */
function streamFor(name: RobustnessScenario, seed: number | bigint): PythonRandom {
  return new PythonRandom(BigInt(seed) * 1000n + BigInt(SCENARIO_NAMES.indexOf(name) + 1));
}

const r3 = (v: number) => roundHalfEven(v, 3);

/** Standard normal draw (Box-Muller on two uniform draws). */
function gauss(rng: PythonRandom): number {
  const u = 1 - rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
}

export function isRobustnessScenario(name: string): name is RobustnessScenario {
  return Object.hasOwn(ROBUSTNESS_SCENARIOS, name);
}

/** Rows of a named scenario, one at a time (constant memory, like the original generator). */
export function* generateScenarioRows(name: RobustnessScenario, options: ScenarioOptions): Generator<DatasetRow, void, undefined> {
  if (!isRobustnessScenario(name)) throw new RangeError(`unknown scenario "${name}"; choose from ${SCENARIO_NAMES.join(', ')}`);
  const rng = streamFor(name, options.seed);
  const perturb = perturbation(name, rng, options.rows);
  let i = 0;
  for (const row of generateRows({ seed: options.seed, rows: options.rows, weights: options.weights })) yield perturb(row, i++);
}

/** The scenario's change to row `i` of `rows`; draws from `rng` in row order. */
function perturbation(name: RobustnessScenario, rng: PythonRandom, rows: number): (r: DatasetRow, i: number) => DatasetRow {
  switch (name) {
    case 'original':
      return (r) => r;
    case 'feeder-low':
      return (r) => ({ ...r, feeder: r3(r.feeder * rng.uniform(0.85, 0.95)) });
    case 'multi-bypass':
      return (r) => {
        if (r.label === 'normal') return r;
        const second = rng.choice(CHANNELS.filter((c) => c !== r.label));
        const jf = (r.c1 + r.c2 + r.c3) / r.feeder;
        const out = { ...r, [second]: r3(r[second] * rng.uniform(1.04, 1.25)) };
        return { ...out, feeder: r3((out.c1 + out.c2 + out.c3) / jf) };
      };
    case 'sensor-noise': {
      const drift = Object.fromEntries(CHANNELS.map((c) => [c, rng.uniform(-0.03, 0.03)])) as Record<Channel, number>;
      const feederDrift = rng.uniform(-0.03, 0.03);
      const n = Math.max(1, rows - 1);
      return (r, i) => {
        const t = i / n;
        const noisy = (v: number, d: number) => r3(Math.max(0, v * (1 + 0.01 * gauss(rng)) + d * t));
        return { ...r, c1: noisy(r.c1, drift.c1), c2: noisy(r.c2, drift.c2), c3: noisy(r.c3, drift.c3), feeder: noisy(r.feeder, feederDrift) };
      };
    }
    case 'voltage-sag':
      return (r) => {
        if (rng.random() >= 1 / 3) return r;
        const s = rng.uniform(0.7, 0.9);
        return { ...r, line_voltage: roundHalfEven(r.line_voltage * s, 2), c1: r3(r.c1 * s), c2: r3(r.c2 * s), c3: r3(r.c3 * s), feeder: r3(r.feeder * s) };
      };
    case 'missing-channel':
      return (r) => (rng.random() < 0.1 ? { ...r, [rng.choice(CHANNELS)]: 0 } : r);
    case 'stuck-channel': {
      const stuck = rng.choice(CHANNELS);
      let held = 0;
      return (r, i) => {
        if (i % 50 === 0) held = r[stuck];
        return { ...r, [stuck]: held };
      };
    }
  }
}
