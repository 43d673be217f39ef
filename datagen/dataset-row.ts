import { DatasetRowError, type DatasetRowIssue } from './errors.js';
import { BASE_VOLTAGE, CHANNELS, JF_RANGE, LABELS, MODES, THEFT_MAX, type Channel, type Label } from './physics.js';

/** One training row, in dataset units (channel ≈ 1.0 at 10 V, not milliamps). */
export interface DatasetRow {
  line_voltage: number;
  label: Label;
  c1: number;
  c2: number;
  c3: number;
  feeder: number;
}

/** INA219 bus-voltage range (datasheet: 0–26 V). */
export const LINE_VOLTAGE_MAX = 26;

/**
 * Headroom over the theft maximum before a channel counts as impossible
 * rather than heavy theft; generous so real meters with noise still pass.
 */
export const CHANNEL_MARGIN = 1.5;

/** Slack on the joining factor implied by c1..c3 and feeder. */
export const JF_TOLERANCE = 0.05;

/** Every value is rounded to 3 decimals; four of them feed the feeder check. */
const ROUNDING_SLACK = 0.002;

const JF_MIN = Math.min(...MODES.map((mode) => JF_RANGE[mode][0])) - JF_TOLERANCE;
const JF_MAX = Math.max(...MODES.map((mode) => JF_RANGE[mode][1])) + JF_TOLERANCE;

const MAX_PER_VOLT: Readonly<Record<Channel, number>> = {
  c1: (THEFT_MAX.c1 * CHANNEL_MARGIN) / BASE_VOLTAGE,
  c2: (THEFT_MAX.c2 * CHANNEL_MARGIN) / BASE_VOLTAGE,
  c3: (THEFT_MAX.c3 * CHANNEL_MARGIN) / BASE_VOLTAGE,
};

/** The largest plausible value of a channel at a line voltage. */
export function channelMax(channel: Channel, lineVoltage: number): number {
  return MAX_PER_VOLT[channel] * lineVoltage;
}

/**
 * Checks a row against the sensor ranges and the feeder model; throws a
 * DatasetRowError listing every offending field. Rows from the generator
 * always pass; the training loader runs the same check on CSV input so that
 * an impossible reading never enters training with a theft label.
 */
export function validateDatasetRow(row: unknown, rowNumber?: number): DatasetRow {
  const issues = datasetRowIssues(row);
  if (issues.length > 0) throw new DatasetRowError(issues, rowNumber);
  return row as DatasetRow;
}

function datasetRowIssues(row: unknown): DatasetRowIssue[] {
  if (typeof row !== 'object' || row === null) {
    return [{ field: 'row', value: row, expected: 'must be an object' }];
  }
  const record = row as Record<string, unknown>;
  const issues: DatasetRowIssue[] = [];

  const label = record.label;
  if (!(LABELS as readonly unknown[]).includes(label)) {
    issues.push({ field: 'label', value: label, expected: `must be one of ${LABELS.join(', ')}` });
  }

  const lineVoltage = record.line_voltage;
  const lineVoltageOk = inRange(lineVoltage, 0, LINE_VOLTAGE_MAX);
  if (!lineVoltageOk) {
    issues.push({
      field: 'line_voltage',
      value: lineVoltage,
      expected: `must be a number in [0, ${LINE_VOLTAGE_MAX}] V (INA219 bus range)`,
    });
  }
  const voltageForLimits = lineVoltageOk ? (lineVoltage as number) : LINE_VOLTAGE_MAX;

  // NaN marks a channel already reported.
  const c1 = checkChannel('c1', record.c1, voltageForLimits, issues);
  const c2 = checkChannel('c2', record.c2, voltageForLimits, issues);
  const c3 = checkChannel('c3', record.c3, voltageForLimits, issues);
  const channelSum = c1 + c2 + c3;

  const feeder = record.feeder;
  if (!Number.isNaN(channelSum)) {
    const lo = Math.max(0, channelSum / JF_MAX - ROUNDING_SLACK);
    const hi = channelSum / JF_MIN + ROUNDING_SLACK;
    if (!inRange(feeder, lo, hi)) {
      issues.push({
        field: 'feeder',
        value: feeder,
        expected:
          `must be (c1 + c2 + c3) / JF with JF in [${JF_MIN.toFixed(2)}, ${JF_MAX.toFixed(2)}], ` +
          `i.e. in [${lo.toFixed(3)}, ${hi.toFixed(3)}]`,
      });
    }
  } else {
    const maxSum = CHANNELS.reduce((sum, channel) => sum + channelMax(channel, voltageForLimits), 0);
    const hi = maxSum / JF_MIN + ROUNDING_SLACK;
    if (!inRange(feeder, 0, hi)) {
      issues.push({ field: 'feeder', value: feeder, expected: `must be a number in [0, ${hi.toFixed(3)}]` });
    }
  }
  return issues;
}

/** The channel's value if plausible, else NaN after recording the issue. */
function checkChannel(channel: Channel, value: unknown, lineVoltage: number, issues: DatasetRowIssue[]): number {
  const max = channelMax(channel, lineVoltage);
  if (inRange(value, 0, max)) return value as number;
  issues.push({ field: channel, value, expected: `must be a number in [0, ${max.toFixed(3)}] at ${lineVoltage} V` });
  return NaN;
}

function inRange(value: unknown, lo: number, hi: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= lo && value <= hi;
}
