/**
 * @module statistics/student-t
 *
 * Student's t distribution with ν degrees of freedom (standard form: location 0, scale 1; the
 * variance is ν/(ν − 2) for ν > 2), and the closed forms of its tail measures used to set a
 * model's coverage level and to test Expected Shortfall:
 *
 *   pdf   f(t) = Γ((ν+1)/2) / (√(νπ)·Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2)
 *   sf    P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½)  for t ≥ 0   (I the regularised incomplete beta)
 *   ES_α  = f(q_α)/(1 − α) · (ν + q_α²)/(ν − 1),  q_α the α-quantile  (ν > 1)
 *
 * ν = Infinity is the normal distribution (Φ, φ: numeric/normal.ts). I_x(a, b) is evaluated by
 * its continued fraction with the modified Lentz method (Press et al., Numerical Recipes, 3rd ed.,
 * §6.4), on the side x < (a + 1)/(a + b + 2) where it converges fast; ln Γ by Lanczos (g = 7,
 * 9 terms), about 1e-15 relative. Quantiles by Newton's method on the cdf from a normal start,
 * kept inside a bracket (bisection when a step leaves it).
 *
 * References: W. H. Press et al., Numerical Recipes (2007) §6.1, §6.4, §6.14; for ES of the t,
 * A. J. McNeil, R. Frey, P. Embrechts, Quantitative Risk Management (2015), example 2.15.
 */
import { requireInput } from '../errors.js';
import { normCdf, normPdf, normSf } from '../numeric/normal.js';
import { invNormCdf } from './inverse-normal.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7, 9 coefficients; reflection below ½), about 1e-15 relative.
 * @throws InvalidInputError ERR_INVALID_INPUT for x ≤ 0 or not finite
 * @see Press et al., Numerical Recipes (2007) §6.1
 * @example lnGamma(5) // ln 24
 */
export function lnGamma(x: number): number {
  requireInput(x > 0 && x < Infinity, 'x', x, 'must be finite and > 0');
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of I_x(a, b) (Numerical Recipes betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) return h;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b) = B(x; a, b)/B(a, b).
 * @throws InvalidInputError ERR_INVALID_INPUT for x ∉ [0, 1] or a, b ≤ 0
 * @example incompleteBeta(0.5, 2, 2) // 0.5
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  requireInput(x >= 0 && x <= 1, 'x', x, 'must be in [0, 1]');
  requireInput(a > 0 && b > 0 && a < Infinity && b < Infinity, 'a, b', [a, b], 'must be finite and > 0');
  if (x === 0 || x === 1) return x;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  // Use the side where the fraction converges quickly; the other by symmetry.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

function requireDof(dof: number): void {
  requireInput(dof > 0, 'dof', dof, 'must be > 0 (Infinity for the normal)');
}

/**
 * Density of the t distribution at t (module header); ν = Infinity gives φ.
 * @throws InvalidInputError ERR_INVALID_INPUT for ν ≤ 0
 * @example studentTPdf(0, 1) // 1/π
 */
export function studentTPdf(t: number, dof: number): number {
  requireDof(dof);
  if (dof === Infinity) return normPdf(t);
  const lnC = lnGamma((dof + 1) / 2) - lnGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI);
  return Math.exp(lnC - ((dof + 1) / 2) * Math.log1p((t * t) / dof));
}

/**
 * Upper tail P(T > t) (module header); ν = Infinity gives the normal tail.
 * @throws InvalidInputError ERR_INVALID_INPUT for ν ≤ 0
 * @example studentTSf(0, 4) // 0.5
 */
export function studentTSf(t: number, dof: number): number {
  requireDof(dof);
  if (dof === Infinity) return normSf(t);
  const tail = 0.5 * incompleteBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/**
 * P(T ≤ t), from the upper tail on the side that keeps full relative precision.
 * @throws InvalidInputError ERR_INVALID_INPUT for ν ≤ 0
 * @example studentTCdf(3.747, 4) // 0.99 (t table)
 */
export function studentTCdf(t: number, dof: number): number {
  requireDof(dof);
  if (dof === Infinity) return normCdf(t);
  return t >= 0 ? 1 - studentTSf(t, dof) : studentTSf(-t, dof);
}

/**
 * The p-quantile of the t distribution: F(q) = p (module header).
 * @param p  probability in (0, 1)
 * @throws InvalidInputError ERR_INVALID_INPUT for p ∉ (0, 1) or ν ≤ 0
 * @example studentTQuantile(0.975, 10) // 2.228 (any t table)
 */
export function studentTQuantile(p: number, dof: number): number {
  requireInput(p > 0 && p < 1, 'p', p, 'must be in (0, 1)');
  requireDof(dof);
  if (dof === Infinity) return invNormCdf(p);
  if (p < 0.5) return -studentTUpperQuantile(p, dof);
  if (p === 0.5) return 0;
  return studentTUpperQuantile(1 - p, dof);
}

/**
 * The q ≥ 0 with P(T > q) = tail, for tail ∈ (0, 0.5]: the upper quantile without forming
 * 1 − tail (full relative precision for tiny tails, e.g. 1e-18).
 * @throws InvalidInputError ERR_INVALID_INPUT for tail ∉ (0, 0.5] or ν ≤ 0
 * @example studentTUpperQuantile(0.01, 4) // 3.747
 */
export function studentTUpperQuantile(tail: number, dof: number): number {
  requireInput(tail > 0 && tail <= 0.5, 'tail', tail, 'must be in (0, 0.5]');
  requireDof(dof);
  if (dof === Infinity) return -invNormCdf(tail);
  if (tail === 0.5) return 0;
  // Solve sf(q) = tail on [0, hi], Newton in q from the normal quantile, kept in the bracket.
  let lo = 0;
  let hi = 1;
  while (studentTSf(hi, dof) > tail) hi *= 2;
  let q = Math.min(Math.max(-invNormCdf(tail), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTSf(q, dof) - tail; // decreasing in q
    if (f > 0) lo = q;
    else hi = q;
    let next = q + f / studentTPdf(q, dof);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - q) <= 1e-14 * Math.max(1, q)) return next;
    q = next;
  }
  return q;
}

/**
 * Expected Shortfall at confidence α of the standard t (loss = T, upper tail), ν > 1:
 * ES_α = f(q_α)/(1 − α)·(ν + q_α²)/(ν − 1); ν = Infinity: φ(z_α)/(1 − α).
 * @throws InvalidInputError ERR_INVALID_INPUT for α ∉ (0, 1) or ν ≤ 1
 * @example expectedShortfallT(0.99, Infinity) // 2.6652
 */
export function expectedShortfallT(alpha: number, dof: number): number {
  requireInput(alpha > 0 && alpha < 1, 'alpha', alpha, 'must be in (0, 1)');
  requireInput(dof > 1, 'dof', dof, 'must be > 1 (ES is infinite otherwise)');
  const q = studentTQuantile(alpha, dof);
  if (dof === Infinity) return normPdf(q) / (1 - alpha);
  return (studentTPdf(q, dof) / (1 - alpha)) * ((dof + q * q) / (dof - 1));
}
