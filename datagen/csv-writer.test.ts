import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvChunks, formatCsvRow } from './csv-writer.js';
import type { DatasetRow } from './dataset-row.js';
import { generateRows } from './scenarios.js';

const base: DatasetRow = { line_voltage: 9.21, label: 'normal', c1: 0.925, c2: 0.912, c3: 0.931, feeder: 2.441 };

describe('formatCsvRow', () => {
  it.each<[string, DatasetRow, string]>([
    ['a typical row', base, '9.21,normal,0.925,0.912,0.931,2.441\r\n'],
    ['whole numbers with ".0"', { ...base, line_voltage: 11, c1: 1 }, '11.0,normal,1.0,0.912,0.931,2.441\r\n'],
    ['a theft label', { ...base, label: 'c2', c2: 1.36 }, '9.21,c2,0.925,1.36,0.931,2.441\r\n'],
    ['zero and negative zero', { ...base, c1: 0, c2: -0 }, '9.21,normal,0.0,-0.0,0.931,2.441\r\n'],
    [
      'off-grid values by repr',
      { ...base, c1: 1e-5, c2: 0.1 + 0.2, c3: 123456.789 },
      '9.21,normal,1e-05,0.30000000000000004,123456.789,2.441\r\n',
    ],
  ])('prints %s as Python csv does', (_name, row, line) => {
    expect(formatCsvRow(row)).toBe(line);
  });

  it('refuses a label outside normal, c1, c2, c3 rather than print it', () => {
    expect(() => formatCsvRow({ ...base, label: 'theft' as DatasetRow['label'] })).toThrow(
      'dataset row: label must be one of normal, c1, c2, c3, got "theft"',
    );
  });
});

describe('csvChunks', () => {
  it('writes only the header for no rows', () => {
    expect([...csvChunks([])].map((chunk) => chunk.toString('latin1'))).toEqual([CSV_HEADER]);
  });

  it('splits a large dataset into ~64 KiB chunks that join to the whole', () => {
    const rows = [...generateRows({ seed: 3, rows: 10_000 })];
    const progress: number[] = [];
    const chunks = [...csvChunks(rows, (n) => progress.push(n))];
    const whole = CSV_HEADER + rows.map(formatCsvRow).join('');
    expect(Buffer.concat(chunks).toString('latin1')).toBe(whole);
    expect(chunks.slice(0, -1).every((c) => c.length > 64 * 1024 - 200 && c.length <= 64 * 1024)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(10_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});
