/**
 * @module statistics/es-backtest
 *
 * Acerbi–Szekely test 2 for Expected Shortfall (Acerbi & Szekely 2014, "Backtesting expected
 * shortfall", Risk, December), in loss terms: over T days with losses L_t, forecasts VaR_t and
 * ES_t at confidence α and hits I_t = 1{L_t > VaR_t},
 *
 *   Z2 = 1 − Σ_t L_t·I_t / (T·(1 − α)·ES_t)
 *
 * Under H0 (the forecasts are the true VaR and ES) E[L_t·I_t] = (1 − α)·ES_t, so E[Z2] = 0;
 * an ES that is too small makes Z2 negative. Z2 needs no tail model to compute, but its null
 * distribution does: here losses are Student t(ν) scaled to the forecasts (the same ν as the
 * coverage level, margin-coverage.ts), and the one-sided p-value P(Z2_H0 ≤ z) is estimated by a
 * seeded simulation of the test itself:
 *
 *   N ~ Binomial(T, 1 − α) hits;  each hit's L/ES_t = q(1 − (1 − α)·U)/ES_α(t_ν), U ~ U(0, 1)
 *   Z2_H0 = 1 − Σ_hits (L/ES) / (T·(1 − α))
 *
 * which is the exact null law of Z2 when the forecasts are right (hits are Bernoulli(1 − α) and
 * a hit's loss is the conditional tail of the t beyond its VaR). p-value = (1 + #{Z2_H0 ≤ z}) /
 * (M + 1). For a margin that claims ES_α, ES_t = IM_t and VaR_t = (VaR_α/ES_α of the t)·IM_t.
 */
import { requireInput } from '../errors.js';
import { SeededRng } from './seeded-rng.js';
import { binomialCdf } from './coverage-tests.js';
import { expectedShortfallT, studentTUpperQuantile } from './student-t.js';

/**
 * Z2 of a loss series against VaR and ES forecasts (module header). Days with a non-finite
 * loss or forecast, or ES ≤ 0, are left out (T counts the days kept).
 * @returns Z2 (≤ 1) and T; Z2 is NaN when no day is kept
 * @throws InvalidInputError ERR_INVALID_INPUT for unequal lengths or α ∉ (0, 1)
 * @example acerbiSzekelyZ2([0, 5], [3, 3], [4, 4], 0.99).z2 // 1 − 5/(2·0.01·4) = −61.5
 */
export function acerbiSzekelyZ2(
  lossUsd: ArrayLike<number>,
  varUsd: ArrayLike<number>,
  esUsd: ArrayLike<number>,
  alpha: number,
): { readonly z2: number; readonly days: number; readonly hits: number } {
  requireInput(
    lossUsd.length === varUsd.length && lossUsd.length === esUsd.length,
    'lossUsd.length',
    lossUsd.length,
    'must equal varUsd.length and esUsd.length',
  );
  requireInput(alpha > 0 && alpha < 1, 'alpha', alpha, 'must be in (0, 1)');
  let sum = 0;
  let days = 0;
  let hits = 0;
  for (let t = 0; t < lossUsd.length; t++) {
    const l = lossUsd[t]!;
    const v = varUsd[t]!;
    const e = esUsd[t]!;
    if (!(Number.isFinite(l) && Number.isFinite(v) && e > 0 && e < Infinity)) continue;
    days++;
    if (l > v) {
      hits++;
      sum += l / e;
    }
  }
  return { z2: days === 0 ? NaN : 1 - sum / (days * (1 - alpha)), days, hits };
}

/** The simulated null law of Z2 for (T, α, ν): sorted samples. */
export interface Z2NullDistribution {
  readonly days: number;
  readonly alpha: number;
  readonly dof: number;
  readonly seed: number;
  /** M samples of Z2 under H0, ascending */
  readonly samples: Float64Array;
}

/**
 * Simulates the null law of Z2 (module header).
 * @param days     T ≥ 1
 * @param alpha    ES confidence in (0, 1)
 * @param dof      ν > 1 (Infinity: normal)
 * @param samples  M ≥ 100
 * @param seed     recorded in the result
 * @throws InvalidInputError ERR_INVALID_INPUT for inputs out of range
 */
export function simulateZ2Null(
  days: number,
  alpha: number,
  dof: number,
  samples: number,
  seed: number,
): Z2NullDistribution {
  requireInput(Number.isInteger(days) && days >= 1, 'days', days, 'must be an integer >= 1');
  requireInput(Number.isInteger(samples) && samples >= 100, 'samples', samples, 'must be an integer >= 100');
  const p = 1 - alpha;
  const es = expectedShortfallT(alpha, dof);
  // Binomial(T, p) by inversion of its cdf, tabulated once.
  const cdf: number[] = [];
  for (let k = 0; k <= days; k++) {
    const c = binomialCdf(k, days, p);
    cdf.push(c);
    if (c >= 1 - 1e-15) break;
  }
  const rng = new SeededRng(seed);
  const out = new Float64Array(samples);
  for (let m = 0; m < samples; m++) {
    const u = rng.nextUniform();
    let n = 0;
    while (n < cdf.length - 1 && cdf[n]! < u) n++;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      // The conditional tail beyond VaR: the upper quantile at tail p·U, U in (0, 1].
      const tailU = 1 - rng.nextUniform();
      sum += studentTUpperQuantile(p * tailU, dof) / es;
    }
    out[m] = 1 - sum / (days * p);
  }
  out.sort();
  return { days, alpha, dof, seed, samples: out };
}

/**
 * One-sided p-value of an observed Z2: P(Z2_H0 ≤ z2) from the simulated null, (1 + count)/(M + 1).
 * @example z2PValue(-0.2, simulateZ2Null(2000, 0.99, 4, 2000, 1)) // ≈ 0.1
 */
export function z2PValue(z2: number, nul: Z2NullDistribution): number {
  if (!Number.isFinite(z2)) return NaN;
  // Count of samples ≤ z2 by binary search on the sorted samples.
  let lo = 0;
  let hi = nul.samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nul.samples[mid]! <= z2) lo = mid + 1;
    else hi = mid;
  }
  return (1 + lo) / (nul.samples.length + 1);
}
