import { loadPredictor } from '../../infer/load-artifacts.js';
import type { Predictor } from '../../infer/predictor.js';
import { answerInference, type BatchAnswer, type ReadingAnswer } from './answer.js';
import { loadInferenceConfig } from './config.js';
import { ModelLoadError } from './errors.js';

const config = loadInferenceConfig(process.env, import.meta.url);

// Loaded and validated once per container, during init. A failed load is kept and reported by every
// invocation as a clear ModelLoadError rather than crashing the init phase over and over.
const loaded: Predictor | ModelLoadError = await loadPredictor(config.modelDir).catch((cause: unknown) => new ModelLoadError(config.modelDir, { cause }));
if (loaded instanceof ModelLoadError) console.error(JSON.stringify({ level: 'error', msg: loaded.message }));

/** One reading (the meter's payload) or `{ "readings": [...] }`; bad input throws (Lambda reports a FunctionError). */
export const handler = async (event: unknown): Promise<ReadingAnswer | BatchAnswer> => {
  if (loaded instanceof ModelLoadError) throw loaded;
  return answerInference(loaded, event);
};
