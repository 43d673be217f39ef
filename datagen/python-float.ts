/**
 * Python's float formatting and rounding, so that CSV text matches what
 * CPython writes byte for byte.
 */

/**
 * `repr(x)` for a Python float: the shortest digits that round-trip (the same
 * digits JavaScript picks), laid out as CPython does: fixed notation when the
 * decimal exponent is in [-4, 16), else `d.ddde±XX`; whole numbers keep ".0".
 */
export function pythonRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // JavaScript prints this range in fixed notation with the same digits.
    const s = String(x);
    return Number.isInteger(x) ? `${s}.0` : s;
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  const exp = Number(exponent);
  const sign = exp < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

// 10**k for k <= 22 is exact in a double; `10 ** k` is not guaranteed to be.
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * CPython's `round(x, ndigits)` for a float: the exact binary value of x
 * rounded to ndigits decimals, ties to even, then read back as the nearest
 * double. (JavaScript's `toFixed` rounds ties away from zero.)
 */
export function roundHalfEven(x: number, ndigits: number): number {
  checkNdigits(ndigits);
  if (!Number.isFinite(x)) return x;
  const abs = Math.abs(x);
  const fast = fastUnits(abs, ndigits);
  // n / 10**k with both exact is correctly rounded, like CPython's strtod.
  const rounded = fast >= 0 ? fast / POW10[ndigits] : Number(`${exactUnits(abs, ndigits)}e-${ndigits}`);
  return x < 0 || Object.is(x, -0) ? -rounded : rounded;
}

/**
 * |round(x, ndigits)| as a count of 10**-ndigits units: the integer n with
 * round(x, ndigits) == ±n / 10**ndigits. Lets hot loops index tables by n.
 */
export function roundedDecimalUnits(x: number, ndigits: number): number {
  checkNdigits(ndigits);
  const abs = Math.abs(x);
  if (!Number.isFinite(abs)) throw new RangeError(`cannot round ${x} to a count of units`);
  const fast = fastUnits(abs, ndigits);
  if (fast >= 0) return fast;
  const units = exactUnits(abs, ndigits);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`round(${x}, ${ndigits}) has more units than a safe integer holds`);
  }
  return Number(units);
}

function checkNdigits(ndigits: number): void {
  if (!Number.isInteger(ndigits) || ndigits < 0 || ndigits >= POW10.length) {
    throw new RangeError(`ndigits must be an integer in [0, ${POW10.length - 1}], got ${ndigits}`);
  }
}

/** The rounded unit count from float arithmetic when that is provably exact, else -1. */
function fastUnits(abs: number, ndigits: number): number {
  const scaled = abs * POW10[ndigits];
  if (!(scaled < 2 ** 52)) return -1;
  const rounded = Math.round(scaled);
  // The product carries at most half an ulp of error (~1.1e-16 relative);
  // farther than this from a tie, the float decision is the exact one.
  if (0.5 - Math.abs(scaled - rounded) <= scaled * 1e-12) return -1;
  return rounded;
}

/** Round abs * 10**ndigits half to even in exact integer arithmetic. */
function exactUnits(abs: number, ndigits: number): bigint {
  const { mantissa, exponent } = decompose(abs);
  const pow10 = 10n ** BigInt(ndigits);
  if (exponent >= 0) return (mantissa << BigInt(exponent)) * pow10;
  const numerator = mantissa * pow10;
  const denominator = 1n << BigInt(-exponent);
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder < denominator) return quotient;
  return quotient + (quotient & 1n);
}

const float64 = new Float64Array(1);
const float64Bits = new BigUint64Array(float64.buffer);

/** A finite, non-negative double as mantissa * 2**exponent, both exact. */
function decompose(abs: number): { mantissa: bigint; exponent: number } {
  float64[0] = abs;
  const bits = float64Bits[0];
  const biasedExponent = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}
