import { Mt19937 } from './mt19937.js';

/**
 * The parts of CPython's `random.Random` (3.11, Modules/_randommodule.c and
 * Lib/random.py) that the original generator uses, draw for draw.
 */
export class PythonRandom {
  private readonly mt: Mt19937;

  /** `random.seed(n)` for an int n; n may be any integer (bigint beyond 2**53). */
  constructor(seed: number | bigint) {
    this.mt = Mt19937.fromInitByArray(seedKey(seed));
  }

  /** 53-bit float in [0, 1): `(a * 2**26 + b) / 2**53` (genrand_res53). */
  random(): number {
    const a = this.mt.nextUint32() >>> 5;
    const b = this.mt.nextUint32() >>> 6;
    // * 2**-53 is exact, and cheaper than dividing by 2**53.
    return (a * 67108864 + b) * 1.1102230246251565e-16;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** `getrandbits(k)` for 0 <= k <= 32: the top k bits of one 32-bit draw. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 32) {
      throw new RangeError(`getrandbits supports 0..32 bits here, got ${k}`);
    }
    if (k === 0) return 0;
    return this.mt.nextUint32() >>> (32 - k);
  }

  /** `choices(population, cum_weights=cumWeights, k=1)[0]`. */
  choices<T>(population: readonly T[], cumWeights: readonly number[]): T {
    const n = population.length;
    if (cumWeights.length !== n) {
      throw new RangeError('The number of weights does not match the population');
    }
    const total = cumWeights[n - 1];
    if (!(total > 0)) throw new RangeError('Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw new RangeError('Total of weights must be finite');
    return population[bisectRight(cumWeights, this.random() * total, n - 1)];
  }

  /** `choice(seq)`: `_randbelow(len(seq))` by rejection on bit_length(n) bits. */
  choice<T>(seq: readonly T[]): T {
    const n = seq.length;
    if (n === 0) throw new RangeError('Cannot choose from an empty sequence');
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return seq[r];
  }
}

/** `itertools.accumulate(weights)`: the float running sums `choices` bisects. */
export function cumulativeWeights(weights: readonly number[]): number[] {
  const cum: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cum.push(sum);
  }
  return cum;
}

/** `bisect.bisect_right(a, x, 0, hi)`. */
function bisectRight(a: readonly number[], x: number, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The 32-bit words of abs(seed), least significant first; [0] for 0. */
function seedKey(seed: number | bigint): number[] {
  let n: bigint;
  if (typeof seed === 'bigint') {
    n = seed;
  } else {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be a safe integer (use a bigint beyond 2**53), got ${seed}`);
    }
    n = BigInt(seed);
  }
  if (n < 0n) n = -n;
  const key: number[] = [];
  do {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return key;
}
