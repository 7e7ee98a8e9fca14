/**
 * @module statistics/sample-moments
 *
 * Sample mean, variance, skewness and excess kurtosis of a series, each with its asymptotic
 * standard error estimated from the sample's own central moments (delta method). Used to check
 * generators and scenario sets against theory with a tolerance derived from the sample size,
 * and to describe return series (fat tails) in calibration reports.
 *
 * With m_k = (1/n)·Σ (x_i − x̄)^k (central sample moments, two-pass):
 *
 *   variance = m2·n/(n − 1),  skewness g1 = m3/m2^{3/2},  excess kurtosis g2 = m4/m2² − 3
 *
 * Asymptotic (co)variances of central moments (Kendall & Stuart, The Advanced Theory of
 * Statistics, vol. 1, §10.5):
 *
 *   n·Var(m_r)       ≈ m_{2r} − m_r² + r²·m2·m_{r−1}² − 2r·m_{r−1}·m_{r+1}
 *   n·Cov(m_r, m_s)  ≈ m_{r+s} − m_r·m_s + r·s·m2·m_{r−1}·m_{s−1} − r·m_{r−1}·m_{s+1} − s·m_{s−1}·m_{r+1}
 *
 * and the delta method on g1 = g(m2, m3), g2 = g(m2, m4). For a normal sample these give the
 * textbook √(6/n) and √(24/n). The kurtosis error needs a finite 8th moment (Student-t: ν > 8);
 * otherwise the estimate is itself unreliable.
 */
import { InvalidInputError, requireInput } from '../errors.js';

/** Moments of a sample with their standard errors. */
export interface SampleMoments {
  readonly n: number;
  readonly mean: number;
  /** unbiased variance, m2·n/(n − 1) */
  readonly variance: number;
  /** g1 = m3/m2^{3/2} */
  readonly skewness: number;
  /** g2 = m4/m2² − 3 (0 for a normal) */
  readonly excessKurtosis: number;
  /** asymptotic standard errors of the four estimates, from the sample's own moments */
  readonly standardErrors: {
    readonly mean: number;
    readonly variance: number;
    readonly skewness: number;
    readonly excessKurtosis: number;
  };
}

/**
 * Mean, variance, skewness and excess kurtosis with delta-method standard errors.
 *
 * @param x  sample, n ≥ 4 finite values
 * @returns  the moments and their standard errors (units: x, x², unitless, unitless)
 * @throws InvalidInputError ERR_INVALID_INPUT when n < 4, a value is not finite, or the sample is constant
 * @see Kendall & Stuart vol. 1 §10.5; module header
 * @example computeSampleMoments(Float64Array.of(1, 2, 3, 4)).variance // 5/3
 */
export function computeSampleMoments(x: Float64Array): SampleMoments {
  const n = x.length;
  requireInput(n >= 4, 'x.length', n, 'must be >= 4');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) throw new InvalidInputError(`x[${i}]`, v, 'must be finite');
    sum += v;
  }
  const mean = sum / n;
  // Central power sums S2 … S8 (S7 does not enter the errors of g1 or g2) in one pass over the centred values.
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s8 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    const d4 = d2 * d2;
    s2 += d2;
    s3 += d2 * d;
    s4 += d4;
    s5 += d4 * d;
    s6 += d4 * d2;
    s8 += d4 * d4;
  }
  const m2 = s2 / n;
  requireInput(m2 > 0, 'x', 'constant sample', 'must not be constant');
  const m3 = s3 / n;
  const m4 = s4 / n;
  const m5 = s5 / n;
  const m6 = s6 / n;
  const m8 = s8 / n;

  // n·Var and n·Cov of the central moments (Kendall & Stuart), m1 = 0.
  const varM2 = m4 - m2 * m2;
  const varM3 = m6 - m3 * m3 + 9 * m2 * m2 * m2 - 6 * m2 * m4;
  const varM4 = m8 - m4 * m4 + 16 * m2 * m3 * m3 - 8 * m3 * m5;
  const covM2M3 = m5 - m2 * m3 - 3 * m2 * m3;
  const covM2M4 = m6 - m2 * m4 - 4 * m3 * m3;

  const skewness = m3 / Math.pow(m2, 1.5);
  const kurtosis = m4 / (m2 * m2);
  // Delta method: gradients of g1 in (m2, m3) and of g2 in (m2, m4).
  const a2 = (-1.5 * m3) / Math.pow(m2, 2.5);
  const a3 = 1 / Math.pow(m2, 1.5);
  const b2 = (-2 * m4) / (m2 * m2 * m2);
  const b4 = 1 / (m2 * m2);
  const varSkew = a2 * a2 * varM2 + a3 * a3 * varM3 + 2 * a2 * a3 * covM2M3;
  const varKurt = b2 * b2 * varM2 + b4 * b4 * varM4 + 2 * b2 * b4 * covM2M4;
  return {
    n,
    mean,
    variance: (m2 * n) / (n - 1),
    skewness,
    excessKurtosis: kurtosis - 3,
    standardErrors: {
      mean: Math.sqrt(m2 / n),
      variance: Math.sqrt(Math.max(varM2, 0) / n),
      skewness: Math.sqrt(Math.max(varSkew, 0) / n),
      excessKurtosis: Math.sqrt(Math.max(varKurt, 0) / n),
    },
  };
}
