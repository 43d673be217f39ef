import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envOr, type Env } from '../shared/env.js';

export interface InferenceConfig {
  /** Folder holding model.json and scaler.json. */
  modelDir: string;
}

/** MODEL_DIR, or `models/` beside the handler file: where the Dockerfile copies the artifacts (/var/task/models). */
export function loadInferenceConfig(env: Env, handlerUrl: string): InferenceConfig {
  return { modelDir: envOr(env, 'MODEL_DIR', path.join(path.dirname(fileURLToPath(handlerUrl)), 'models')) };
}
