import { beforeAll, describe, expect, it } from 'vitest';
import { PayloadError } from '../../firmware/errors.js';
import { baselinePayload, seededRandom, simulateReading, type Scenario } from '../../firmware/scenario.js';
import { loadPredictor } from '../../infer/load-artifacts.js';
import type { Predictor } from '../../infer/predictor.js';
import { DEFAULT_MODEL_DIR } from '../testing/model-dir.js';
import { answerInference, type BatchAnswer, type ReadingAnswer } from './answer.js';

let predictor: Predictor;
beforeAll(async () => {
  predictor = await loadPredictor(DEFAULT_MODEL_DIR);
});

const reading = (scenario: Scenario, seed: number) => ({ timestamp: '2025-06-01T12:00:00+03:00', ...simulateReading(seededRandom(seed), scenario, 11) });

describe('answerInference', () => {
  it.each([
    ['normal', { kind: 'normal' }],
    ['c1', { kind: 'theft', channel: 'c1', mode: 'blatant' }],
    ['c2', { kind: 'theft', channel: 'c2', mode: 'blatant' }],
    ['c3', { kind: 'theft', channel: 'c3', mode: 'blatant' }],
  ] as const)('answers %s for at least 90 %% of 100 simulated %j readings in meter units', (label, scenario) => {
    // Not 100 %: the INA3221 reads in 0.4 mA steps (0.04 dataset units), as wide as a normal channel range.
    const random = seededRandom(7);
    const answers = Array.from({ length: 100 }, () =>
      answerInference(predictor, { timestamp: '2025-06-01T12:00:00+03:00', ...simulateReading(random, scenario, 8 + 4 * random()) }),
    ) as ReadingAnswer[];
    expect(answers.filter((a) => a.prediction[0] === label).length).toBeGreaterThanOrEqual(90);
    expect(answers[0].model).toBe(predictor.id);
    expect(answers[0].decision).toHaveLength(6);
  });

  it('answers a batch in order, with the pair names of the decision values', () => {
    const answer = answerInference(predictor, {
      readings: [reading({ kind: 'normal' }, 1), reading({ kind: 'theft', channel: 'c2', mode: 'blatant' }, 2)],
    }) as BatchAnswer;
    expect(answer.results.map((r) => r.prediction[0])).toEqual(['normal', 'c2']);
    expect(answer.pairs).toEqual(['normal-c1', 'normal-c2', 'normal-c3', 'c1-c2', 'c1-c3', 'c2-c3']);
  });

  it.each([
    ['a NaN current', { ...baselinePayload(), feeder: { line_voltage: 12, shunt_voltage: 3.6, current: Number.NaN } }, 'feeder.current'],
    ['a missing channel', { ...baselinePayload(), transformer2: undefined }, 'transformer2'],
    ['a string', 'hello', '$'],
    ['a bad row in a batch', { readings: [baselinePayload(), { ...baselinePayload(), timestamp: 5 }] }, 'readings[1].timestamp'],
    ['a batch that is not a list', { readings: 3 }, 'readings'],
  ])('refuses %s instead of guessing', (_name, event, field) => {
    const err = (() => {
      try {
        answerInference(predictor, event);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).fields).toEqual([field]);
  });
});
