/**
 * An independent, slow, arbitrary-precision reference for the normal CDF, used only by tests.
 * Fixed-point BigInt arithmetic with P decimal digits: π by Machin's formula, √ by integer
 * square root, erf by its Taylor series Σ (−1)ⁿ z^{2n+1} / (n!(2n+1)) · 2/√π, with P chosen
 * so that the alternating series' cancellation (terms up to e^{z²}) leaves ≥ 30 digits.
 */

function pow10(p: number): bigint {
  return 10n ** BigInt(p);
}

function arctanInv(n: bigint, scale: bigint): bigint {
  // arctan(1/n) = Σ (−1)^k / ((2k+1) n^{2k+1})
  let sum = 0n;
  let term = scale / n;
  const n2 = n * n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
    term /= n2;
  }
  return sum;
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  // Start above the root (2^ceil(bits/2)); Newton then decreases monotonically to it.
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The exact value of a double, times 10^p, rounded to an integer. */
function doubleToFixed(x: number, p: number): bigint {
  if (x === 0) return 0n;
  const sign = x < 0 ? -1n : 1n;
  let m = Math.abs(x);
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e += 1;
  }
  const num = BigInt(m) * pow10(p);
  const den = 1n << BigInt(e);
  return (sign * (num + den / 2n)) / den;
}

/** 0.5·erfc(|x|/√2) (the lower tail N(−|x|)) as a fixed-point BigInt with `p` digits. */
function lowerTailFixed(x: number, p: number): bigint {
  const scale = pow10(p);
  const pi = 16n * arctanInv(5n, scale) - 4n * arctanInv(239n, scale);
  const sqrtPi = isqrt(pi * scale);
  const sqrt2 = isqrt(2n * scale * scale);
  const xf = doubleToFixed(Math.abs(x), p);
  const z = (xf * scale) / sqrt2;
  const z2 = (z * z) / scale;
  // Σ (−1)^n z^{2n+1} / (n! (2n+1))
  let term = z; // z^{2n+1}/n!
  let sum = 0n;
  for (let n = 0n; term !== 0n; n++) {
    sum += (n % 2n === 0n ? 1n : -1n) * (term / (2n * n + 1n));
    term = (term * z2) / scale / (n + 1n);
  }
  const erfV = (2n * sum * scale) / sqrtPi;
  return (scale - erfV) / 2n;
}

/**
 * Relative error of `approx` against the reference N(x), computed without leaving BigInt
 * until the final small ratio.
 */
export function normCdfRelativeError(x: number, approx: number): number {
  const z2 = (x * x) / 2;
  const p = 40 + Math.ceil((2 * z2) / Math.LN10);
  const scale = pow10(p);
  const tail = lowerTailFixed(x, p);
  const ref = x <= 0 ? tail : scale - tail;
  const got = doubleToFixed(approx, p);
  const diff = got > ref ? got - ref : ref - got;
  if (ref === 0n) return diff === 0n ? 0 : Infinity;
  return Number((diff * 10n ** 30n) / ref) / 1e30;
}

/**
 * Relative error of an undiscounted out-of-the-money Black price against the reference
 * K·N(−d2) − F·N(−d1) (put, F > K) or F·N(d1) − K·N(d2) (call, F ≤ K), where d1 and d2 are
 * the doubles the pricer itself forms (the reference isolates the error of evaluating N and
 * the difference, not the rounding of d1, d2).
 */
export function otmPriceRelativeError(
  isCall: boolean,
  f: number,
  k: number,
  d1: number,
  d2: number,
  approx: number,
): number {
  const maxZ2 = Math.max(d1 * d1, d2 * d2) / 2;
  const p = 60 + Math.ceil((2 * maxZ2) / Math.LN10);
  const scale = pow10(p);
  const cdf = (x: number) => (x <= 0 ? lowerTailFixed(x, p) : scale - lowerTailFixed(x, p));
  const fF = doubleToFixed(f, p);
  const kF = doubleToFixed(k, p);
  const ref = isCall ? (fF * cdf(d1) - kF * cdf(d2)) / scale : (kF * cdf(-d2) - fF * cdf(-d1)) / scale;
  const got = doubleToFixed(approx, p);
  const diff = got > ref ? got - ref : ref - got;
  if (ref <= 0n) return diff === 0n ? 0 : Infinity;
  return Number((diff * 10n ** 30n) / ref) / 1e30;
}
