import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from './calibration.js';
import { REFERENCE_CSV } from '../test-support/reference.js';
import { SVC_DEFAULTS } from '../train/fit-svc.js';
import { readLabeledCsv } from '../train/labeled-dataset.js';
import { trainModel, type TrainedModel } from '../train/train-model.js';
import { runCliProcess } from '../test-support/run-cli.js';

const infer = (args: string[]) => runCliProcess('infer/cli.ts', args);

/** The same, with `stdin` as standard input. */
const inferStdin = (args: string[], stdin: string) => runCliProcess('infer/cli.ts', args, { input: stdin });

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

  it.each<[string, (d: string) => string[], number, (d: string) => string]>([
    ['--out naming the --input file', (d) => ['--input', path.join(d, 'keep.csv'), '--out', path.join(d, 'keep.csv')], 2, (d) => `error: --out ${path.join(d, 'keep.csv')} is the --input file; writing the results there would erase the rows`],
    ['--out reaching the --input file through a link', (d) => ['--input', path.join(d, 'keep.csv'), '--out', path.join(d, 'keep-link.csv')], 2, (d) => `error: --out ${path.join(d, 'keep-link.csv')} is the --input file`],
    ['--out in a folder that does not exist', (d) => ['--input', path.join(d, 'keep.csv'), '--out', path.join(d, 'nope', 'out.jsonl')], 1, (d) => `error: --out ${path.join(d, 'nope', 'out.jsonl')}: cannot write: ENOENT`],
    ['--out naming a folder', (d) => ['--input', path.join(d, 'keep.csv'), '--out', d], 1, (d) => `error: --out ${d}: cannot write: EISDIR`],
    ['--input that does not exist', (d) => ['--input', path.join(d, 'nope.csv'), '--out', path.join(d, 'never.jsonl')], 1, (d) => `error: --input ${path.join(d, 'nope.csv')}: cannot read: ENOENT`],
    ['--input naming a folder', (d) => ['--input', d], 1, (d) => `error: --input ${d} is a folder; expected a CSV or JSONL file`],
    ['a second input file', (d) => ['--input', path.join(d, 'keep.csv'), path.join(d, 'more.csv')], 2, (d) => `error: Unexpected argument '${path.join(d, 'more.csv')}'`],
    ['a CSV without a header', (d) => ['--input', path.join(d, 'headerless.csv')], 1, (d) => `error: ${path.join(d, 'headerless.csv')}:1: expected a header line naming the columns line_voltage, c1, c2, c3, feeder, found a row of numbers (no header?)`],
  ])('%s: a clear error, no stack trace, the input intact', async (_name, args, exitCode, message) => {
    const keep = 'line_voltage,c1,c2,c3,feeder\n10,1,1,1,2.8\n';
    await writeFile(path.join(dir, 'keep.csv'), keep);
    await writeFile(path.join(dir, 'headerless.csv'), '10,1,1,1,2.8\n11,1.3,1,1,2.9\n');
    await symlink(path.join(dir, 'keep.csv'), path.join(dir, 'keep-link.csv')).catch(() => {});
    const { code, stderr } = await infer(['--model', dir, ...args(dir)]);
    expect(code).toBe(exitCode);
    expect(stderr).toContain(message(dir));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(dir, 'keep.csv'), 'utf8')).toBe(keep);
  });

  it('gives every JSONL line that is not a row its own error, and scores the rest', async () => {
    const lines = ['5', '"text"', 'null', 'true', '[1,2]', '[[10],1,1,1,2.8]', '{"__proto__":{"line_voltage":10},"c1":1,"c2":1,"c3":1,"feeder":2.8}', '{"line_voltage":1e400,"c1":1,"c2":1,"c3":1,"feeder":2.8}', '[10,1,1,1,2.8]'];
    await writeFile(path.join(dir, 'odd.jsonl'), `${lines.join('\n')}\n`);
    const { code, stdout } = await infer(['--model', dir, '--input', path.join(dir, 'odd.jsonl')]);
    expect(code).toBe(1);
    const where = `${path.join(dir, 'odd.jsonl')}:`;
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).error?.replace(where, '') ?? 'scored')).toEqual([
      '1: expected an array or object of features, found number',
      '2: expected an array or object of features, found string',
      '3: expected an array or object of features, found null',
      '4: expected an array or object of features, found boolean',
      '5: expected 5 features (line_voltage, c1, c2, c3, feeder), found 2',
      '6: feature line_voltage: expected a finite number, found object',
      '7: feature line_voltage: missing',
      '8: feature line_voltage: expected a finite number, found Infinity',
      'scored',
    ]);
  });

  it.each([
    ['a CSV', ['--input', '-'], 'line_voltage,c1,c2,c3,feeder\r\n10,1,1,1,2.8\r\n', 0, ''],
    ['JSONL', ['--input', '-', '--format', 'jsonl'], '[10,1,1,1,2.8]', 0, ''],
    ['nothing, read as CSV', ['--input', '-'], '', 1, 'error: stdin: empty input, expected a header line'],
    ['JSONL without --format', ['--input', '-'], '[10,1,1,1,2.8]\n', 1, 'error: stdin:1: expected a header line naming the columns line_voltage, c1, c2, c3, feeder, found JSON'],
  ])('reads %s from standard input', async (_name, args, stdin, exitCode, message) => {
    const { code, stdout, stderr } = await inferStdin(['--model', dir, ...args], stdin);
    expect(code).toBe(exitCode);
    if (exitCode === 0) expect(JSON.parse(stdout).label).toBe(trained.predictor.predict([10, 1, 1, 1, 2.8]).label);
    else expect(stderr).toContain(message);
  });
});
