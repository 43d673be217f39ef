import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDatasetRow } from './dataset-row.js';
import { DatasetRowError } from './errors.js';

const shared = path.resolve(import.meta.dirname, '../../shared');

interface Case {
  id: string;
  input: { row: Record<string, number>; label_proposed: string };
}

function rejection(row: unknown, rowNumber?: number): DatasetRowError {
  try {
    validateDatasetRow(row, rowNumber);
  } catch (error) {
    if (error instanceof DatasetRowError) return error;
    throw error;
  }
  throw new Error(`row was accepted: ${JSON.stringify(row)}`);
}

const valid = { line_voltage: 12.01, label: 'normal', c1: 1.22, c2: 1.18, c3: 1.25, feeder: 3.207 };

describe('validateDatasetRow', () => {
  it('R03b-datagen-invalid-sensor: refuses a meter reading in mA proposed as c2 theft', () => {
    const cases = JSON.parse(readFileSync(path.join(shared, 'cases/cases.json'), 'utf8')) as Case[];
    const r03b = cases.find((c) => c.id === 'R03b-datagen-invalid-sensor');
    expect(r03b).toBeDefined();
    const { row, label_proposed } = r03b!.input;
    const error = rejection({ ...row, label: label_proposed });
    // Every channel is in milliamps, far above the dataset's ~1.0-at-10-V
    // scale; c2 (6553.1, an INA219 wrap) is impossible at any calibration.
    expect(error.fields).toEqual(['c1', 'c2', 'c3', 'feeder']);
    expect(error.issues[1]).toEqual({ field: 'c2', value: 6553.1, expected: 'must be a number in [0, 2.450] at 12.01 V' });
    expect(error.message).toContain('c2 must be a number in [0, 2.450] at 12.01 V, got 6553.1');
  });

  it('R03b-datagen-invalid-sensor: names only c2 when the rest is in dataset units', () => {
    const error = rejection({ ...valid, label: 'c2', c2: 6553.1 });
    expect(error.fields).toEqual(['c2']);
  });

  it('accepts a plausible row and returns it', () => {
    expect(validateDatasetRow(valid)).toEqual(valid);
  });

  it.each([
    ['zero volts, zero draw', { line_voltage: 0, label: 'normal', c1: 0, c2: 0, c3: 0, feeder: 0 }],
    ['the INA219 bus maximum', { line_voltage: 26, label: 'c2', c1: 2.6, c2: 5.3, c3: 2.6, feeder: 9.0 }],
  ])('accepts the edge case %s', (_name, row) => {
    expect(validateDatasetRow(row)).toEqual(row);
  });

  it.each<[string, unknown, string[]]>([
    ['not an object', null, ['row']],
    ['a string row', 'row', ['row']],
    ['an unknown label', { ...valid, label: 'theft' }, ['label']],
    ['line voltage above the INA219 bus range', { ...valid, line_voltage: 26.5 }, ['line_voltage']],
    ['negative line voltage', { ...valid, line_voltage: -1 }, ['line_voltage']],
    ['NaN line voltage', { ...valid, line_voltage: NaN }, ['line_voltage']],
    ['line voltage as a string', { ...valid, line_voltage: '12.01' }, ['line_voltage']],
    ['a negative channel', { ...valid, c1: -0.1 }, ['c1']],
    ['an infinite channel', { ...valid, c3: Infinity }, ['c3']],
    ['a missing channel', { ...valid, c2: undefined }, ['c2']],
    ['a feeder too high for the channel sum (JF 0.97)', { ...valid, feeder: 3.763 }, ['feeder']],
    ['a feeder too low for the channel sum (JF 1.3)', { ...valid, feeder: 2.8 }, ['feeder']],
    ['a missing feeder', { ...valid, feeder: undefined }, ['feeder']],
  ])('refuses %s, naming the fields', (_name, row, fields) => {
    expect(rejection(row).fields).toEqual(fields);
  });

  it('puts the row number in the message', () => {
    expect(rejection({ ...valid, c1: -1 }, 17).message).toBe(
      'dataset row 17: c1 must be a number in [0, 2.378] at 12.01 V, got -1',
    );
  });
});
