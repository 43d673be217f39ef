import { PayloadError } from '../../firmware/errors.js';
import type { MeterReading } from '../../firmware/payload.js';
import { parseTelemetry } from '../../firmware/telemetry.js';
import { applyCalibration } from '../../infer/calibration.js';
import type { Predictor } from '../../infer/predictor.js';

/** The answer to one reading; `prediction` has the meter's shape so the answer can be forwarded as is. */
export interface ReadingAnswer {
  prediction: [string];
  decision: number[];
  model: string;
  outOfRange: string[];
}

export interface BatchAnswer {
  model: string;
  /** Pair names of the decision values, e.g. `normal-c1`. */
  pairs: string[];
  results: { prediction: [string]; decision: number[]; outOfRange: string[] }[];
}

/**
 * Answers one reading (the meter's payload, as the router forwards it) or a batch `{ "readings": [...] }`.
 * Every reading is validated against the meter contract first; a bad one throws a PayloadError naming
 * its index and field, and nothing of the batch is scored: no answer is a guess.
 */
export function answerInference(predictor: Predictor, event: unknown): ReadingAnswer | BatchAnswer {
  if (event !== null && typeof event === 'object' && 'readings' in event) {
    const list = (event as { readings: unknown }).readings;
    if (!Array.isArray(list)) throw new PayloadError([{ field: 'readings', message: 'expected an array of readings' }], { what: 'inference request' });
    const readings = list.map((r, i) => {
      try {
        return parseTelemetry(r);
      } catch (err) {
        if (err instanceof PayloadError) {
          throw new PayloadError(err.issues.map((x) => ({ field: `readings[${i}].${x.field}`, message: x.message })), { what: 'inference request' });
        }
        throw err;
      }
    });
    const rows = readings.map((r) => applyCalibration(predictor.calibration, r));
    return {
      model: predictor.id,
      pairs: predictor.pairNames(),
      results: predictor.predictMany(rows).map((p) => ({ prediction: [p.label], decision: p.decision, outOfRange: p.outOfRange })),
    };
  }
  return answerReading(predictor, parseTelemetry(event));
}

export function answerReading(predictor: Predictor, reading: MeterReading): ReadingAnswer {
  const p = predictor.predict(applyCalibration(predictor.calibration, reading));
  return { prediction: [p.label], decision: p.decision, model: predictor.id, outOfRange: p.outOfRange };
}
