import { describe, expect, it } from 'vitest';
import { cumulativeWeights, PythonRandom } from './python-random.js';

// Ground truth from CPython 3.11: r = random.Random(seed);
// [r.getrandbits(32) for _ in range(3)], [r.random() for _ in range(3)], r.uniform(8.0, 12.0)
const CPYTHON: [number | bigint, number[], number[], number][] = [
  [0, [3626764237, 1654615998, 3255389356], [0.890243920837131, 0.04048437818077755, 0.9654648863619172], 9.94371078625125],
  [42, [2746317213, 478163327, 107420369], [0.7415504997598329, 0.24489185380347622, 0.1395379285251439], 8.40998070468603],
  [2 ** 32 + 5, [675479763, 2085189291, 1213270837], [0.8899258643720599, 0.8353252635488171, 0.35506619235705983], 8.685276769924272],
  [
    123456789012345678901234567890n,
    [3124625047, 947073620, 685135262],
    [0.8208196015045975, 0.527044328073413, 0.9552379390749307],
    10.98336364492986,
  ],
  [-7, [1390851128, 4071050724, 647892279], [0.3948234964231735, 0.04828642362681235, 0.8212742919913083], 8.37652016775873],
];

describe('PythonRandom', () => {
  it.each(CPYTHON)('matches CPython for seed %s', (seed, bits, floats, uniform) => {
    const rng = new PythonRandom(seed);
    expect([rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)]).toEqual(bits);
    expect([rng.random(), rng.random(), rng.random()]).toEqual(floats);
    expect(rng.uniform(8.0, 12.0)).toBe(uniform);
  });

  it('seeds a bigint and the equal number alike', () => {
    const a = new PythonRandom(2 ** 32 + 5);
    const b = new PythonRandom(BigInt(2 ** 32 + 5));
    expect([a.random(), a.random()]).toEqual([b.random(), b.random()]);
  });

  it('refuses a number seed that is not a safe integer', () => {
    expect(() => new PythonRandom(2 ** 53)).toThrow(RangeError);
    expect(() => new PythonRandom(0.5)).toThrow(RangeError);
  });

  // CPython: r = random.Random(42); then, in this order, the calls below.
  it('draws choice, choices and getrandbits in CPython order', () => {
    const rng = new PythonRandom(42);
    const three = Array.from({ length: 20 }, () => rng.choice(['a', 'b', 'c'])).join('');
    const five = Array.from({ length: 20 }, () => rng.choice([...'abcde'])).join('');
    const one = Array.from({ length: 3 }, () => rng.choice(['x'])).join('');
    const bits = rng.getrandbits(32);
    const modes = Array.from({ length: 30 }, () => rng.choices([...'nbs'], [0.6, 0.8, 1.0])).join('');
    expect({ three, five, one, bits, modes }).toEqual({
      three: 'caacbaaacacccacbaaaa',
      five: 'beeaebedbdecabdccbbc',
      one: 'xxx',
      bits: 415393687,
      modes: 'nnnnnnsnnbsnnnbbsssnnsnnbbbnbn',
    });
  });

  it('accumulates weights with float sums, as itertools.accumulate', () => {
    expect(cumulativeWeights([0.1, 0.7, 0.2])).toEqual([0.1, 0.7999999999999999, 1.0]);
    expect(cumulativeWeights([0.6, 0.2, 0.2])).toEqual([0.6, 0.8, 1.0]);
  });

  it.each([
    ['a length mismatch', [1, 2]],
    ['a zero total', [0, 0, 0]],
    ['an infinite total', [1, 2, Infinity]],
  ])('refuses cumulative weights with %s', (_name, cum) => {
    expect(() => new PythonRandom(1).choices(['a', 'b', 'c'], cum)).toThrow(RangeError);
  });

  it('refuses to choose from an empty sequence', () => {
    expect(() => new PythonRandom(1).choice([])).toThrow(RangeError);
  });
});
