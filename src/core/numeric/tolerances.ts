/**
 * @module numeric/tolerances
 *
 * Named tolerances and the one float comparison the project uses. A tolerance is a property
 * of what is compared (a price, a greek, an implied volatility), so it has a name here
 * rather than a literal at each call site.
 */

/** An absolute and a relative tolerance; `approxEqual` passes when either holds. */
export interface Tolerance {
  /** absolute tolerance, in the unit of the compared values (≥ 0) */
  readonly abs: number;
  /** relative tolerance, a fraction of max(|a|, |b|) (≥ 0) */
  readonly rel: number;
}

/** The project's named tolerances. */
export const TOL = {
  /** machine epsilon of float64, 2^-52 */
  EPS: 2 ** -52,
  /** normal CDF against a high-precision reference: relative 1e-14 (Cody's erfc is ~1e-16) */
  NORM_CDF: { abs: 0, rel: 1e-14 },
  /** option prices compared across formulas (parity, batched vs scalar), per unit of forward */
  PRICE: { abs: 1e-12, rel: 1e-12 },
  /** implied vol round trip: σ recovered from its own price */
  IMPLIED_VOL: { abs: 1e-10, rel: 1e-9 },
  /** greeks against central finite differences (truncation error dominates) */
  FD_GREEK: { abs: 1e-6, rel: 1e-5 },
  /** default convergence tolerance of root finders, in the unit of x */
  ROOT_X: 1e-14,
} as const;

/**
 * |a − b| ≤ max(abs, rel · max(|a|, |b|)). NaN is never equal to anything.
 * @example approxEqual(1, 1 + 1e-13, TOL.PRICE) // true
 */
export function approxEqual(a: number, b: number, tol: Tolerance): boolean {
  if (a === b) return true; // also equal infinities
  const diff = Math.abs(a - b);
  return diff <= tol.abs || diff <= tol.rel * Math.max(Math.abs(a), Math.abs(b));
}
