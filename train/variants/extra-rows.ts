import { applyCalibration, DEFAULT_CALIBRATION, DEFAULT_FEATURES } from '../../infer/calibration.js';
import { generateScenarioRows, isRobustnessScenario, type ScenarioOptions } from '../../datagen/scenarios/robustness.js';
import { parseSerialLog } from '../../firmware/serial-log.js';
import type { ExtraRows } from './compare-task.js';

/** A robustness scenario's rows as labelled raw features in the model's feature order. */
export function scenarioRows(name: string, options: ScenarioOptions, classes: readonly string[]): ExtraRows {
  if (!isRobustnessScenario(name)) throw new RangeError(`unknown scenario "${name}"`);
  const rows = [...generateScenarioRows(name, options)];
  const names = DEFAULT_FEATURES.map((f) => f.name) as (keyof (typeof rows)[number])[];
  return {
    name,
    count: rows.length,
    values: Float64Array.from(rows.flatMap((r) => names.map((k) => r[k] as number))),
    y: Int32Array.from(rows, (r) => classes.indexOf(r.label)),
  };
}

/**
 * The meter's serial log as raw feature rows: parsed into payloads by firmware/serial-log.ts, then mapped
 * through the default calibration (the one every exported variant carries). Unlabelled.
 */
export function serialLogRows(text: string): ExtraRows {
  const payloads = parseSerialLog(text, { time: 0, offsetMinutes: 0 }).payloads;
  const values = new Float64Array(payloads.length * DEFAULT_CALIBRATION.entries.length);
  payloads.forEach((p, i) => values.set(applyCalibration(DEFAULT_CALIBRATION, p), i * DEFAULT_CALIBRATION.entries.length));
  return { name: 'serial-log', count: payloads.length, values };
}
