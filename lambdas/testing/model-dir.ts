import path from 'node:path';

/** The committed default model (`npm run train` writes it). */
export const DEFAULT_MODEL_DIR = path.resolve(import.meta.dirname, '../../models');
