/**
 * The feeder/transformer model of the original generator
 * (../shared/reference/GENERATOR.md). Values are given at 10 V and scale
 * linearly with line voltage.
 */

export const CHANNELS = ['c1', 'c2', 'c3'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MODES = ['normal', 'blatant', 'stealth'] as const;
export type Mode = (typeof MODES)[number];

export const LABELS = ['normal', ...CHANNELS] as const;
export type Label = (typeof LABELS)[number];

/** The line voltage at which the ranges below are stated. */
export const BASE_VOLTAGE = 10;

/** Line voltage is drawn uniformly from this range and rounded to 2 decimals. */
export const LINE_VOLTAGE_RANGE = [8.0, 12.0] as const;

/** Channel draw in normal operation, at 10 V. */
export const NORMAL_RANGE: Readonly<Record<Channel, readonly [number, number]>> = {
  c1: [1.0, 1.04],
  c2: [0.96, 1.04],
  c3: [0.96, 1.08],
};

/** Highest draw of a tapped channel, at 10 V. */
export const THEFT_MAX: Readonly<Record<Channel, number>> = { c1: 1.32, c2: 1.36, c3: 1.32 };

/** Joining factor: feeder = (c1 + c2 + c3) / JF. */
export const JF_RANGE: Readonly<Record<Mode, readonly [number, number]>> = {
  normal: [1.1, 1.14],
  blatant: [1.04, 1.08],
  stealth: [1.07, 1.1],
};

/** The original's `choices(..., weights=[0.6, 0.2, 0.2])` over MODES. */
export const ORIGINAL_MODE_WEIGHTS: readonly [number, number, number] = [0.6, 0.2, 0.2];

/** A blatant victim draws from just above its normal range up to THEFT_MAX. */
export const BLATANT_OFFSET = 0.01;
/** A stealth victim stays closer: above normal + 0.005, below 95 % of THEFT_MAX. */
export const STEALTH_OFFSET = 0.005;
export const STEALTH_MAX_FACTOR = 0.95;
