import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { DatasetError } from './errors.js';
import { parseLabeledCsv } from './labeled-dataset.js';

const header = 'line_voltage,label,c1,c2,c3,feeder';
const good = '10.5,normal,1.05,1.0,1.02,2.75';
const parse = (text: string) => parseLabeledCsv(text, { file: 'data.csv', features: DEFAULT_FEATURES });

describe('parseLabeledCsv', () => {
  it('reads CRLF and LF files alike, columns in any order, extra columns ignored', () => {
    const crlf = parse(`${header}\r\n${good}\r\n9.0,c2,0.9,1.2,0.9,2.6\r\n`);
    const lf = parse(`c3,feeder,extra,label,c1,c2,line_voltage\n1.02,2.75,x,normal,1.05,1.0,10.5\n0.9,2.6,y,c2,0.9,1.2,9.0\n`);
    expect(Array.from(lf.table.values)).toEqual(Array.from(crlf.table.values));
    expect(Array.from(lf.y)).toEqual([0, 2]);
    expect(Array.from(crlf.table.values)).toEqual([10.5, 1.05, 1.0, 1.02, 2.75, 9.0, 0.9, 1.2, 0.9, 2.6]);
  });

  it.each([
    ['an empty file', '', 'data.csv:1: empty input: no header line'],
    ['a header only', `${header}\n`, 'data.csv:2: no data rows after the header'],
    ['a missing column', 'line_voltage,label,c1,c2,feeder\n1,normal,1,1,1\n', 'data.csv:1: header is missing column c3'],
    ['a duplicate column', `${header},c1\n`, 'data.csv:1: duplicate column "c1" in the header'],
    ['an unknown label', `${header}\n${good}\n10,theft,1,1,1,2.7\n`, 'data.csv:3 column label: unknown label "theft"; expected one of normal, c1, c2, c3'],
    ['an empty label', `${header}\n10,,1,1,1,2.7\n`, 'data.csv:2 column label: empty label'],
    ['a NaN cell', `${header}\n${good}\n${good}\n10,c1,NaN,1,1,2.7\n`, 'data.csv:4 column c1: expected a finite number, found "NaN"'],
    ['an empty cell', `${header}\n10,c1,1,,1,2.7\n`, 'data.csv:2 column c2: expected a finite number, found an empty cell'],
    ['a word in a number column', `${header}\n10,c1,1,1,1,2.7x\n`, 'data.csv:2 column feeder: expected a finite number, found "2.7x"'],
    ['Infinity', `${header}\n1e999,c1,1,1,1,2.7\n`, 'data.csv:2 column line_voltage: number "1e999" is out of range'],
    ['a short row', `${header}\n10,c1,1,1,1\n`, 'data.csv:2: expected 6 columns as in the header, found 5'],
    ['a quoted field', `${header}\n10,"c1",1,1,1,2.7\n`, 'data.csv:2: quoted fields are not supported'],
  ])('refuses %s, naming the line and column', (_name, text, message) => {
    expect(() => parse(text)).toThrow(DatasetError);
    expect(() => parse(text)).toThrow(message);
  });
});
