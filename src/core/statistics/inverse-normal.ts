/**
 * @module statistics/inverse-normal
 *
 * The standard normal quantile Φ⁻¹(p), to the accuracy of `normCdf` itself.
 *
 * Method: P. J. Acklam's rational approximation (relative error ≤ 1.15e-9 over (0, 1): a central
 * rational function on [0.02425, 0.97575] and a tail one in q = √(−2·ln p)), refined by one
 * Halley step on f(x) = Φ(x) − p using our `normCdf` (Cody, ~1e-15 relative in the lower tail):
 *
 *   e = Φ(x) − p,  u = e·√(2π)·e^{x²/2} (= e/φ(x)),  x ← x − u/(1 + x·u/2)
 *
 * Halley converges cubically, so one step from 1e-9 leaves only the error of Φ itself. The upper
 * half is computed by symmetry, Φ⁻¹(p) = −Φ⁻¹(1 − p), where 1 − p is exact for p ≥ ½ (Sterbenz),
 * so every evaluation works in the lower tail where `normCdf` has full relative precision.
 *
 * Conditioning: a relative error δ in p moves x by δ·Φ(x)/φ(x) ≈ δ/|x| in the tail; conversely one
 * ulp of x changes Φ(x) by a relative ≈ x²·2^-52. So a round trip Φ(Φ⁻¹(p)) = p holds to ~1e-14
 * relative for |x| ≲ 6 and degrades as x² beyond (2e-13 at p = 1e-300).
 *
 * References: P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function" (2003, web note; coefficients as published); E. Halley's method, e.g. Press et al.,
 * Numerical Recipes 3rd ed. §9.4.
 */
import { requireInput } from '../errors.js';
import { normCdf } from '../numeric/normal.js';

// Acklam's coefficients, as published.
const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;

/** Boundary between Acklam's tail and central regions. */
const P_LOW = 0.02425;
/** √(2π) */
const SQRT_2PI = 2.5066282746310002;

/** Φ⁻¹(p) for 0 < p ≤ ½: Acklam's approximation plus one Halley step (x ≤ 0). */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
      (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
  }
  // Halley step. e/φ(x) is formed as e·√(2π)·e^{x²/2}; for p ≥ 1e-300, |x| ≤ 37.1 and
  // e^{x²/2} ≤ 1e299 stays finite, while e is of the order of 1e-9·p, so u stays small.
  const e = normCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * Standard normal quantile: the x with Φ(x) = p.
 *
 *   Φ⁻¹(p) = Acklam(p) refined by one Halley step;  Φ⁻¹(p) = −Φ⁻¹(1 − p) for p > ½
 *
 * @param p  probability in [0, 1]
 * @returns  x ∈ [−∞, +∞]: −Infinity at p = 0, +Infinity at p = 1, 0 at p = ½; for subnormal p
 *           (< 2.2e-308) the Halley step is skipped and Acklam's 1e-9 value returned
 * @throws InvalidInputError ERR_INVALID_INPUT when p is NaN or outside [0, 1]
 * @see docs/methodology/var-es.md#normal-closed-forms
 * @example invNormCdf(0.975) // 1.959963984540054
 */
export function invNormCdf(p: number): number {
  requireInput(p >= 0 && p <= 1, 'p', p, 'must be a probability in [0, 1]');
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -invNormCdfLowerSafe(1 - p); // 1 − p exact for p ≥ ½
  return invNormCdfLowerSafe(p);
}

/** Lower-half quantile; below the normal range of doubles the refinement would overflow. */
function invNormCdfLowerSafe(p: number): number {
  if (p < 2.2250738585072014e-308) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1)
    );
  }
  return lowerQuantile(p);
}
