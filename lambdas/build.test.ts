import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambdas, type BuiltHandler } from './build.js';

const run = promisify(execFile);
let dir: string;
let built: BuiltHandler[];
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gs-build-'));
  built = await buildLambdas({ outDir: dir, handlers: ['router', 'storage'] });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Imports a bundle in a fresh node with only `env`, as the Lambda runtime's init does; returns what init printed. */
async function init(name: string, env: Record<string, string>): Promise<{ ok: boolean; out: string }> {
  const bundle = built.find((b) => b.name === name)!.bundle;
  const script = `const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler);`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...env } });
    return { ok: true, out: stdout.trim() };
  } catch (err) {
    return { ok: false, out: String((err as { stderr?: string }).stderr).slice(-600) };
  }
}

describe('bundled handlers', () => {
  it.each([
    ['router', { INFERENCE_FUNCTION_NAME: 'gridsentry-inference', PREDICTION_TOPIC: 'smartmeter/{device}/prediction' }],
    ['storage', {}],
    ['storage', { SINK: 'influxdb', INFLUX_URL: 'http://127.0.0.1:8086', INFLUX_TOKEN: 't', INFLUX_ORG: 'o', INFLUX_BUCKET: 'b' }],
  ])('%s loads on its own and exports handler (%j)', async (name, env) => {
    expect(await init(name, env)).toEqual({ ok: true, out: 'function' });
  });

  it.each([
    ['router', {}, /ConfigError\]?: INFERENCE_FUNCTION_NAME: is required but not set/],
    ['router', { INFERENCE_FUNCTION_NAME: 'f', PREDICTION_TOPIC: 'smartmeter/#' }, /ConfigError\]?: PREDICTION_TOPIC: a publish topic cannot contain MQTT wildcards/],
    ['storage', { SINK: 'dynamodb' }, /ConfigError\]?: SINK: expected one of timestream, influxdb/],
  ])('%s fails at cold start on bad configuration (%j)', async (name, env, message) => {
    const r = await init(name, env);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(message);
  });
});
