/**
 * @module statistics/horizon
 *
 * Scaling one-period log returns to a margin period of risk (MPOR) of h periods, two ways:
 *
 * 1. Overlapping windows (preferred by the model): R_t = Σ_{k=0}^{h−1} r_{t+k}, one window
 *    starting at every period, so T one-period rows give T − h + 1 h-period rows. Log returns
 *    add over time exactly, so R_t is the realised h-period log return; vol clustering, fat
 *    tails, autocorrelation and cross-asset lead–lag over the horizon are kept as they happened.
 *    Cost: consecutive windows share h − 1 periods, so the rows are strongly autocorrelated;
 *    the effective sample is closer to T/h independent observations than to T, which widens
 *    the error of a tail estimate: the overlap uses all the data, it does not multiply it.
 * 2. Square-root-of-time: R = √h·r. Exact in distribution only for i.i.d. normal returns with
 *    zero mean; with fat tails the h-period distribution is closer to normal than √h·r (it
 *    overstates tail quantiles of i.i.d. fat-tailed returns) while with vol clustering or
 *    momentum it can understate them. Used for Monte Carlo (covariance scaled by h) and as a
 *    cross-check.
 *
 * Units: inputs and outputs are log returns; layout T × A, `returns[t·A + a]`.
 * References: RiskMetrics — Technical Document (1996) §6.3 (√t rule); J. Danielsson, J.-P. Zigrand,
 * "On time-scaling of risk and the square-root-of-time rule", J. Banking & Finance 30 (2006).
 */
import { InvariantError, requireInput } from '../errors.js';
import { countRows } from './return-rows.js';

/**
 * Overlapping h-period log returns from one-period log returns, one window per start period.
 *
 *   out[t·A + a] = Σ_{k=0}^{h−1} returns[(t + k)·A + a],   t = 0 … T − h
 *
 * Row t of the output is the window [t, t + h − 1] of the input (its last period is t + h − 1,
 * the period whose date a scenario should be named by). A window containing a NaN or ±∞ is NaN
 * (no partial windows: a gap is not a zero return). Each window is summed directly (no running
 * sum), so a NaN does not leak into later windows and rounding does not accumulate.
 *
 * @param returns       T × A one-period log returns
 * @param nAssets       A ≥ 1
 * @param horizonSteps  h, an integer in [1, T]
 * @param out           optional (T − h + 1) × A output, distinct from `returns`
 * @returns             `out`: (T − h + 1) × A h-period log returns
 * @throws InvalidInputError ERR_INVALID_INPUT when h is not an integer in [1, T] or the shape is bad
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length or aliases `returns`
 * @see docs/methodology/var-es.md#horizon
 * @example computeOverlappingReturns(Float64Array.of(0.01, 0.02, -0.01), 1, 2) // [0.03, 0.01]
 */
export function computeOverlappingReturns(
  returns: Float64Array,
  nAssets: number,
  horizonSteps: number,
  out?: Float64Array,
): Float64Array {
  const T = countRows(returns, nAssets);
  const A = nAssets;
  const h = horizonSteps;
  requireInput(Number.isInteger(h) && h >= 1 && h <= T, 'horizonSteps', h, `must be an integer in [1, ${T}]`);
  const rows = T - h + 1;
  const res = out ?? new Float64Array(rows * A);
  if (res.length !== rows * A || res === returns) {
    throw new InvariantError('overlapping returns output has the wrong length', {
      out: res.length,
      expected: rows * A,
    });
  }
  for (let t = 0; t < rows; t++) {
    for (let a = 0; a < A; a++) {
      let sum = 0;
      // A NaN or infinity anywhere in the window makes the sum NaN or infinite: refused below.
      for (let k = 0; k < h; k++) sum += returns[(t + k) * A + a]!;
      res[t * A + a] = Number.isFinite(sum) ? sum : Number.NaN;
    }
  }
  return res;
}

/**
 * Square-root-of-time scaling: out[i] = √h·returns[i] (NaN stays NaN).
 *
 * @param returns       one-period log returns (any layout)
 * @param horizonSteps  h > 0, need not be an integer (e.g. 48 hourly periods, or 2 days)
 * @param out           optional output of the same length (may be `returns` itself)
 * @returns             `out`: returns scaled to h periods
 * @throws InvalidInputError ERR_INVALID_INPUT when h is not finite and > 0
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length
 * @see RiskMetrics (1996) §6.3; Danielsson & Zigrand (2006) for its limits
 * @example scaleReturnsSqrtTime(Float64Array.of(0.01), 4) // [0.02]
 */
export function scaleReturnsSqrtTime(
  returns: Float64Array,
  horizonSteps: number,
  out?: Float64Array,
): Float64Array {
  requireInput(
    horizonSteps > 0 && horizonSteps < Infinity,
    'horizonSteps',
    horizonSteps,
    'must be finite and > 0',
  );
  const res = out ?? new Float64Array(returns.length);
  if (res.length !== returns.length) {
    throw new InvariantError('scaled returns output has the wrong length', {
      out: res.length,
      expected: returns.length,
    });
  }
  const k = Math.sqrt(horizonSteps);
  for (let i = 0; i < returns.length; i++) res[i] = k * returns[i]!;
  return res;
}
