/**
 * @module numeric/normal
 *
 * The standard normal distribution: density φ, cumulative N, and the scaled complementary
 * error function, to full double precision (relative error ~1e-15 over the range pricing
 * uses, |x| ≤ 38; see normal.test.ts against a 700-digit reference).
 *
 * Method: W. J. Cody's rational Chebyshev approximations of erf/erfc on three intervals
 * (|z| ≤ 0.46875, ≤ 4, > 4), published coefficients, with Cody's exact splitting of the
 * Gaussian factor so that exp(−z²) loses no digits to the rounding of z².
 * One refinement over evaluating 0.5·erfc(−x/√2): the Gaussian factor exp(−x²/2) is formed
 * from x itself, not from the rounded z = x/√2, because a relative rounding ε in z becomes a
 * relative error 2z²ε in exp(−z²) (8e-14 at z = 20). The rational part R(z) = erfc(z)·e^{z²}
 * is smooth (d ln R / d ln z ≈ −1), so the rounding of z costs it nothing.
 *
 * Reference: W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631–638; the coefficient tables as in netlib SPECFUN CALERF (1990).
 */

// The coefficients are Cody's, as published, to 18 significant digits; each literal is meant as
// its nearest double, so the "loses precision" lint is off for them.
/* eslint-disable no-loss-of-precision */

// Interval 1, |z| ≤ 0.46875: erf(z) ≈ z·P(z²)/Q(z²).
const A0 = 3.1611237438705656;
const A1 = 113.864154151050156;
const A2 = 377.485237685302021;
const A3 = 3209.37758913846947;
const A4 = 0.185777706184603153;
const B0 = 23.6012909523441209;
const B1 = 244.024637934444173;
const B2 = 1282.61652607737228;
const B3 = 2844.23683343917062;

// Interval 2, 0.46875 < z ≤ 4: erfc(z)·e^{z²} ≈ P(z)/Q(z).
const C0 = 0.564188496988670089;
const C1 = 8.88314979438837594;
const C2 = 66.1191906371416295;
const C3 = 298.635138197400131;
const C4 = 881.95222124176909;
const C5 = 1712.04761263407058;
const C6 = 2051.07837782607147;
const C7 = 1230.33935479799725;
const C8 = 2.15311535474403846e-8;
const D0 = 15.7449261107098347;
const D1 = 117.693950891312499;
const D2 = 537.181101862009858;
const D3 = 1621.38957456669019;
const D4 = 3290.79923573345963;
const D5 = 4362.61909014324716;
const D6 = 3439.36767414372164;
const D7 = 1230.33935480374942;

// Interval 3, z > 4: erfc(z)·e^{z²}·z ≈ 1/√π − z⁻²·P(z⁻²)/Q(z⁻²).
const P0 = 0.305326634961232344;
const P1 = 0.360344899949804439;
const P2 = 0.125781726111229246;
const P3 = 0.0160837851487422766;
const P4 = 6.58749161529837803e-4;
const P5 = 0.0163153871373020978;
const Q0 = 2.56852019228982242;
const Q1 = 1.87295284992346047;
const Q2 = 0.527905102951428412;
const Q3 = 0.0605183413124413191;
const Q4 = 0.00233520497626869185;

/** 1/√π */
const INV_SQRT_PI = 0.56418958354775628695;
/** 1/√(2π) */
const INV_SQRT_2PI = 0.3989422804014327;
/** 1/√2 */
const INV_SQRT2 = 0.7071067811865476;
/* eslint-enable no-loss-of-precision */

/** Beyond this z, erfc(z) underflows to 0 in double precision (Cody's XBIG). */
const Z_BIG = 26.543;
/** Boundary of interval 1. */
const Z_SMALL = 0.46875;

/**
 * erf(z)/z on interval 1 (|z| ≤ 0.46875), as a rational function of z²: there
 * N(x) = ½ + ½·z·erfOverZSmall(z) with z = x/√2 (pricing kernels use it for |x| ≤ TAIL_X).
 */
export function erfOverZSmall(z: number): number {
  const y2 = z * z;
  const num = (((A4 * y2 + A0) * y2 + A1) * y2 + A2) * y2 + A3;
  const den = (((y2 + B0) * y2 + B1) * y2 + B2) * y2 + B3;
  return num / den;
}

/**
 * Tail boundary in x of `normCdf`: for x < −TAIL_X (|x|/√2 > 0.46875) the lower tail is
 * N(x) = ½·e^{−x²/2}·erfcxTail(|x|/√2). Pricing kernels use it to share one Gaussian factor
 * between N(d1) and N(d2).
 */
export const TAIL_X = 0.6629126073623883;

/**
 * Below x = −UNDERFLOW_X, N(x) underflows (Cody's XBIG·√2 ≈ 37.54): `normCdf` returns exactly 0
 * rather than a denormal with few significant bits. Kernels sharing the tail identity apply the
 * same cut-off.
 */
export const UNDERFLOW_X = 26.543 * Math.SQRT2;

/**
 * Scaled complementary error function R(z) = e^{z²}·erfc(z) for z > 0.46875 (Cody intervals 2
 * and 3); smooth and decreasing, R(z) ≈ 1/(z√π) for large z. Not defined below 0.46875.
 * @example 0.5 * Math.exp(-x * x / 2) * erfcxTail(-x / Math.SQRT2) // = normCdf(x) for x < −TAIL_X
 */
export function erfcxTail(z: number): number {
  if (z <= 4) {
    const num = (((((((C8 * z + C0) * z + C1) * z + C2) * z + C3) * z + C4) * z + C5) * z + C6) * z + C7;
    const den = (((((((z + D0) * z + D1) * z + D2) * z + D3) * z + D4) * z + D5) * z + D6) * z + D7;
    return num / den;
  }
  const w = 1 / (z * z);
  const num = ((((P5 * w + P0) * w + P1) * w + P2) * w + P3) * w + P4;
  const den = ((((w + Q0) * w + Q1) * w + Q2) * w + Q3) * w + Q4;
  return (INV_SQRT_PI - (w * num) / den) / z;
}

/**
 * e^{−x²/2} without losing digits to the rounding of x²: x = h + (x − h) with h = x
 * truncated to 1/16 (so h² is exact), x² = h² + (x − h)(x + h) (Cody's splitting).
 */
export function gaussianFactor(x: number): number {
  const h = Math.trunc(x * 16) / 16;
  const del = (x - h) * (x + h);
  return Math.exp(-0.5 * h * h) * Math.exp(-0.5 * del);
}

/**
 * Complementary error function erfc(z) = (2/√π)∫_z^∞ e^{−t²} dt.
 * @param z  any real (NaN propagates)
 * @returns  erfc(z) ∈ [0, 2]; exactly 0 beyond z ≈ 26.54 where it underflows
 * @example erfc(0) // 1
 */
export function erfc(z: number): number {
  const y = Math.abs(z);
  let r: number;
  if (y <= Z_SMALL) {
    return 1 - z * erfOverZSmall(z);
  } else if (y >= Z_BIG) {
    r = 0;
  } else {
    const h = Math.trunc(y * 16) / 16;
    const del = (y - h) * (y + h);
    r = Math.exp(-h * h) * Math.exp(-del) * erfcxTail(y);
  }
  return z < 0 ? 2 - r : r;
}

/**
 * Error function erf(z) = 1 − erfc(z), accurate near 0 (no cancellation).
 * @example erf(0) // 0
 */
export function erf(z: number): number {
  const y = Math.abs(z);
  if (y <= Z_SMALL) return z * erfOverZSmall(z);
  const r = 1 - erfc(y);
  return z < 0 ? -r : r;
}

/**
 * Standard normal density φ(x) = e^{−x²/2}/√(2π).
 * @example normPdf(0) // 0.3989422804014327
 */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * gaussianFactor(x);
}

/**
 * Standard normal cumulative distribution N(x) = ∫_{−∞}^x φ(t) dt, with full relative
 * accuracy in the lower tail (N(−37) ≈ 5.7e-300 is returned to ~1e-15 relative).
 *
 *   N(x) = ½·erfc(−x/√2);  for x < 0: ½·e^{−x²/2}·R(|x|/√2), R(z) = erfc(z)·e^{z²}
 *
 * @param x  any real; NaN propagates
 * @returns  N(x) ∈ [0, 1]; 0 below x ≈ −37.5 (underflow), 1 above x ≈ 8.3 (rounding)
 * @see Cody (1969); module header for the Gaussian-factor refinement
 * @example normCdf(-1.959963984540054) // 0.025 (to 1e-16)
 */
export function normCdf(x: number): number {
  const z = x * INV_SQRT2;
  const y = Math.abs(z);
  if (y <= Z_SMALL) return 0.5 + 0.5 * z * erfOverZSmall(z);
  // Lower tail, computed directly: half of erfc(|z|).
  const tail = y >= Z_BIG ? 0 : 0.5 * gaussianFactor(x) * erfcxTail(y);
  return x < 0 ? tail : 1 - tail;
}

/**
 * Upper tail 1 − N(x) = N(−x), with full relative accuracy for large positive x.
 * @example normSf(1.959963984540054) // 0.025
 */
export function normSf(x: number): number {
  return normCdf(-x);
}
