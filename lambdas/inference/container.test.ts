import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTelemetry } from '../../firmware/meter-format.js';
import { baselinePayload, seededRandom, simulateReading } from '../../firmware/scenario.js';
import { buildLambdas } from '../build.js';
import { DOCKERFILE, readDockerfile, runtimeScript, stageContainer } from './stage-container.js';
import { DEFAULT_MODEL_DIR } from '../testing/model-dir.js';

const run = promisify(execFile);
let work: string;
let task: string;
let entry: { module: string; exportName: string };

/** Runs the handler as the Lambda runtime does: import <module>.mjs from the task root, call <export>(event). */
async function invokeStaged(event: unknown): Promise<{ ok: boolean; out: string; ms: number }> {
  const runner = runtimeScript(entry.module, entry.exportName);
  const started = performance.now();
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', runner], {
      cwd: task,
      env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: task, EVENT: JSON.stringify(event) },
    });
    return { ok: true, out: stdout.trim(), ms: performance.now() - started };
  } catch (err) {
    return { ok: false, out: String((err as { stdout?: string }).stdout ?? '').trim(), ms: performance.now() - started };
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gs-inference-'));
  const [built] = await buildLambdas({ outDir: path.join(work, 'context'), modelDir: DEFAULT_MODEL_DIR, handlers: ['inference'] });
  // Stage exactly what the Dockerfile copies from the build context, nothing else (no node_modules).
  task = path.join(work, 'var-task');
  entry = stageContainer(built.dir, task);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('inference container, staged as the Dockerfile copies it', () => {
  it('is built on the AWS Node.js Lambda base image and holds only the bundle and the model', () => {
    expect(readDockerfile(readFileSync(DOCKERFILE, 'utf8')).base).toBe('public.ecr.aws/lambda/nodejs:22');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
    expect(files(task).sort()).toEqual(['index.mjs', 'models/model.json', 'models/scaler.json']);
  });

  it('answers a c2 theft reading from a fresh node process', async () => {
    const event = JSON.parse(formatTelemetry({ timestamp: '2025-06-01T12:00:00+03:00', ...simulateReading(seededRandom(3), { kind: 'theft', channel: 'c2', mode: 'blatant' }, 11.5) }));
    const result = await invokeStaged(event);
    expect(result.ok).toBe(true);
    const answer = JSON.parse(result.out);
    expect(answer.prediction).toEqual(['c2']);
    expect(answer.model).toBe(JSON.parse(readFileSync(path.join(DEFAULT_MODEL_DIR, 'model.json'), 'utf8')).id);
  });

  it('fails the invocation with a PayloadError for a bad reading, not a 200 with a guess', async () => {
    const result = await invokeStaged({ ...baselinePayload(), feeder: { line_voltage: 12, shunt_voltage: 3.6, current: null } });
    expect(result.ok).toBe(false);
    expect(JSON.parse(result.out)).toMatchObject({ errorType: 'PayloadError', errorMessage: expect.stringMatching(/feeder\.current: expected a finite number, found null/) });
  });

  it('reports a clear model load failure on every invocation when the artifacts are broken', async () => {
    const model = path.join(task, 'models/model.json');
    const good = readFileSync(model);
    try {
      rmSync(model);
      const result = await invokeStaged(baselinePayload());
      expect(result.ok).toBe(false);
      expect(JSON.parse(result.out)).toMatchObject({ errorType: 'ModelLoadError', errorMessage: expect.stringMatching(/^model load failed from .*models: .*model\.json: \$: cannot read/) });
    } finally {
      writeFileSync(model, good);
    }
  });
});
