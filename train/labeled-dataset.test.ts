import { constants } from 'node:buffer';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../infer/calibration.js';
import { DatasetError } from './errors.js';
import { parseLabeledCsv, readLabeledCsv } from './labeled-dataset.js';

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

describe('parseLabeledCsv against careless and hostile files', () => {
  const rows = ['10.5,normal,1.05,1.0,1.02,2.75', '9.0,c2,0.9,1.2,0.9,2.6', '11,c1,1.3,1.0,1.0,3.0'];
  const plain = parse(`${header}\n${rows.join('\n')}\n`);

  it.each([
    ['a UTF-8 byte-order mark', `\uFEFF${header}\r\n${rows.join('\r\n')}\r\n`],
    ['CRLF and LF mixed line by line', `${header}\r\n${rows[0]}\n${rows[1]}\r\n${rows[2]}`],
    ['blank and whitespace-only lines in the middle', `${header}\n\n${rows[0]}\n   \n\r\n${rows[1]}\n\t\n${rows[2]}\n\n`],
    ['spaces around cells and labels', `${header.replaceAll(',', ' , ')}\n${rows.map((r) => r.replaceAll(',', '  ,\t')).join('\n')}\n`],
    ['trailing commas on every line', `${header},\n${rows.map((r) => `${r},`).join('\n')}\n`],
    ['several trailing commas', `${header},,\n${rows.map((r) => `${r},,`).join('\n')}\n`],
    ['numbers written 1.05e0, +9, .9 and 11.', `${header}\n10.5,normal,1.05e0,1.0,1.02,2.75\n+9,c2,.9,1.2,0.9,2.6\n11.,c1,1.3,1.0,1.0,3.0\n`],
  ])('reads %s as the plain file', (_name, text) => {
    const d = parse(text);
    expect([Array.from(d.table.values), Array.from(d.y)]).toEqual([Array.from(plain.table.values), Array.from(plain.y)]);
  });

  it('names the source line of each row, blank lines counted', () => {
    expect(Array.from(parse(`${header}\n\n${rows[0]}\n\n\n${rows[1]}\n`).table.lines)).toEqual([3, 6]);
  });

  it.each([
    ['hex', `${header}\n0x10,normal,1,1,1,2.8\n`, 'data.csv:2 column line_voltage: expected a finite number, found "0x10"'],
    ['a comma decimal', `${header}\n10,normal,"1,05",1,1,2.8\n`, 'data.csv:2: quoted fields are not supported'],
    ['a header with a trailing comma but rows without', `${header},\n${rows[0]}\n`, 'data.csv:2: expected 7 columns as in the header, found 6'],
    ['a row with a trailing comma', `${header}\n${rows[0]},\n`, 'data.csv:2: expected 6 columns as in the header, found 7'],
    ['no header line', `${rows.map((r) => r.replace(/,[a-z0-9]+,/, ',5,')).join('\n')}\n`, 'data.csv:1: expected a header line naming the columns line_voltage, c1, c2, c3, feeder, label, found a row of numbers (no header?)'],
    ['JSON lines', '{"line_voltage":10,"label":"normal"}\n', 'data.csv:1: expected a header line naming the columns line_voltage, c1, c2, c3, feeder, label, found JSON'],
    ['UTF-16 text', `\uFFFD\uFFFD${[...header].join('\u0000')}\u0000\n`, 'data.csv:1: found NUL bytes: expected UTF-8 CSV text (is this a UTF-16 or binary file?)'],
    ['a NUL in a data line', `${header}\n${rows[0]}\n10,normal\u0000,1,1,1,2.8\n`, 'data.csv:3: found NUL bytes'],
    ['a repeated header in the middle (files concatenated)', `${header}\n${rows[0]}\n${header}\n`, 'data.csv:3 column line_voltage: expected a finite number, found "line_voltage"'],
    ['a label in another case', `${header}\n10,Normal,1,1,1,2.8\n`, 'data.csv:2 column label: unknown label "Normal"'],
    ['a label with invalid UTF-8', `${header}\n10,norm\uFFFDal,1,1,1,2.8\n`, 'data.csv:2 column label: unknown label "norm\uFFFDal"'],
    ['a terminal escape in a label', `${header}\n10,\u001b[31mnormal,1,1,1,2.8\n`, 'data.csv:2 column label: unknown label "\\u001b[31mnormal"'],
    ['a 100000-digit cell (once 35 s of regex backtracking)', `${header}\n10,normal,${'9'.repeat(100_000)}x,1,1,2.8\n`, `data.csv:2 column c1: expected a finite number, found "${'9'.repeat(40)}…"`],
  ])('refuses %s, naming the line', (_name, text, message) => {
    expect(() => parse(text)).toThrow(DatasetError);
    expect(() => parse(text)).toThrow(message);
  });

  it('keeps a garbage header readable: names quoted, control characters escaped, at most 12 shown', () => {
    const garbage = `\u001b]0;title\u0007,${Array.from({ length: 30 }, (_, i) => `x${i}`).join(',')}\n`;
    expect(() => parse(garbage)).toThrow('(found: "\\u001b]0;title\\u0007", "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", … (31 columns))');
  });
});

describe('readLabeledCsv against paths that are not a CSV file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gs-dataset-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a folder, naming it', async () => {
    await expect(readLabeledCsv(dir, { features: DEFAULT_FEATURES })).rejects.toThrow(`${dir}: cannot read: EISDIR`);
  });

  it('refuses a missing file, naming it', async () => {
    await expect(readLabeledCsv(path.join(dir, 'nope.csv'), { features: DEFAULT_FEATURES })).rejects.toThrow(`${path.join(dir, 'nope.csv')}: cannot read: ENOENT`);
  });

  it('refuses a file longer than the longest string Node can hold, before reading it', async () => {
    const huge = path.join(dir, 'huge.csv');
    await writeFile(huge, '');
    await truncate(huge, constants.MAX_STRING_LENGTH + 1); // sparse: no disk and no memory used
    await expect(readLabeledCsv(huge, { features: DEFAULT_FEATURES })).rejects.toThrow(`${huge}: 512 MiB is more text than Node can hold in one string (512 MiB)`);
  });
});
