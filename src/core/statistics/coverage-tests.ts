/**
 * @module statistics/coverage-tests
 *
 * Backtest coverage statistics for a VaR or margin level: does the number of exceedances match
 * the promised rate, and are the exceedances independent from day to day? Pure functions of
 * counts (or of a hit sequence); no clock, no random source.
 *
 * Conventions. A *hit* (an exception, an exceedance) on day t is a loss larger than the margin
 * (VaR) set for that day: `hits[t] = true`. `coverage` is the confidence of the margin (0.99);
 * `expectedRate` p = 1 − coverage is the promised probability of a hit per day. n counts days
 * (observations), x counts hits. LR statistics are unitless (twice a log-likelihood difference,
 * natural logs); p-values and probabilities are in [0, 1]. 0·ln 0 = 0 throughout.
 *
 * 1. Kupiec (1995) proportion of failures (POF), H0: P(hit) = p, with x̂ = x/n:
 *
 *      LR_pof = −2·ln[(1 − p)^{n−x} p^x] + 2·ln[(1 − x/n)^{n−x} (x/n)^x]
 *             = 2·[(n − x)·ln((1 − x/n)/(1 − p)) + x·ln((x/n)/p)]      (the form evaluated)
 *
 *    asymptotically χ²(1) under H0; p-value = P(χ²₁ > LR_pof). At x = 0: LR = −2n·ln(1 − p).
 *
 * 2. Christoffersen (1998) independence (first-order Markov alternative). Over the n − 1
 *    transitions t − 1 → t, n_ij counts state i on day t − 1 followed by state j on day t
 *    (0 = no hit, 1 = hit), and
 *
 *      π01 = n01/(n00 + n01),  π11 = n11/(n10 + n11),  π = (n01 + n11)/(n00 + n01 + n10 + n11)
 *      LR_ind = −2·ln[(1 − π)^{n00+n10} π^{n01+n11}]
 *               + 2·ln[(1 − π01)^{n00} π01^{n01} (1 − π11)^{n10} π11^{n11}]
 *
 *    asymptotically χ²(1) under independence. The form evaluated is the equivalent sum
 *    2·Σ n_ij·ln(π̂_ij/π̂_j) with each ratio formed from counts, so LR_ind is exactly 0 when
 *    π01 = π11. A state with no outgoing transition (n00 + n01 = 0, or n10 + n11 = 0) has an
 *    undefined row probability: it is reported as 0 and its row contributes nothing to the LR.
 *
 * 3. Christoffersen conditional coverage, H0: independent hits with P(hit) = p:
 *
 *      LR_cc = LR_pof + LR_ind,  asymptotically χ²(2)
 *
 *    Choice made here: LR_pof inside LR_cc is computed on the n − 1 transition days (days 2..n,
 *    n' = n00 + n01 + n10 + n11 = n − 1 observations, x' = n01 + n11 hits), i.e. conditional
 *    on the first day, as in Christoffersen (1998), whose likelihoods condition on the first
 *    observation. Then LR_cc is exactly the likelihood ratio of H0 against the Markov
 *    alternative, −2·ln[(1 − p)^{n00+n10} p^{n01+n11}] + 2·ln L(π01, π11). Its LR_pof therefore
 *    differs slightly from `kupiecPof(n, x, p)` on all n days: day 1 (and its hit, if any) is
 *    left out.
 *
 * 4. Basel Committee (1996) traffic light: X ~ Binomial(n, 1 − coverage) is the number of
 *    exceptions of a correct model; with F(x) = P(X ≤ x), the zone of x exceptions is green
 *    while F(x) < 0.95, yellow while F(x) < 0.9999, red beyond. For n = 250 at 99%: green 0–4,
 *    yellow 5–9, red ≥ 10 (Table 2 of the framework).
 *
 * χ² survival for integer df (Abramowitz & Stegun 26.4.4–26.4.5, the regularised upper
 * incomplete gamma Q(df/2, x/2) at integer and half-integer order), with y = x/2:
 *
 *      df = 2m:      Q = e^{−y}·Σ_{r=0}^{m−1} y^r/r!                        (df = 2: e^{−x/2})
 *      df = 2m + 1:  Q = erfc(√y) + 2φ(√x)·Σ_{r=1}^{m} x^{r−1/2}/(1·3·…·(2r − 1))  (df = 1: erfc(√(x/2)))
 *
 * summed in log space (no overflow of x^r, no underflow of e^{−y} before the sum); erfc is
 * Cody's (numeric/normal). Near full double precision for df ≤ 2; for larger df the log terms
 * are accumulated over ⌊df/2⌋ steps, so rounding grows slowly with df and x.
 *
 * Binomial probabilities: each term f(j) = C(n, j)·p^j·(1 − p)^{n−j} in Loader's saddle-point
 * form, which avoids the cancellation of ln C(n, j) + j·ln p + (n − j)·ln(1 − p) at large n:
 *
 *      ln f(j) = δ(n) − δ(j) − δ(n − j) − D(j, n·p) − D(n − j, n·(1 − p)) + ½·ln(n/(2π·j·(n − j)))
 *      δ(m) = ln m! − [(m + ½)·ln m − m + ½·ln 2π]    (Stirling's error: exact sum of logs for
 *             m ≤ 15, else 1/(12m) − 1/(360m³) + 1/(1260m⁵) − 1/(1680m⁷) + 1/(1188m⁹))
 *      D(x, M) = x·ln(x/M) + M − x                      (deviance; for |x − M| < 0.1·(x + M)
 *             by the series (x − M)·v + 2x·Σ_{i≥1} v^{2i+1}/(2i + 1), v = (x − M)/(x + M))
 *
 * with f(0) = (1 − p)^n, f(n) = p^n. The CDF sums these in log space: below the mean n·p the
 * lower tail directly (full relative accuracy for small probabilities); at or above it,
 * 1 − (upper tail).
 *
 * References:
 * - P. H. Kupiec, "Techniques for verifying the accuracy of risk measurement models",
 *   Journal of Derivatives 3(2) (1995) 73–84.
 * - P. F. Christoffersen, "Evaluating interval forecasts", International Economic Review
 *   39(4) (1998) 841–862.
 * - Basel Committee on Banking Supervision, "Supervisory framework for the use of
 *   'backtesting' in conjunction with the internal models approach to market risk capital
 *   requirements" (January 1996), Table 2.
 * - M. Abramowitz and I. A. Stegun, Handbook of Mathematical Functions (1964), 26.4.4–26.4.5.
 * - C. Loader, "Fast and accurate computation of binomial probabilities" (2000, technical note).
 * - P. Jorion, Value at Risk, 3rd ed. (2007), ch. 6 (Kupiec non-rejection regions).
 */
import { requireInput } from '../errors.js';
import { erfc } from '../numeric/normal.js';

/** ln(2/√(2π)) = ½·ln(2/π): log of the constant in front of the odd-df χ² series. */
const LN_TWO_OVER_SQRT_2PI = 0.5 * Math.log(2 / Math.PI);

/** Green zone ends where the cumulative probability reaches 95% (Basel 1996). */
const GREEN_LIMIT = 0.95;
/** Yellow zone ends where the cumulative probability reaches 99.99% (Basel 1996). */
const YELLOW_LIMIT = 0.9999;

/** Result of Kupiec's proportion-of-failures test. */
export interface KupiecResult {
  /** n, number of days tested */
  observations: number;
  /** x, number of days with a hit (loss > margin) */
  exceptions: number;
  /** p, promised hit probability per day (1 − coverage) */
  expectedRate: number;
  /** x/n, observed hit frequency per day */
  observedRate: number;
  /** LR_pof, unitless, ≥ 0 */
  lr: number;
  /** P(χ²₁ > LR_pof) */
  pValue: number;
}

/**
 * Kupiec (1995) proportion-of-failures likelihood-ratio test of H0: P(hit) = p.
 *
 *   LR = 2·[(n − x)·ln((1 − x/n)/(1 − p)) + x·ln((x/n)/p)],  p-value = P(χ²₁ > LR)
 *
 * Rejects at level α when pValue < α (LR > 3.841 at 5%). LR is 0 when x/n = p exactly.
 *
 * @param observations  n, days tested: a positive integer
 * @param exceptions  x, days with a hit: an integer in [0, n]
 * @param expectedRate  p = 1 − coverage, in (0, 1) (0.01 for a 99% margin)
 * @returns  the statistic, its χ²(1) p-value and the rates it compares
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field that breaks its rule
 * @see Kupiec (1995); module header
 * @example kupiecPof(250, 0, 0.01).lr // −2·250·ln(0.99) ≈ 5.025
 */
export function kupiecPof(observations: number, exceptions: number, expectedRate: number): KupiecResult {
  requireInput(
    Number.isInteger(observations) && observations > 0,
    'observations',
    observations,
    'must be a positive integer',
  );
  requireInput(
    Number.isInteger(exceptions) && exceptions >= 0 && exceptions <= observations,
    'exceptions',
    exceptions,
    `must be an integer in [0, observations = ${observations}]`,
  );
  requireExpectedRate(expectedRate);
  const n = observations;
  const x = exceptions;
  const rate = x / n;
  // (n − x)·ln((1 − x/n)/(1 − p)) with 1 − x/n formed as (n − x)/n; 0·ln 0 = 0 by skipping
  // empty terms.
  const noHitTerm = x < n ? (n - x) * (Math.log((n - x) / n) - Math.log1p(-expectedRate)) : 0;
  const hitTerm = x > 0 ? x * (Math.log(rate) - Math.log(expectedRate)) : 0;
  // Mathematically ≥ 0 (2n × a Kullback–Leibler divergence); clamp rounding below 0.
  const lr = Math.max(0, 2 * (noHitTerm + hitTerm));
  return {
    observations: n,
    exceptions: x,
    expectedRate,
    observedRate: rate,
    lr,
    pValue: chiSquareSurvival(lr, 1),
  };
}

/** Result of Christoffersen's independence test. */
export interface IndependenceResult {
  /** transitions no hit → no hit */
  n00: number;
  /** transitions no hit → hit */
  n01: number;
  /** transitions hit → no hit */
  n10: number;
  /** transitions hit → hit */
  n11: number;
  /** P(hit | no hit the day before) = n01/(n00 + n01); 0 when n00 + n01 = 0 */
  pi01: number;
  /** P(hit | hit the day before) = n11/(n10 + n11); 0 when n10 + n11 = 0 */
  pi11: number;
  /** unconditional hit rate over the transitions, (n01 + n11)/(n − 1) */
  pi: number;
  /** LR_ind, unitless, ≥ 0 */
  lr: number;
  /** P(χ²₁ > LR_ind) */
  pValue: number;
}

/**
 * Christoffersen (1998) likelihood-ratio test of independence of hits against a first-order
 * Markov chain: counts the n − 1 day-to-day transitions and compares P(hit | hit yesterday)
 * with P(hit | no hit yesterday).
 *
 *   LR_ind = 2·[n00·ln((1−π01)/(1−π)) + n01·ln(π01/π) + n10·ln((1−π11)/(1−π)) + n11·ln(π11/π)]
 *
 * @param hits  hits[t] = true when the loss on day t exceeded the margin; at least 2 days
 * @returns  transition counts, conditional rates, LR_ind and its χ²(1) p-value
 * @throws InvalidInputError ERR_INVALID_INPUT when fewer than 2 days or an entry is not boolean
 * @see Christoffersen (1998); module header (conventions for empty rows)
 * @example christoffersenIndependence([false, true, false, true]).lr // 0 < LR (alternating hits)
 */
export function christoffersenIndependence(hits: readonly boolean[]): IndependenceResult {
  const { n00, n01, n10, n11 } = countTransitions(hits);
  const row0 = n00 + n01;
  const row1 = n10 + n11;
  const total = row0 + row1;
  const col0 = n00 + n10;
  const col1 = n01 + n11;
  // Each ratio π̂_ij/π̂_j is formed from counts: (n_ij/row_i)/(col_j/total).
  const lr = Math.max(
    0,
    2 *
      (xLogRatio(n00, row0, col0, total) +
        xLogRatio(n01, row0, col1, total) +
        xLogRatio(n10, row1, col0, total) +
        xLogRatio(n11, row1, col1, total)),
  );
  return {
    n00,
    n01,
    n10,
    n11,
    pi01: row0 > 0 ? n01 / row0 : 0,
    pi11: row1 > 0 ? n11 / row1 : 0,
    pi: col1 / total,
    lr,
    pValue: chiSquareSurvival(lr, 1),
  };
}

/** Result of Christoffersen's conditional coverage test. */
export interface ConditionalCoverageResult {
  /** Kupiec LR on the n − 1 transition days (days 2..n), unitless */
  lrPof: number;
  /** Christoffersen independence LR, unitless */
  lrInd: number;
  /** LR_cc = lrPof + lrInd, unitless */
  lr: number;
  /** P(χ²₂ > LR_cc) */
  pValue: number;
}

/**
 * Christoffersen (1998) conditional coverage test of H0: hits are independent with
 * P(hit) = p. LR_cc = LR_pof + LR_ind ~ χ²(2), where LR_pof is Kupiec's statistic on the
 * n − 1 transition days (days 2..n, with n01 + n11 hits) so that the sum is exactly the
 * likelihood ratio of H0 against the Markov alternative (see the module header).
 *
 * @param hits  hits[t] = true when the loss on day t exceeded the margin; at least 2 days
 * @param expectedRate  p = 1 − coverage, in (0, 1)
 * @returns  the two components, their sum and its χ²(2) p-value
 * @throws InvalidInputError ERR_INVALID_INPUT when fewer than 2 days, an entry is not boolean,
 *   or p is outside (0, 1)
 * @see Christoffersen (1998); module header (choice of n − 1 days)
 * @example christoffersenConditionalCoverage(hits, 0.01).pValue < 0.05 // reject at 5%
 */
export function christoffersenConditionalCoverage(
  hits: readonly boolean[],
  expectedRate: number,
): ConditionalCoverageResult {
  requireExpectedRate(expectedRate);
  const ind = christoffersenIndependence(hits);
  const transitions = ind.n00 + ind.n01 + ind.n10 + ind.n11;
  const lrPof = kupiecPof(transitions, ind.n01 + ind.n11, expectedRate).lr;
  const lr = lrPof + ind.lr;
  return { lrPof, lrInd: ind.lr, lr, pValue: chiSquareSurvival(lr, 2) };
}

/** Basel traffic-light zone. */
export type TrafficLightZone = 'green' | 'yellow' | 'red';

/** Result of the Basel traffic-light classification. */
export interface TrafficLightResult {
  /** zone of `exceptions` */
  zone: TrafficLightZone;
  /** n, days tested */
  observations: number;
  /** x, days with a hit */
  exceptions: number;
  /** P(X ≤ x), X ~ Binomial(n, 1 − coverage) */
  cumulativeProbability: number;
  /** largest exception count still green (−1 when even 0 is not green) */
  greenMax: number;
  /** largest exception count still yellow or green (red starts at yellowMax + 1) */
  yellowMax: number;
}

/**
 * Basel (1996) traffic light for a VaR/margin at coverage `coverage` (e.g. 0.99): green while
 * P(X ≤ x) < 0.95, yellow while < 0.9999, red beyond, X ~ Binomial(n, 1 − coverage).
 *
 * @param observations  n, days tested: a positive integer (250 in the Basel framework)
 * @param exceptions  x, days with a hit: an integer in [0, n]
 * @param coverage  confidence of the margin, in (0, 1); default 0.99
 * @returns  the zone, P(X ≤ x) and the zone boundaries in exception counts
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field that breaks its rule
 * @see Basel Committee (1996), Table 2
 * @example baselTrafficLight(250, 5).zone // 'yellow' (P(X ≤ 5) = 95.88%)
 */
export function baselTrafficLight(
  observations: number,
  exceptions: number,
  coverage = 0.99,
): TrafficLightResult {
  requireInput(
    Number.isInteger(observations) && observations > 0,
    'observations',
    observations,
    'must be a positive integer',
  );
  requireInput(
    Number.isInteger(exceptions) && exceptions >= 0 && exceptions <= observations,
    'exceptions',
    exceptions,
    `must be an integer in [0, observations = ${observations}]`,
  );
  requireInput(coverage > 0 && coverage < 1, 'coverage', coverage, 'must be in (0, 1)');
  const p = 1 - coverage;
  const cumulativeProbability = binomialCdf(exceptions, observations, p);
  const zone: TrafficLightZone =
    cumulativeProbability < GREEN_LIMIT ? 'green' : cumulativeProbability < YELLOW_LIMIT ? 'yellow' : 'red';
  return {
    zone,
    observations,
    exceptions,
    cumulativeProbability,
    greenMax: lastCountBelow(observations, p, GREEN_LIMIT),
    yellowMax: lastCountBelow(observations, p, YELLOW_LIMIT),
  };
}

/**
 * Survival function of the χ² distribution, P(χ²_df > x), for integer degrees of freedom
 * (Abramowitz & Stegun 26.4.4–26.4.5; module header). df = 1 is erfc(√(x/2)) and df = 2 is
 * e^{−x/2}, exactly as evaluated; larger df sum ⌊df/2⌋ terms in log space (cost O(df)).
 *
 * @param x  the statistic, ≥ 0 (+∞ allowed, giving 0)
 * @param df  degrees of freedom, a positive integer
 * @returns  P(χ²_df > x) ∈ [0, 1]; 1 at x = 0
 * @throws InvalidInputError ERR_INVALID_INPUT when x < 0 or NaN, or df is not a positive integer
 * @see Abramowitz & Stegun (1964) 26.4.4–26.4.5
 * @example chiSquareSurvival(3.841458820694124, 1) // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  requireInput(x >= 0, 'x', x, 'must be >= 0');
  requireInput(Number.isInteger(df) && df > 0, 'df', df, 'must be a positive integer');
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const lnX = Math.log(x);
  const sum = new LogSum();
  let base: number;
  if (df % 2 === 0) {
    // e^{−x/2}·Σ_{r=0}^{m−1} (x/2)^r/r!
    base = 0;
    let lnTerm = -0.5 * x;
    sum.add(lnTerm);
    const lnHalfX = lnX - Math.LN2;
    for (let r = 1; r < df / 2; r++) {
      lnTerm += lnHalfX - Math.log(r);
      sum.add(lnTerm);
    }
  } else {
    // erfc(√(x/2)) + 2φ(√x)·Σ_{r=1}^{m} x^{r−1/2}/(2r − 1)!!
    base = erfc(Math.sqrt(0.5 * x));
    let lnTerm = -0.5 * x + LN_TWO_OVER_SQRT_2PI + 0.5 * lnX; // r = 1
    for (let r = 1; r <= (df - 1) / 2; r++) {
      if (r > 1) lnTerm += lnX - Math.log(2 * r - 1);
      sum.add(lnTerm);
    }
  }
  return Math.min(1, base + sum.value());
}

/**
 * Binomial cumulative distribution P(X ≤ k) for X ~ Binomial(n, p), with every term in
 * Loader's saddle-point form and the sum in log space, so that neither p^j nor (1 − p)^{n−j}
 * underflows before the sum and large n loses no digits to cancellation (module header).
 * Below the mean n·p the lower tail is summed directly; at or above it, 1 − P(X > k).
 * Cost O(min(k + 1, n − k)) terms.
 *
 * @param k  an integer; k < 0 gives 0, k ≥ n gives 1
 * @param n  number of trials, a non-negative integer
 * @param p  probability of success per trial, in [0, 1]
 * @returns  P(X ≤ k) ∈ [0, 1]
 * @throws InvalidInputError ERR_INVALID_INPUT when k or n is not an integer, n < 0, or p ∉ [0, 1]
 * @see Loader (2000); module header
 * @example binomialCdf(0, 250, 0.01) // 0.99^250 ≈ 0.0811
 */
export function binomialCdf(k: number, n: number, p: number): number {
  requireInput(Number.isInteger(k), 'k', k, 'must be an integer');
  requireInput(Number.isInteger(n) && n >= 0, 'n', n, 'must be a non-negative integer');
  requireInput(p >= 0 && p <= 1, 'p', p, 'must be in [0, 1]');
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0; // k < n
  const sum = new LogSum();
  if (k < n * p) {
    for (let j = 0; j <= k; j++) sum.add(binomialLogPmf(j, n, p));
    return Math.min(1, sum.value());
  }
  for (let j = k + 1; j <= n; j++) sum.add(binomialLogPmf(j, n, p));
  return Math.max(0, 1 - sum.value());
}

/** ln(2π) */
const LN_2PI = Math.log(2 * Math.PI);

/** δ(m) = ln m! − [(m + ½)·ln m − m + ½·ln 2π] for m = 0..15, from exact sums of logs. */
const STIRLING_ERROR_SMALL: readonly number[] = (() => {
  const out = [0]; // δ(0) is never used (terms at j = 0 and j = n are closed forms)
  let lnFactorial = 0;
  for (let m = 1; m <= 15; m++) {
    lnFactorial += Math.log(m);
    out.push(lnFactorial - ((m + 0.5) * Math.log(m) - m + 0.5 * LN_2PI));
  }
  return out;
})();

/** Stirling's error δ(m) for an integer m ≥ 1 (module header). */
function stirlingError(m: number): number {
  if (m <= 15) return STIRLING_ERROR_SMALL[m]!;
  const w = 1 / (m * m);
  return (1 / 12 - w * (1 / 360 - w * (1 / 1260 - w * (1 / 1680 - w / 1188)))) / m;
}

/** Deviance D(x, M) = x·ln(x/M) + M − x ≥ 0 for x ≥ 0, M > 0, without cancellation near x = M. */
function deviance(x: number, mean: number): number {
  if (Math.abs(x - mean) < 0.1 * (x + mean)) {
    const v = (x - mean) / (x + mean);
    const v2 = v * v;
    let s = (x - mean) * v;
    let ej = 2 * x * v;
    for (let j = 3; j < 1000; j += 2) {
      ej *= v2;
      const next = s + ej / j;
      if (next === s) return s;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / mean) + mean - x;
}

/** ln P(X = j), X ~ Binomial(n, p), 0 ≤ j ≤ n, 0 < p < 1 (Loader's form). */
function binomialLogPmf(j: number, n: number, p: number): number {
  if (j === 0) return n * Math.log1p(-p);
  if (j === n) return n * Math.log(p);
  const q = 1 - p;
  return (
    stirlingError(n) -
    stirlingError(j) -
    stirlingError(n - j) -
    deviance(j, n * p) -
    deviance(n - j, n * q) +
    0.5 * Math.log(n / (j * (n - j))) -
    0.5 * LN_2PI
  );
}

/** Running log-sum-exp: value() = Σ exp(l_i) without overflow or premature underflow. */
class LogSum {
  private max = Number.NEGATIVE_INFINITY;
  private scaled = 0;

  add(l: number): void {
    if (l <= this.max) {
      this.scaled += Math.exp(l - this.max);
    } else {
      this.scaled = this.scaled * Math.exp(this.max - l) + 1;
      this.max = l;
    }
  }

  value(): number {
    return this.scaled === 0 ? 0 : Math.exp(this.max) * this.scaled;
  }
}

/** Validates an expected hit rate p ∈ (0, 1). */
function requireExpectedRate(expectedRate: number): void {
  requireInput(expectedRate > 0 && expectedRate < 1, 'expectedRate', expectedRate, 'must be in (0, 1)');
}

/** Counts the day-to-day transitions of a hit sequence, validating it. */
function countTransitions(hits: readonly boolean[]): { n00: number; n01: number; n10: number; n11: number } {
  requireInput(Array.isArray(hits), 'hits', hits, 'must be an array of booleans');
  requireInput(hits.length >= 2, 'hits.length', hits.length, 'must be >= 2 (one transition)');
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  let prev = hits[0];
  requireInput(typeof prev === 'boolean', 'hits[0]', prev, 'must be a boolean');
  for (let t = 1; t < hits.length; t++) {
    const cur = hits[t];
    requireInput(typeof cur === 'boolean', `hits[${t}]`, cur, 'must be a boolean');
    if (prev) {
      if (cur) n11++;
      else n10++;
    } else if (cur) n01++;
    else n00++;
    prev = cur;
  }
  return { n00, n01, n10, n11 };
}

/**
 * count·ln((count/row)/(col/total)), 0 when count = 0 (0·ln 0 = 0). count > 0 implies
 * row, col, total > 0, so the ratio is finite and positive.
 */
function xLogRatio(count: number, row: number, col: number, total: number): number {
  if (count === 0) return 0;
  return count * (Math.log(count / row) - Math.log(col / total));
}

/**
 * Largest k ∈ [−1, n − 1] with P(X ≤ k) < limit, X ~ Binomial(n, p), by bisection on the
 * monotone CDF (the same `binomialCdf` that classifies the zone, so zone and bounds agree).
 */
function lastCountBelow(n: number, p: number, limit: number): number {
  let lo = -1; // P(X ≤ −1) = 0 < limit
  let hi = n; // P(X ≤ n) = 1 ≥ limit
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (binomialCdf(mid, n, p) < limit) lo = mid;
    else hi = mid;
  }
  return lo;
}
