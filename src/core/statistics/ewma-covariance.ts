/**
 * @module statistics/ewma-covariance
 *
 * EWMA covariance matrix of joint return rows (RiskMetrics, zero mean), one step ahead:
 *
 *   C ← λ·C + (1 − λ)·r_t·r_tᵀ   for each complete row t, in time order
 *
 * Missing data: only complete rows (every asset finite) enter, so C stays a convex combination
 * of outer products and is positive semi-definite; an incomplete row is skipped (no update, no
 * decay). Pairwise-complete estimates are not used because they can be indefinite.
 *
 * Reference: RiskMetrics — Technical Document (1996) §5.3.1; docs/methodology/var-es.md#ewma.
 */
import { InvalidInputError, InvariantError, requireInput } from '../errors.js';
import { checkEwmaParams } from './ewma.js';
import { countRows, isCompleteRow } from './return-rows.js';

/** EWMA covariance parameters. */
export interface EwmaCovarianceParams {
  /** decay factor λ ∈ (0, 1) */
  readonly lambda: number;
  /** number of complete rows (integer ≥ 1) whose mean outer product seeds the recursion */
  readonly warmup: number;
  /** A × A seed covariance (symmetric, finite), overriding the warm-up estimate */
  readonly initialCovariance?: Float64Array;
}

/**
 * EWMA covariance forecast for the period after the last row.
 *
 *   C_0 = (1/N)·Σ_{first N complete rows} r·rᵀ  (or `initialCovariance`)
 *   C ← λ·C + (1 − λ)·r_t·r_tᵀ  over every complete row t, from the first one
 *
 * With no missing data its diagonal equals row T of `computeEwmaVariance` (same seed rule).
 *
 * @param returns  T × A log returns per period, `returns[t·A + a]`; NaN/±∞ = missing
 * @param nAssets  A ≥ 1
 * @param params   λ, warm-up length N, optional seed covariance
 * @param out      optional A × A output (row-major), overwritten
 * @returns        `out`: the symmetric A × A covariance per period (squared log-return units)
 * @throws InvalidInputError ERR_INVALID_INPUT on bad λ/warmup/shape, an asymmetric or non-finite
 *         seed, or fewer than N complete rows without a seed
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length
 * @see RiskMetrics Technical Document (1996) §5.3.1
 */
export function computeEwmaCovariance(
  returns: Float64Array,
  nAssets: number,
  params: EwmaCovarianceParams,
  out?: Float64Array,
): Float64Array {
  const T = countRows(returns, nAssets);
  const A = nAssets;
  checkEwmaParams({ lambda: params.lambda, warmup: params.warmup }, A);
  const res = out ?? new Float64Array(A * A);
  if (res.length !== A * A) {
    throw new InvariantError('EWMA covariance output has the wrong length', {
      out: res.length,
      expected: A * A,
    });
  }
  const lambda = params.lambda;
  const w = 1 - lambda;
  const init = params.initialCovariance;
  res.fill(0);
  if (init !== undefined) {
    requireInput(init.length === A * A, 'initialCovariance.length', init.length, `must equal ${A * A}`);
    for (let i = 0; i < A; i++) {
      for (let j = 0; j <= i; j++) {
        const x = init[i * A + j]!;
        requireInput(Number.isFinite(x), `initialCovariance[${i}][${j}]`, x, 'must be finite');
        requireInput(x === init[j * A + i]!, `initialCovariance[${i}][${j}]`, x, 'must equal its transpose');
        res[i * A + j] = x;
      }
    }
  } else {
    // Seed: mean outer product of the first N complete rows (lower triangle only).
    let count = 0;
    for (let t = 0; t < T && count < params.warmup; t++) {
      if (!isCompleteRow(returns, t, A)) continue;
      const base = t * A;
      for (let i = 0; i < A; i++) {
        const ri = returns[base + i]!;
        for (let j = 0; j <= i; j++) res[i * A + j] = res[i * A + j]! + ri * returns[base + j]!;
      }
      count++;
    }
    if (count < params.warmup) {
      throw new InvalidInputError(
        'returns',
        { completeRows: count, warmup: params.warmup },
        'must have at least warmup complete rows (every asset finite) to seed the EWMA covariance',
      );
    }
    for (let i = 0; i < A; i++) for (let j = 0; j <= i; j++) res[i * A + j] = res[i * A + j]! / count;
  }
  for (let t = 0; t < T; t++) {
    if (!isCompleteRow(returns, t, A)) continue;
    const base = t * A;
    for (let i = 0; i < A; i++) {
      const ri = returns[base + i]!;
      for (let j = 0; j <= i; j++) res[i * A + j] = lambda * res[i * A + j]! + w * ri * returns[base + j]!;
    }
  }
  // Mirror the lower triangle: the result is exactly symmetric.
  for (let i = 0; i < A; i++) for (let j = 0; j < i; j++) res[j * A + i] = res[i * A + j]!;
  return res;
}
