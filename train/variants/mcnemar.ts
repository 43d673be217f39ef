/**
 * McNemar's test for two classifiers scored on the same rows: only the discordant rows count,
 * `b` = rows A gets right and B gets wrong, `c` = rows B gets right and A gets wrong.
 * Under the null hypothesis (equal error rates) each discordant row is a fair coin.
 */
export interface McNemar {
  b: number;
  c: number;
  /** Two-sided exact binomial p-value: min(1, 2 P(X <= min(b, c))), X ~ Binomial(b + c, 1/2). */
  exactP: number;
  /** Edwards' continuity-corrected (|b - c| - 1)^2 / (b + c), chi-square with 1 degree of freedom, as statsmodels' mcnemar(exact=False) (not clipped when b = c). */
  chiSquare: number;
  continuityP: number;
}

export function mcnemar(b: number, c: number): McNemar {
  if (![b, c].every((v) => Number.isInteger(v) && v >= 0)) throw new RangeError(`discordant counts must be whole numbers >= 0, got ${b} and ${c}`);
  const n = b + c;
  if (n === 0) return { b, c, exactP: 1, chiSquare: 0, continuityP: 1 };
  const k = Math.min(b, c);
  // P(X <= k) summed in log space: C(n, i) / 2^n underflows doubles beyond n of about 1000.
  const ln2n = n * Math.LN2;
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - ln2n);
  }
  const chiSquare = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, exactP: Math.min(1, 2 * tail), chiSquare, continuityP: chiSquareSurvival1(chiSquare) };
}

/** P(chi-square with 1 degree of freedom > x) = Q(1/2, x/2), the regularized upper incomplete gamma function. */
export function chiSquareSurvival1(x: number): number {
  if (!(x > 0)) return 1;
  return upperGammaHalf(x / 2);
}

const A = 0.5;
/** ln Gamma(1/2) = ln sqrt(pi). */
const LN_GAMMA_A = 0.5 * Math.log(Math.PI);
const EPS = 1e-16;

/** Q(1/2, x): series for x < a + 1, Lentz's continued fraction beyond (Numerical Recipes, gser/gcf). */
function upperGammaHalf(x: number): number {
  const front = Math.exp(-x + A * Math.log(x) - LN_GAMMA_A);
  if (x < A + 1) {
    let ap = A;
    let term = 1 / A;
    let sum = term;
    for (let i = 0; i < 1000 && Math.abs(term) > Math.abs(sum) * EPS; i++) {
      ap += 1;
      term *= x / ap;
      sum += term;
    }
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - A;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - A);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return front * h;
}
