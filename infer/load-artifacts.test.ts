import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError } from './errors.js';
import { loadPredictor } from './load-artifacts.js';

const MODELS = path.resolve(import.meta.dirname, '../models');
let dir: string;
let model: Record<string, any>;
let scalerText: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gs-load-'));
  model = JSON.parse(await readFile(path.join(MODELS, 'model.json'), 'utf8'));
  scalerText = await readFile(path.join(MODELS, 'scaler.json'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folderWith(name: string, modelText: string, scaler = scalerText): Promise<string> {
  const d = path.join(dir, name);
  await rm(d, { recursive: true, force: true });
  await mkdir(d);
  await writeFile(path.join(d, 'model.json'), modelText);
  await writeFile(path.join(d, 'scaler.json'), scaler);
  return d;
}

describe('loadPredictor on hand-edited folders', () => {
  it('reads a model.json and scaler.json saved with a byte-order mark (Windows editors)', async () => {
    const d = await folderWith('bom', `\uFEFF${JSON.stringify(model, null, 2)}`, `\uFEFF${scalerText}`);
    const original = await loadPredictor(MODELS);
    expect((await loadPredictor(d)).predict([11.5, 1.2, 1.15, 1.2, 3.1])).toEqual(original.predict([11.5, 1.2, 1.15, 1.2, 3.1]));
  });

  it.each([
    ['an empty name', ''],
    ['the folder itself', '.'],
    ['the parent folder', '../'],
  ])('refuses a scaler file that is %s, naming $.scaler.file', async (name, file) => {
    const d = await folderWith(`scaler-${name.replaceAll(' ', '-')}`, JSON.stringify({ ...model, scaler: { ...model.scaler, file } }));
    await expect(loadPredictor(d)).rejects.toThrow(ArtifactError);
    await expect(loadPredictor(d)).rejects.toThrow(`${path.join(d, 'model.json')}: $.scaler.file: expected a file name such as "scaler.json", found ${JSON.stringify(file)}`);
  });

  it('reads a scaler named by a path only beside the model, never elsewhere', async () => {
    const d = await folderWith('traversal', JSON.stringify({ ...model, scaler: { ...model.scaler, file: '../../../etc/scaler.json' } }));
    expect((await loadPredictor(d)).id).toBe(model.id);
  });
});
