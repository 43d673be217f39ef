import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvChunks } from './csv-writer.js';
import { generateRows } from './scenarios.js';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(path.join(tmpdir(), 'datagen-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const csv = (seed: number, rows: number) => Buffer.concat([...csvChunks(generateRows({ seed, rows }))]).toString('latin1');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['datagen/cli.ts', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('datagen CLI', () => {
  it('writes CSV to stdout with --out -', async () => {
    expect(await runCli(['--seed', '42', '--rows', '5', '--out', '-'])).toEqual({
      code: 0,
      stdout: csv(42, 5),
      stderr: '',
    });
  });

  it('seeds from the clock without --seed and prints the seed to stderr', async () => {
    const { code, stdout, stderr } = await runCli(['--rows', '20', '--out', '-']);
    const seed = /^datagen: seed (\d+) \(from the clock\)\n$/.exec(stderr)?.[1];
    expect(seed).toBeDefined();
    expect({ code, stdout }).toEqual({ code: 0, stdout: csv(Number(seed), 20) });
  });

  it('writes a file, creating its folder, and says so on stdout', async () => {
    const out = path.join(tmp, 'nested', 'data.csv');
    const result = await runCli(['--seed', '7', '--rows', '100000', '--out', out]);
    expect(result).toEqual({ code: 0, stdout: `datagen: wrote 100000 rows to ${out}\n`, stderr: '' });
    expect(readFileSync(out, 'latin1')).toBe(csv(7, 100000));
  });

  it('exits 2 with a message naming the option on a usage error', async () => {
    const { code, stdout, stderr } = await runCli(['--rows', 'abc']);
    expect({ code, stdout, firstLine: stderr.split('\n')[0] }).toEqual({
      code: 2,
      stdout: '',
      firstLine: 'datagen: --rows must be a positive integer, got "abc"',
    });
  });

  it('exits 1 when the output cannot be written', async () => {
    const { code, stderr } = await runCli(['--seed', '1', '--out', path.join(root, 'package.json', 'x.csv')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^datagen: .*(EEXIST|ENOTDIR)/);
  });
});
