import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython, reportSkip } from './python-for-tests.js';
import { pythonRepr, roundedDecimalUnits, roundHalfEven } from './python-float.js';
import { PythonRandom } from './random/python-random.js';

// [x, ndigits, CPython 3.11 round(x, ndigits)]
const ROUND_CASES: [number, number, number][] = [
  [2.675, 2, 2.67], // binary value is below the tie
  [2.675, 3, 2.675],
  [0.125, 2, 0.12], // exact tie, to even
  [0.375, 2, 0.38], // exact tie, to even
  [1.0005, 3, 1.0], // binary value is below the tie
  [0.0625, 3, 0.062], // toFixed(3) gives 0.063
  [-0.0625, 3, -0.062],
  [0.0005, 3, 0.001],
  [0.0015, 3, 0.002],
  [2.5, 0, 2.0],
  [3.5, 0, 4.0],
  [-2.5, 0, -2.0],
  [-0.0001, 3, -0.0],
  [-0.0, 3, -0.0],
  [1.0045, 3, 1.004],
  [8.245, 2, 8.24],
  [0.8250000000000001, 3, 0.825],
  [1e300, 3, 1e300],
  [5e-324, 3, 0.0],
  [123456.78949999999, 3, 123456.789],
  [4503599627370495.5, 0, 4503599627370496.0],
  [4503599627370497.0, 3, 4503599627370497.0],
  [0.1 + 0.2, 3, 0.3],
  [1.3335, 3, 1.333],
  [2.0000000000000004, 3, 2.0],
  [1e-320, 15, 0.0],
];

// [x, CPython 3.11 repr(x)]
const REPR_CASES: [number, string][] = [
  [0.1, '0.1'],
  [1.0, '1.0'],
  [11.0, '11.0'],
  [1e-5, '1e-05'],
  [1e16, '1e+16'],
  [1e-4, '0.0001'],
  [9999999999999998.0, '9999999999999998.0'],
  [123456789012345678.0, '1.2345678901234568e+17'],
  [-0.0, '-0.0'],
  [0.0, '0.0'],
  [1.5e-7, '1.5e-07'],
  [1e22, '1e+22'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [-1.25, '-1.25'],
  [0.00012, '0.00012'],
  [-1e-7, '-1e-07'],
  [2.441, '2.441'],
  [1e15, '1000000000000000.0'],
  [123.456e-10, '1.23456e-08'],
  [1 / 3, '0.3333333333333333'],
  [NaN, 'nan'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
];

describe('roundHalfEven', () => {
  it('matches CPython round() on ties and near-ties', () => {
    const got = ROUND_CASES.map(([x, n]) => roundHalfEven(x, n));
    expect(got).toEqual(ROUND_CASES.map(([, , want]) => want));
    // toEqual treats 0 and -0 alike; the sign is part of the answer.
    expect(got.map((v) => Object.is(v, -0))).toEqual(ROUND_CASES.map(([, , want]) => Object.is(want, -0)));
  });

  it('passes NaN and infinities through, as CPython does', () => {
    expect([roundHalfEven(NaN, 3), roundHalfEven(Infinity, 3), roundHalfEven(-Infinity, 3)]).toEqual([
      NaN,
      Infinity,
      -Infinity,
    ]);
  });

  it.each([-1, 1.5, 23])('refuses ndigits %s', (n) => {
    expect(() => roundHalfEven(1, n)).toThrow(RangeError);
  });
});

describe('roundedDecimalUnits', () => {
  it('counts units of 10**-ndigits', () => {
    expect([
      roundedDecimalUnits(9.215, 2), // 9.21499999... in binary
      roundedDecimalUnits(0.0625, 3),
      roundedDecimalUnits(-2.675, 2),
      roundedDecimalUnits(12, 3),
    ]).toEqual([921, 62, 267, 12000]);
  });

  it('refuses values whose unit count is not a safe integer', () => {
    expect(() => roundedDecimalUnits(1e300, 3)).toThrow(RangeError);
    expect(() => roundedDecimalUnits(NaN, 3)).toThrow(RangeError);
  });
});

describe('pythonRepr', () => {
  it('prints floats as CPython repr()', () => {
    expect(REPR_CASES.map(([x]) => pythonRepr(x))).toEqual(REPR_CASES.map(([, want]) => want));
  });
});

const { python, skipReason } = findPython();
reportSkip('python-float fuzz against CPython', skipReason);

describe.skipIf(skipReason !== undefined)('against CPython', () => {
  it('agrees on round(x, n) and repr for 40,000 varied doubles', () => {
    const rng = new PythonRandom(2024);
    const xs: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const u = rng.random();
      xs.push(u * 20 - 10); // dataset-like magnitudes
      xs.push(Math.round(u * 1e6) / 2 ** (i % 12)); // dyadic values: many exact ties
      xs.push((u - 0.5) * 10 ** ((i % 40) - 20)); // wide exponents for repr layout
      xs.push((2 * Math.floor(u * 1e6) + 1) / 2 / 10 ** (i % 7)); // decimal ties: ...5 at the last digit
    }
    const script = `import sys
for line in sys.stdin:
    x = float.fromhex(line)
    print(repr(x), *(repr(round(x, n)) for n in range(7)))`;
    const input = xs.map(toHex).join('\n') + '\n';
    const run = spawnSync(python, ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.stderr).toBe('');
    const ours = xs.map((x) => [pythonRepr(x), ...[0, 1, 2, 3, 4, 5, 6].map((n) => pythonRepr(roundHalfEven(x, n)))].join(' '));
    expect(ours).toEqual(run.stdout.trimEnd().split('\n'));
  });
});

/** Exact hexadecimal form (float.fromhex input), so no decimal rounding on the way. */
function toHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  if (exp === 0) return `${sign}0x0.${frac}p-1022`;
  return `${sign}0x1.${frac}p${exp - 1023}`;
}
