/**
 * @module statistics/ewma
 *
 * Exponentially weighted moving-average (EWMA) variance and volatility of return series, the
 * RiskMetrics estimator (zero mean):
 *
 *   σ²_t = λ·σ²_{t−1} + (1 − λ)·r²_{t−1}
 *
 * σ²_t is the variance of r_t forecast before r_t is seen (conditional on r_0 … r_{t−1}).
 *
 * Layout (as `PriceHistory`): returns are T × A, time-major and asset-contiguous,
 * `returns[t·A + a]`; log returns per period (per bar), so variances are per period too.
 *
 * Initialisation: σ² at an asset's first valid return is the mean of r² over its first
 * `warmup` valid returns (the zero-mean sample variance, consistent with the recursion), or the
 * caller's `initialVariance`. The sample seed looks ahead by `warmup` returns; its weight in
 * σ²_t decays as λ^t (below 1% after ln(0.01)/ln λ ≈ 75 steps at λ = 0.94).
 *
 * Missing data (NaN or ±∞ returns), per asset: rows before the asset's first valid return are
 * NaN (no data yet); a missing return later is skipped (σ² carried forward unchanged, neither
 * decayed nor updated). An asset with fewer than `warmup` valid returns and no
 * `initialVariance` has NaN everywhere: the consumer must refuse or proxy it explicitly.
 *
 * Reference: J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed. (1996), §5.2.1
 * (λ = 0.94 for daily, 0.97 for monthly data).
 */
import { InvariantError, requireInput } from '../errors.js';
import { countRows } from './return-rows.js';

/** EWMA estimator parameters. */
export interface EwmaParams {
  /** decay factor λ ∈ (0, 1), e.g. 0.94 (RiskMetrics daily); weight of the newest return is 1 − λ */
  readonly lambda: number;
  /** number of valid returns (integer ≥ 1) whose mean square seeds the recursion */
  readonly warmup: number;
  /** per-asset seed variance σ²_0 (per period, ≥ 0), overriding the warm-up estimate; length A */
  readonly initialVariance?: Float64Array;
}

/**
 * Checks λ, warmup and initialVariance; shared by the EWMA estimators.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the bad field
 */
export function checkEwmaParams(params: EwmaParams, nAssets: number): void {
  requireInput(params.lambda > 0 && params.lambda < 1, 'lambda', params.lambda, 'must be in (0, 1)');
  requireInput(
    Number.isInteger(params.warmup) && params.warmup >= 1,
    'warmup',
    params.warmup,
    'must be an integer >= 1',
  );
  const init = params.initialVariance;
  if (init !== undefined) {
    requireInput(init.length === nAssets, 'initialVariance.length', init.length, `must equal ${nAssets}`);
    for (let a = 0; a < nAssets; a++) {
      requireInput(
        init[a]! >= 0 && init[a]! < Infinity,
        `initialVariance[${a}]`,
        init[a],
        'must be finite and >= 0',
      );
    }
  }
}

/**
 * EWMA variance of each asset's returns, for every row and one step ahead.
 *
 *   σ²_f = init;  σ²_t = λ·σ²_{t−1} + (1 − λ)·r²_{t−1}  (t > f, r_{t−1} valid; else σ²_{t−1})
 *
 * with f the asset's first valid row. Row t < T of `out` is σ²_t, the conditional variance of
 * r_t; row T is σ²_T, the forecast for the next, unobserved return ("today's" variance).
 *
 * @param returns  T × A log returns per period, `returns[t·A + a]`; NaN/±∞ = missing
 * @param nAssets  A ≥ 1
 * @param params   λ, warm-up length, optional seed variances
 * @param out      optional output of length (T + 1)·A, overwritten; allocated when absent
 * @returns        `out`: (T + 1) × A variances per period (squared log-return units); NaN where
 *                 the asset has no data yet, or everywhere when it has too few returns
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad λ, warmup, initialVariance or shape
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length
 * @see RiskMetrics Technical Document (1996) §5.2.1; docs/methodology/var-es.md#ewma
 * @example computeEwmaVariance(Float64Array.of(0.01, -0.02), 1, { lambda: 0.94, warmup: 2 })
 *          // [2.5e-4, 2.41e-4, 2.5054e-4]
 */
export function computeEwmaVariance(
  returns: Float64Array,
  nAssets: number,
  params: EwmaParams,
  out?: Float64Array,
): Float64Array {
  const T = countRows(returns, nAssets);
  checkEwmaParams(params, nAssets);
  const A = nAssets;
  const res = out ?? new Float64Array((T + 1) * A);
  if (res.length !== (T + 1) * A) {
    throw new InvariantError('EWMA variance output has the wrong length', {
      out: res.length,
      expected: (T + 1) * A,
    });
  }
  const lambda = params.lambda;
  const w = 1 - lambda;
  for (let a = 0; a < A; a++) {
    // First valid row, and the warm-up mean square over the first `warmup` valid returns.
    let first = -1;
    let count = 0;
    let sumSq = 0;
    for (let t = 0; t < T && count < params.warmup; t++) {
      const r = returns[t * A + a]!;
      if (!Number.isFinite(r)) continue;
      if (first < 0) first = t;
      sumSq += r * r;
      count++;
    }
    let v = Number.NaN;
    if (first >= 0 && params.initialVariance !== undefined) v = params.initialVariance[a]!;
    else if (count === params.warmup) v = sumSq / count;
    if (Number.isNaN(v)) {
      // No data, or too little history and no seed: the whole column is NaN.
      for (let t = 0; t <= T; t++) res[t * A + a] = Number.NaN;
      continue;
    }
    for (let t = 0; t < first; t++) res[t * A + a] = Number.NaN;
    res[first * A + a] = v;
    for (let t = first; t < T; t++) {
      const r = returns[t * A + a]!;
      // A missing return is skipped: σ² carried forward, so a gap neither inflates nor decays risk.
      if (Number.isFinite(r)) v = lambda * v + w * r * r;
      res[(t + 1) * A + a] = v;
    }
  }
  return res;
}

/**
 * EWMA volatility: the square root of `computeEwmaVariance`, same layout and conventions.
 * @param returns  T × A log returns per period; NaN/±∞ = missing
 * @param nAssets  A ≥ 1
 * @param params   λ, warm-up length, optional seed variances
 * @param out      optional output of length (T + 1)·A
 * @returns        `out`: (T + 1) × A volatilities per period (log-return units, e.g. 0.01 = 1%);
 *                 row T is today's one-step-ahead volatility
 * @throws InvalidInputError ERR_INVALID_INPUT as `computeEwmaVariance`
 * @see computeEwmaVariance
 */
export function computeEwmaVolatility(
  returns: Float64Array,
  nAssets: number,
  params: EwmaParams,
  out?: Float64Array,
): Float64Array {
  const res = computeEwmaVariance(returns, nAssets, params, out);
  for (let i = 0; i < res.length; i++) res[i] = Math.sqrt(res[i]!);
  return res;
}
