import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from '../infer/calibration.js';
import { loadPredictor } from '../infer/load-artifacts.js';
import type { Predictor } from '../infer/predictor.js';
import { answerReading } from '../lambdas/inference/answer.js';
import { datasetRows, parseSerialLog } from './serial-log.js';
import { parseTelemetry } from './telemetry.js';

const LOG = readFileSync(path.resolve(import.meta.dirname, '../../shared/reference/esp32_serial_log.txt'), 'utf8');
const START = { time: Date.UTC(2025, 5, 1, 9, 0, 0), offsetMinutes: 180 };
const run = promisify(execFile);

describe('parseSerialLog on the real meter log', () => {
  const result = parseSerialLog(LOG, START);

  it('understands every line and reports the blocks it could not use', () => {
    expect(result.counts).toEqual({ ina219: 151, ina3221: 225, heap: 2, blank: 76 });
    expect(result.unknown).toEqual([]);
    expect(result.skipped).toEqual([
      { line: 1, reason: 'INA219 block without line_voltage (ends before line 4)' },
      { line: 4, reason: 'INA3221 block before any complete INA219 reading' },
    ]);
    expect(result.heap).toEqual([
      { uptimeMs: 15315, bytes: 283416 },
      { uptimeMs: 30315, bytes: 283416 },
    ]);
  });

  it('makes one payload per INA3221 block, in meter units, stamped start + uptime', () => {
    expect(result.payloads).toHaveLength(24);
    expect(result.payloads[0]).toEqual({
      timestamp: '2025-06-01T12:00:01.965+03:00',
      feeder: { line_voltage: 12.01, shunt_voltage: 3.61, current: 36.1 },
      transformer1: { shunt_voltage: 1.32, current: 13.2 },
      transformer2: { shunt_voltage: 1.32, current: 13.2 },
      transformer3: { shunt_voltage: 1.32, current: 13.2 },
    });
    for (const p of result.payloads) expect(() => parseTelemetry(p)).not.toThrow();
  });

  it('writes dataset rows through the calibration', () => {
    expect(datasetRows(result.payloads.slice(6, 8), DEFAULT_CALIBRATION, 'normal')).toEqual(['12.01,normal,1.28,1.2,1.2,3.31', '12.01,normal,1.24,1.2,1.2,3.28']);
  });

  it('counts and lists lines it does not understand', () => {
    const r = parseSerialLog(`I (5) INA219: Bus Voltage: 12.01 V\nGuru Meditation Error: Core 0 panic'ed\nI (6) INA219: Temperature: 40 C\n`, START);
    expect(r.unknown).toEqual([
      { line: 2, text: "Guru Meditation Error: Core 0 panic'ed" },
      { line: 3, text: 'I (6) INA219: Temperature: 40 C' },
    ]);
  });
});

describe('the default calibration against the log (why 1 dataset unit = 10 mA)', () => {
  let predictor: Predictor;
  beforeAll(async () => {
    predictor = await loadPredictor(path.resolve(import.meta.dirname, '../models'));
  });

  it('puts the quiet stretch (uptime 11-17 s) in the normal JF band, and the model answers normal', () => {
    const quiet = parseSerialLog(LOG, START).payloads.slice(6, 11);
    const jf = quiet.map((p) => (p.transformer1.current + p.transformer2.current + p.transformer3.current) / p.feeder.current);
    for (const j of jf) expect(j).toBeGreaterThanOrEqual(1.1), expect(j).toBeLessThanOrEqual(1.15);
    expect(quiet.map((p) => answerReading(predictor, parseTelemetry(p)).prediction[0])).toEqual(['normal', 'normal', 'normal', 'normal', 'normal']);
  });
});

describe('parseSerialLog on damaged logs', () => {
  /** One complete INA219 block and one INA3221 block from the real log (its lines 16-30). */
  const BLOCK = LOG.split(/\r?\n/).slice(15, 30).join('\n');

  it('the block used below makes one payload', () => {
    expect(parseSerialLog(BLOCK, START).payloads).toHaveLength(1);
  });

  it.each<[string, string, Partial<ReturnType<typeof parseSerialLog>>]>([
    ['a line cut mid-value at the end', `${BLOCK.replace(/C3: Shunt Current: 13.20 mA$/m, 'C3: Shunt Current: 13.2')}`, { payloads: [], unknown: [{ line: 15, text: 'I (1965) INA3221: C3: Shunt Current: 13.2' }] }],
    ['an uptime beyond the meter\'s 32-bit millisecond counter (was a RangeError)', BLOCK.replace('(1965)', '(99999999999999999999)'), { payloads: [], unknown: [{ line: 15, text: 'I (99999999999999999999) INA3221: C3: Shunt Current: 13.20 mA' }] }],
    ['a 400-digit voltage (was Infinity in the payload file)', BLOCK.replace('Bus Voltage: 12.01 V', `Bus Voltage: ${'9'.repeat(400)} V`), { payloads: [], skipped: [{ line: 5, reason: 'reading refused by the payload contract: feeder.line_voltage: expected a finite number, found Infinity' }] }],
    ['a current beyond what the INA3221 can report', BLOCK.replace('C2: Shunt Current: 13.20 mA', 'C2: Shunt Current: 6553.10 mA'), { payloads: [], skipped: [{ line: 5, reason: expect.stringMatching(/^reading refused by the payload contract: transformer2\.current: 6553\.1 mA is outside/) as unknown as string }] }],
  ])('%s: nothing invalid becomes a payload, and the line is reported', (_name, text, expected) => {
    expect(parseSerialLog(text, START)).toMatchObject(expected);
  });

  it('binary noise: every line reported as not understood, no payload, no exception', () => {
    const noise = String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 2654435761) >>> 24));
    const r = parseSerialLog(noise, START);
    expect([r.payloads.length, r.unknown.length]).toEqual([0, noise.split(/\r?\n/).filter((l) => l.trim() !== '').length]);
  });
});

describe('npm run import:serial (CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-serial-'));
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'import-serial.ts'), ...args], { cwd: path.resolve(import.meta.dirname, '..') }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('quotes lines it does not understand: a terminal escape in the log is printed escaped, not executed', async () => {
    writeFileSync(path.join(dir, 'esc.log'), `\u001b]0;pwned\u0007\n${LOG}`);
    const { code, stdout } = await cli([path.join(dir, 'esc.log')]);
    expect(code).toBe(0);
    expect(stdout).toContain('  line 1: "\\u001b]0;pwned\\u0007"\n');
    expect(stdout).not.toContain('\u001b');
  });

  it('exits 1 on a log without a reading and keeps the earlier output files', async () => {
    writeFileSync(path.join(dir, 'noise.log'), 'rst:0x1 (POWERON_RESET)\nets Jun  8 2016 00:22:57\n');
    writeFileSync(path.join(dir, 'earlier.jsonl'), 'kept\n');
    const { code, stdout, stderr } = await cli([path.join(dir, 'noise.log'), '--payloads', path.join(dir, 'earlier.jsonl')]);
    expect([code, stderr.trim()]).toEqual([1, `error: ${path.join(dir, 'noise.log')}: no meter readings found (2 lines not understood, 0 blocks skipped)`]);
    expect(stdout).toContain('payloads: 0\n');
    expect(readFileSync(path.join(dir, 'earlier.jsonl'), 'utf8')).toBe('kept\n');
  });

  it.each<[string, (d: string) => string[], number, (d: string) => string]>([
    ['no log', () => [], 2, () => 'error: expected one serial log file, found 0'],
    ['an unknown option (was a stack trace)', (d) => [path.join(d, 'esc.log'), '--bogus'], 2, () => "error: Unknown option '--bogus'"],
    ['a log that does not exist (was a stack trace)', (d) => [path.join(d, 'nope.log')], 1, (d) => `error: ${path.join(d, 'nope.log')}: cannot read: ENOENT`],
    ['a folder for the log', (d) => [d], 1, (d) => `error: ${d}: cannot read: EISDIR`],
    ['--payloads naming the log itself', (d) => [path.join(d, 'esc.log'), '--payloads', path.join(d, 'esc.log')], 2, (d) => `error: --payloads ${path.join(d, 'esc.log')} would overwrite the serial log`],
    ['--csv in a folder that does not exist', (d) => [path.join(d, 'esc.log'), '--csv', path.join(d, 'no', 'rows.csv')], 1, (d) => `error: cannot write ${path.join(d, 'no', 'rows.csv')}: folder ${path.join(d, 'no')} does not exist`],
    ['a --label that would break the CSV', (d) => [path.join(d, 'esc.log'), '--label', 'c1,c2'], 2, () => 'error: --label goes into a CSV cell: no commas, quotes or line breaks, found "c1,c2"'],
    ['a --start without an offset', (d) => [path.join(d, 'esc.log'), '--start', '2025-06-01T12:00:00'], 2, () => 'error: --start: expected a UTC offset'],
  ])('%s: a clear error, no stack trace', async (_name, args, exitCode, message) => {
    writeFileSync(path.join(dir, 'esc.log'), LOG);
    const { code, stderr } = await cli(args(dir));
    expect(code).toBe(exitCode);
    expect(stderr).toContain(message(dir));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(dir, 'esc.log'), 'utf8')).toBe(LOG);
  });
});
