import { describe, expect, it } from 'vitest';
import { parseCliOptions, type CliOptions } from './cli-options.js';
import { OptionError } from './errors.js';

const clock = () => 1748768400000;
const defaults: CliOptions = {
  rows: 3000,
  seed: 1748768400000,
  seedFromClock: true,
  weights: undefined,
  out: 'datasets/power_data_labeled.csv',
  help: false,
};

describe('parseCliOptions', () => {
  it.each<[string[], Partial<CliOptions>]>([
    [[], {}],
    [['--rows', '5', '--seed', '42'], { rows: 5, seed: 42, seedFromClock: false }],
    [['--seed=-7'], { seed: -7, seedFromClock: false }],
    [['--seed', '0'], { seed: 0, seedFromClock: false }],
    [['--seed', '123456789012345678901234567890'], { seed: 123456789012345678901234567890n, seedFromClock: false }],
    [['--weights', '0.6,0.2,0.2'], { weights: [0.6, 0.2, 0.2] }],
    [['--weights', '0,1e-3,.5'], { weights: [0, 0.001, 0.5] }],
    [['--out', '-'], { out: '-' }],
    [['--out', 'x/y.csv'], { out: 'x/y.csv' }],
    [['-h'], { help: true }],
  ])('parses %j', (argv, expected) => {
    expect(parseCliOptions(argv, clock)).toEqual({ ...defaults, ...expected });
  });

  it.each<[string[], string, string]>([
    [['--rows', 'abc'], '--rows', '--rows must be a positive integer, got "abc"'],
    [['--rows', '0'], '--rows', '--rows must be a positive integer, got "0"'],
    [['--rows', '1.5'], '--rows', '--rows must be a positive integer, got "1.5"'],
    [['--rows', '1e3'], '--rows', '--rows must be a positive integer, got "1e3"'],
    [['--rows', '99999999999999999'], '--rows', '--rows must be a positive integer, got "99999999999999999"'],
    [['--seed', '4.2'], '--seed', '--seed must be an integer, got "4.2"'],
    [['--seed', ''], '--seed', '--seed must be an integer, got ""'],
    [['--weights', '1,2'], '--weights', '--weights must be 3 non-negative numbers for normal,blatant,stealth, got "1,2"'],
    [['--weights', '1,-2,3'], '--weights', '--weights must be 3 non-negative numbers for normal,blatant,stealth, got "1,-2,3"'],
    [['--weights', '1,x,3'], '--weights', '--weights must be 3 non-negative numbers for normal,blatant,stealth, got "1,x,3"'],
    [['--weights', '1,1e999,3'], '--weights', '--weights must be 3 non-negative numbers for normal,blatant,stealth, got "1,1e999,3"'],
    [['--weights', '0,0,0'], '--weights', '--weights must not all be zero, got "0,0,0"'],
    [['--out', ''], '--out', '--out must be a file path or -, got ""'],
  ])('refuses %j naming the option', (argv, option, message) => {
    const error = refusal(argv);
    expect({ option: error.option, message: error.message }).toEqual({ option, message });
  });

  // node's parseArgs words these; pin the option and the gist, not its prose.
  it.each<[string[], string, string]>([
    [['--row', '5'], '--row', "Unknown option '--row'"],
    [['--rows'], '--rows', "Option '--rows <value>' argument missing"],
    [['--seed', '-7'], '--seed', "Option '--seed' argument is ambiguous"],
    [['out.csv'], 'arguments', "Unexpected argument 'out.csv'"],
  ])('refuses %j as node parseArgs does', (argv, option, gist) => {
    const error = refusal(argv);
    expect(error.option).toBe(option);
    expect(error.message).toContain(gist);
  });
});

function refusal(argv: string[]): OptionError {
  try {
    parseCliOptions(argv, clock);
  } catch (error) {
    if (error instanceof OptionError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
}
