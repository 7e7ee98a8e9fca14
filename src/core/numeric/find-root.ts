/**
 * @module numeric/find-root
 *
 * Safeguarded root finding on a bracket: Brent's method (inverse quadratic interpolation and
 * secant steps, falling back to bisection whenever an interpolated step would not shrink the
 * bracket fast enough). The bracket [lo, hi] always contains a sign change, so the method
 * cannot diverge; it converges superlinearly on smooth functions and never slower than
 * bisection by more than a constant factor.
 *
 * Reference: R. P. Brent, "Algorithms for Minimization without Derivatives" (1973), ch. 4.
 */
import { RiskError, requireInput } from '../errors.js';
import { TOL } from './tolerances.js';

/** Options of `findRoot`. */
export interface FindRootOptions {
  /** absolute tolerance on x (default TOL.ROOT_X = 1e-14, in the unit of x) */
  readonly xTol?: number;
  /** iteration budget (default 200) */
  readonly maxIterations?: number;
}

/** A root with its diagnostics. */
export interface FindRootResult {
  /** the root estimate */
  readonly x: number;
  /** f(x) */
  readonly fx: number;
  /** iterations used */
  readonly iterations: number;
}

/**
 * Finds x in [lo, hi] with f(x) = 0, given f(lo) and f(hi) of opposite signs (or one zero).
 *
 * @param f     a continuous function on [lo, hi]
 * @param lo    lower end of the bracket
 * @param hi    upper end of the bracket (> lo)
 * @param opts  tolerances
 * @returns     the root, f at the root, and the iteration count
 * @throws InvalidInputError ERR_INVALID_INPUT when the bracket is empty or has no sign change
 * @throws RiskError ERR_NO_CONVERGENCE when the budget runs out (not reachable for continuous f
 *         with the default budget: bisection alone halves the bracket 200 times)
 * @example findRoot((x) => x * x - 2, 0, 2).x // 1.4142135623730951
 */
export function findRoot(
  f: (x: number) => number,
  lo: number,
  hi: number,
  opts: FindRootOptions = {},
): FindRootResult {
  const xTol = opts.xTol ?? TOL.ROOT_X;
  const maxIterations = opts.maxIterations ?? 200;
  requireInput(
    Number.isFinite(lo) && Number.isFinite(hi) && hi > lo,
    'bracket',
    [lo, hi],
    'must be finite with hi > lo',
  );
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return { x: a, fx: 0, iterations: 0 };
  if (fb === 0) return { x: b, fx: 0, iterations: 0 };
  requireInput(
    (fa < 0 && fb > 0) || (fa > 0 && fb < 0),
    'bracket',
    { lo, hi, fLo: fa, fHi: fb },
    'must have f(lo) and f(hi) of opposite signs',
  );
  // c is the previous iterate with f(c) of the sign opposite to f(b); b is the best estimate.
  let c = a;
  let fc = fa;
  let d = b - a; // last step
  let e = d; // step before last
  for (let iter = 1; iter <= maxIterations; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b as the point with the smallest |f|.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * TOL.EPS * Math.abs(b) + 0.5 * xTol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return { x: b, fx: fb, iterations: iter };
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Interpolate: secant when a = c, inverse quadratic otherwise.
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolation only if it falls inside the bracket and shrinks steps fast.
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  throw new RiskError('ERR_NO_CONVERGENCE', `findRoot did not converge in ${maxIterations} iterations`, {
    lo,
    hi,
    best: b,
    fBest: fb,
  });
}
