import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from './calibration.js';
import { REFERENCE_CSV } from '../test-support/reference.js';
import { SVC_DEFAULTS } from '../train/fit-svc.js';
import { readLabeledCsv } from '../train/labeled-dataset.js';
import { trainModel, type TrainedModel } from '../train/train-model.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');

/** Runs the infer CLI in a fresh process, as a user would; resolves with its exit code and output. */
async function infer(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [path.join(repo, 'infer', 'cli.ts'), ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let trained: TrainedModel;

beforeAll(async () => {
  // Labels that ignore the features: nearly every training row becomes a support vector (the large-model case).
  const dataset = await readLabeledCsv(REFERENCE_CSV, { features: DEFAULT_FEATURES });
  const noise = { ...dataset, y: Int32Array.from(dataset.y, (_, i) => (i * 7) % 4) };
  trained = await trainModel(noise, { protocol: 'notebook', testSize: 0.01, seed: 42, svc: SVC_DEFAULTS });
  dir = await mkdtemp(path.join(tmpdir(), 'gs-infer-'));
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(trained.model));
  await writeFile(path.join(dir, 'scaler.json'), JSON.stringify(trained.scaler));
}, 120_000);

describe('npm run infer', () => {
  it('R16a-cold-load-large-model: a fresh process loads a ~3000-vector model and predicts as the training process did', async () => {
    expect(trained.model.supportVectors.length).toBeGreaterThan(2900);
    const row = [12.01, 13.2, 10.5, 12.4, 36.1].map((v, i) => (i === 0 ? v : v / 10));
    await writeFile(path.join(dir, 'one.jsonl'), `${JSON.stringify(row)}\n`);
    const { code, stdout } = await infer(['--model', dir, '--input', path.join(dir, 'one.jsonl')]);
    expect(code).toBe(0);
    const expected = trained.predictor.predict(row);
    expect(JSON.parse(stdout)).toEqual({ line: 1, label: expected.label, decision: expected.decision, out_of_range: expected.outOfRange });
  });

  it('scores a CSV with extra columns in input order, one result per row', async () => {
    const csv = 'label,feeder,c3,c2,c1,line_voltage\r\nnormal,2.8,1.0,1.0,1.0,10\r\nc1,2.9,1.0,1.0,1.3,10\r\n';
    await writeFile(path.join(dir, 'rows.csv'), csv);
    const { code, stdout } = await infer(['--model', dir, '--input', path.join(dir, 'rows.csv')]);
    expect(code).toBe(0);
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const expected = trained.predictor.predictMany([[10, 1.0, 1.0, 1.0, 2.8], [10, 1.3, 1.0, 1.0, 2.9]]);
    expect(results).toEqual(expected.map((p, i) => ({ line: i + 2, label: p.label, decision: p.decision, out_of_range: p.outOfRange })));
  });

  it('reports a bad row with its line and feature, still scores the others, and exits 1', async () => {
    await writeFile(path.join(dir, 'bad.jsonl'), '{"line_voltage":10,"c1":1,"c2":1,"c3":1,"feeder":2.8}\n{"line_voltage":10,"c1":"x","c2":1,"c3":1,"feeder":2.8}\n{oops\n[10,1,1,1,2.8]\n');
    const { code, stdout, stderr } = await infer(['--model', dir, '--input', path.join(dir, 'bad.jsonl')]);
    expect(code).toBe(1);
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(results[1].error).toContain('bad.jsonl:2: feature c1: expected a finite number, found the string "x"');
    expect(results[2].error).toContain('bad.jsonl:3: not valid JSON');
    expect([results[0].label, results[3].label]).toEqual([results[0].label, results[0].label]);
    expect(stderr).toContain('scored 2 rows');
    expect(stderr).toContain('2 rows rejected');
  });

  it('writes CSV results to a file', async () => {
    const out = path.join(dir, 'out.csv');
    const { code } = await infer(['--model', dir, '--input', path.join(dir, 'rows.csv'), '--out', out, '--output-format', 'csv']);
    expect(code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('line,label,decision_normal-c1,decision_normal-c2,decision_normal-c3,decision_c1-c2,decision_c1-c3,decision_c2-c3,out_of_range,error');
    expect(lines).toHaveLength(3);
  });

  it.each([
    [['--input', 'x.csv', '--format', 'xml'], 2, '--format must be one of csv, jsonl, got "xml"'],
    [['--bogus'], 2, "Unknown option '--bogus'"],
    [['--model', '/nonexistent', '--input', 'x.csv'], 1, '/nonexistent/model.json: $: cannot read'],
  ])('fails clearly on %j', async (args, exitCode, message) => {
    const { code, stderr } = await infer(args);
    expect(code).toBe(exitCode);
    expect(stderr).toContain(message);
  });

  it('refuses a truncated model file, naming it', async () => {
    const text = JSON.stringify(trained.model);
    await writeFile(path.join(dir, 'model.json'), text.slice(0, text.length / 2));
    const { code, stderr } = await infer(['--model', dir, '--explain']);
    await writeFile(path.join(dir, 'model.json'), text);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path.join(dir, 'model.json')}: $: not valid JSON (truncated or edited?)`);
  });
});
