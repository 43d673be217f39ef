import { describe, expect, it } from 'vitest';
import { numberOption, parseCliArgs, UsageError } from './cli-args.js';

const OPTIONS = { C: { type: 'string' }, coef0: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('numberOption', () => {
  it.each([
    ['1e3', 1000],
    ['.5', 0.5],
    ['+1', 1],
    ['-1', -1],
    [' 2 ', 2],
    ['10.', 10],
  ])('reads %j as %d', (text, n) => {
    expect(numberOption(text, 'x', 0)).toBe(n);
  });

  it.each(['0x10', '0b1', '0o7', '1_000', '', '  ', 'Infinity', '-Infinity', 'NaN', '1e400', '1,5', '5px'])('refuses %j, naming the option', (text) => {
    expect(() => numberOption(text, 'seed', 0)).toThrow(UsageError);
    expect(() => numberOption(text, 'seed', 0)).toThrow(`--seed must be a number, got ${JSON.stringify(text)}`);
  });
});

describe('parseCliArgs', () => {
  it.each([
    [['--coef0', '-1'], { coef0: '-1' }],
    [['--C', '-.5', '--json'], { C: '-.5', json: true }],
    [['--coef0=-2'], { coef0: '-2' }],
    [['--coef0', '-1e-3'], { coef0: '-1e-3' }],
  ])('takes a negative number after an option as its value: %j', (argv, values) => {
    expect(parseCliArgs(argv, OPTIONS).values).toEqual(values);
  });

  it.each([
    [['--C', '-x'], "Option '--C' argument is ambiguous"],
    [['--C'], "Option '--C <value>' argument missing"],
    [['--json', '-1'], "Unknown option '-1'"],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('turns %j into a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv, OPTIONS)).toThrow(UsageError);
    expect(() => parseCliArgs(argv, OPTIONS)).toThrow(message);
  });

  it('refuses a stray argument when the command takes none, instead of ignoring it', () => {
    expect(() => parseCliArgs(['data.csv'], OPTIONS, { positionals: false })).toThrow(UsageError);
    expect(() => parseCliArgs(['data.csv'], OPTIONS, { positionals: false })).toThrow("Unexpected argument 'data.csv'");
    expect(parseCliArgs(['a', 'b'], OPTIONS).positionals).toEqual(['a', 'b']);
  });
});
