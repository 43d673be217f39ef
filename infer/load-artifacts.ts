import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactError } from './errors.js';
import { Predictor } from './predictor.js';

export const MODEL_FILE = 'model.json';
export const SCALER_FILE = 'scaler.json';

/** Reads `model.json` and the scaler it names from a folder and validates the pair; errors name the file. */
export async function loadPredictor(dir: string): Promise<Predictor> {
  const modelPath = path.join(dir, MODEL_FILE);
  const model = await readJson(modelPath);
  const named = (model as { scaler?: { file?: unknown } } | null)?.scaler?.file;
  // Only a file name beside the model: a path in a hand-edited model must not reach elsewhere.
  const base = typeof named === 'string' ? path.basename(named) : SCALER_FILE;
  if (base === '' || base === '.' || base === '..') {
    throw new ArtifactError('$.scaler.file', `expected a file name such as "${SCALER_FILE}", found ${JSON.stringify(named)}`, { file: modelPath });
  }
  const scalerPath = path.join(dir, base);
  const scaler = await readJson(scalerPath);
  return Predictor.fromArtifacts(model, scaler, { model: modelPath, scaler: scalerPath });
}

export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ArtifactError('$', `cannot read: ${(err as Error).message}`, { file, cause: err });
  }
  try {
    // Editors on Windows save JSON with a byte-order mark, which JSON.parse refuses as an invisible token.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ArtifactError('$', `not valid JSON (truncated or edited?): ${(err as Error).message}`, { file, cause: err });
  }
}
