import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../cli-options.js';
import type { DatasetRow } from '../dataset-row.js';
import { generateRows } from '../scenarios.js';
import { generateScenarioRows, ROBUSTNESS_SCENARIOS, SCENARIO_NAMES, type RobustnessScenario } from './robustness.js';

const SEED = 5;
const ROWS = 600;
const base = [...generateRows({ seed: SEED, rows: ROWS })];
const rowsOf = (name: RobustnessScenario, seed = SEED) => [...generateScenarioRows(name, { seed, rows: ROWS })];
const changed = (rows: DatasetRow[], key: keyof DatasetRow) => rows.filter((r, i) => r[key] !== base[i][key]).length;
const jf = (r: DatasetRow) => (r.c1 + r.c2 + r.c3) / r.feeder;

describe('robustness scenarios', () => {
  it('original is the original generator row for row', () => {
    expect(rowsOf('original')).toEqual(base);
  });

  it.each(SCENARIO_NAMES)('%s is reproducible from its seed, keeps every label, and a new seed gives new rows', (name) => {
    const rows = rowsOf(name);
    expect(rows).toEqual(rowsOf(name));
    expect(rows.map((r) => r.label)).toEqual(base.map((r) => r.label));
    expect(rowsOf(name, SEED + 1)).not.toEqual(rows);
  });

  it('feeder-low: every feeder reads 5-15 % low, nothing else moves', () => {
    const rows = rowsOf('feeder-low');
    const ratios = rows.map((r, i) => r.feeder / base[i].feeder);
    expect([Math.min(...ratios) > 0.849, Math.max(...ratios) < 0.951]).toEqual([true, true]);
    expect((['line_voltage', 'c1', 'c2', 'c3'] as const).map((k) => changed(rows, k))).toEqual([0, 0, 0, 0]);
  });

  it('multi-bypass: each theft row raises one more channel and keeps its joining factor; normal rows stay', () => {
    const rows = rowsOf('multi-bypass');
    const raised = rows.map((r, i) => (['c1', 'c2', 'c3'] as const).filter((c) => r[c] > base[i][c]).length);
    expect(raised).toEqual(base.map((r) => (r.label === 'normal' ? 0 : 1)));
    const jfDrift = rows.map((r, i) => Math.abs(jf(r) - jf(base[i])));
    expect(Math.max(...jfDrift)).toBeLessThan(0.003);
  });

  it('sensor-noise: every current moves, line voltage does not', () => {
    const rows = rowsOf('sensor-noise');
    expect(changed(rows, 'line_voltage')).toBe(0);
    expect((['c1', 'c2', 'c3', 'feeder'] as const).map((k) => changed(rows, k) > ROWS * 0.9)).toEqual([true, true, true, true]);
  });

  it('voltage-sag: about a third of the rows sag, currents with them, some below the 8 V training floor', () => {
    const rows = rowsOf('voltage-sag');
    const sagged = rows.filter((r, i) => r.line_voltage < base[i].line_voltage);
    expect(sagged.length).toBeGreaterThan(ROWS * 0.25);
    expect(sagged.length).toBeLessThan(ROWS * 0.42);
    expect(rows.some((r) => r.line_voltage < 8)).toBe(true);
    expect(rows.filter((r, i) => r.line_voltage === base[i].line_voltage && r.c1 !== base[i].c1)).toEqual([]);
  });

  it('missing-channel: about a tenth of the rows lose one channel to 0', () => {
    const rows = rowsOf('missing-channel');
    const zeros = rows.map((r) => [r.c1, r.c2, r.c3].filter((v) => v === 0).length);
    expect(Math.max(...zeros)).toBe(1);
    expect(zeros.filter((z) => z === 1).length).toBeGreaterThan(ROWS * 0.05);
    expect(zeros.filter((z) => z === 1).length).toBeLessThan(ROWS * 0.15);
  });

  it('stuck-channel: one channel repeats the first reading of each block of 50', () => {
    const rows = rowsOf('stuck-channel');
    const stuck = (['c1', 'c2', 'c3'] as const).filter((c) => changed(rows, c) > 0);
    expect(stuck).toHaveLength(1);
    expect(rows.map((r, i) => r[stuck[0]] === base[i - (i % 50)][stuck[0]])).toEqual(rows.map(() => true));
  });

  it('describes every scenario it generates', () => {
    expect(Object.keys(ROBUSTNESS_SCENARIOS)).toEqual(SCENARIO_NAMES);
  });
});

describe('datagen --scenario', () => {
  it('is optional: without it the options are the original mode', () => {
    expect(parseCliOptions(['--seed', '1']).scenario).toBeUndefined();
    expect(parseCliOptions(['--seed', '1', '--scenario', 'voltage-sag']).scenario).toBe('voltage-sag');
  });

  it.each(['', 'sag', 'Original'])('refuses the unknown scenario %j', (name) => {
    expect(() => parseCliOptions(['--scenario', name])).toThrow(/--scenario must be one of/);
  });
});
