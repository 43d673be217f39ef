import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_CSV } from '../test-support/reference.js';
import { runCliProcess } from '../test-support/run-cli.js';

const train = (args: string[]) => runCliProcess('train/cli.ts', args);

const dir = path.join(tmpdir(), `gs-train-cli-${process.pid}`);
const small = path.join(dir, 'small.csv');
beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  // 300 reference rows, saved by a careless editor: BOM, LF and CRLF mixed, a blank line, a trailing comma.
  const lines = (await readFile(REFERENCE_CSV, 'utf8')).split(/\r?\n/).slice(0, 301);
  await writeFile(small, `\uFEFF${lines[0]},\r\n${lines.slice(1, 150).map((l) => `${l},`).join('\n')}\n\n${lines.slice(150).map((l) => `${l},`).join('\r\n')}\r\n`);
  await writeFile(path.join(dir, 'a-file'), 'not a folder');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run train refuses bad options with exit code 2, before reading the data', () => {
  it.each([
    ['--C -1', ['--C', '-1'], '--C must be a number > 0, got "-1"'],
    ['--gamma 0', ['--gamma', '0'], '--gamma must be scale, auto or a number > 0, got "0"'],
    ['--seed 1.5', ['--seed', '1.5'], '--seed must be an integer in [0, 2^32), got "1.5"'],
    ['--seed 0x10 (hex)', ['--seed', '0x10'], '--seed must be an integer in [0, 2^32), got "0x10"'],
    ['--test-size 1', ['--test-size', '1'], '--test-size must be a fraction between 0 and 1, got "1"'],
    ['--cache-size 4096 (libsvm-js overflows at 2048)', ['--cache-size', '4096'], '--cache-size must be a number > 0 and below 2048, got "4096"'],
    ['a class weight given twice', ['--class-weight', 'c1=2,c1=3'], '--class-weight gives class c1 twice'],
    ['a class weight for __proto__', ['--class-weight', '__proto__=2'], '--class-weight names unknown class "__proto__"; classes: normal, c1, c2, c3'],
    ['a stray argument (the data file without --data)', ['data.csv'], "Unexpected argument 'data.csv'"],
    ['an empty --data', ['--data', ''], '--data needs a path, got an empty string'],
  ])('%s', async (_name, args, message) => {
    const { code, stderr } = await train(['--data', path.join(dir, 'missing.csv'), '--out', path.join(dir, 'never'), ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(`error: ${message}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('--out naming a file: refused before the data is read or a model fitted', async () => {
    const { code, stderr } = await train(['--data', path.join(dir, 'missing.csv'), '--out', path.join(dir, 'a-file')]);
    expect([code, stderr.split('\n')[0]]).toEqual([2, `error: --out ${path.join(dir, 'a-file')} is a file; expected a folder for model.json, scaler.json and report.json`]);
  });
});

describe('npm run train on paths and data it cannot use: exit code 1, a message naming the place', () => {
  it.each([
    ['--data naming a folder', ['--data', dir], `error: ${dir}: cannot read: EISDIR`],
    ['--out below a file', ['--data', REFERENCE_CSV, '--out', path.join(dir, 'a-file', 'models')], `error: --out ${path.join(dir, 'a-file', 'models')}: cannot write there: ENOTDIR`],
  ])('%s', async (_name, args, message) => {
    const { code, stderr } = await train(args);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad row leaves the models already in --out untouched', async () => {
    const out = path.join(dir, 'kept');
    await mkdir(out);
    await writeFile(path.join(out, 'model.json'), '{"kept":true}');
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'line_voltage,label,c1,c2,c3,feeder\n10,normal,1,1,1,2.8\n10,normal,1,1,0x1,2.8\n');
    const { code, stderr } = await train(['--data', bad, '--out', out]);
    expect([code, stderr.trim()]).toEqual([1, `error: ${bad}:3 column c3: expected a finite number, found "0x1"`]);
    expect([await readdir(out), await readFile(path.join(out, 'model.json'), 'utf8')]).toEqual([['model.json'], '{"kept":true}']);
  });
});

it('npm run train reads a carelessly saved CSV into a new nested --out, leaving no temporary files', async () => {
  const out = path.join(dir, 'new', 'models');
  const { code, stdout } = await train(['--data', small, '--out', out, '--coef0', '-1', '--json']);
  expect(code).toBe(0);
  expect(JSON.parse(stdout).dataset).toMatchObject({ rows: 300 });
  expect((await readdir(out)).sort()).toEqual(['model.json', 'report.json', 'scaler.json']);
}, 60_000);
