/**
 * Historical coverage of a haircut or a margin rate: the share of past MPOR windows whose loss
 * exceeded it (docs/methodology/collateral.md#coverage).
 */
import { requireInput } from '../errors.js';

/** Which holder's loss is compared with the threshold. */
export type ExceedanceSide = 'long' | 'both';

/** Options of {@link computeLossExceedance}. */
export interface LossExceedanceOptions {
  /** window length in bars (integer ≥ 1): MPOR hours on an hourly series, days on a daily one */
  readonly horizonBars: number;
  /** bars between window starts (integer ≥ 1; 1 = every overlapping window) */
  readonly strideBars: number;
  /**
   * loss threshold, fraction of the start value (e.g. the haircut 0.066); or one threshold per
   * bar, read at each window's start bar (a backtest of a time-varying haircut; NaN = skip)
   */
  readonly threshold: number | Float64Array;
  /** 'long': loss = 1 − c₁/c₀ (a holder); 'both': max(1 − c₁/c₀, c₁/c₀ − 1) (long or short) */
  readonly side: ExceedanceSide;
}

/** Result of {@link computeLossExceedance}. */
export interface LossExceedanceResult {
  /** windows with a close at both ends */
  readonly windows: number;
  /** windows whose loss exceeded the threshold (strictly) */
  readonly exceedances: number;
  /** exceedances / windows, fraction in [0, 1]; NaN when there is no window */
  readonly share: number;
}

/**
 * Share of historical windows whose loss exceeded a threshold.
 *
 *   window t: ratio = c[t + h] / c[t] (both closes present; a gap inside is allowed: the
 *             endpoints are h bars apart on the grid, so the move is still an h-bar move)
 *   long loss = 1 − ratio;  short loss = ratio − 1;  exceedance when loss > threshold
 *
 * With a fixed threshold (today's haircut) the share measures today's figure against every past
 * window, calm or not. With per-bar thresholds (the haircut each start bar would have had) it is
 * a backtest: a haircut at confidence α is well calibrated when the share is near 1 − α, and a
 * larger share means the normal quantile understated the fat tail.
 *
 * @param closes   one asset's closes on a regular grid, quote ccy, NaN = no bar
 * @param options  horizon and stride (bars), threshold (fraction, or per-bar fractions), side
 * @returns        windows, exceedances and their share
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad horizon, stride or threshold
 * @example computeLossExceedance(btcCloses, { horizonBars: 24, strideBars: 1, threshold: 0.066, side: 'long' })
 */
export function computeLossExceedance(
  closes: Float64Array,
  options: LossExceedanceOptions,
): LossExceedanceResult {
  const { horizonBars: h, strideBars: s, threshold, side } = options;
  requireInput(Number.isInteger(h) && h >= 1, 'horizonBars', h, 'must be an integer >= 1');
  requireInput(Number.isInteger(s) && s >= 1, 'strideBars', s, 'must be an integer >= 1');
  if (typeof threshold === 'number')
    requireInput(
      Number.isFinite(threshold) && threshold >= 0,
      'threshold',
      threshold,
      'must be finite and >= 0',
    );
  else
    requireInput(
      threshold.length === closes.length,
      'threshold.length',
      threshold.length,
      `must equal closes.length ${closes.length}`,
    );
  let windows = 0;
  let exceedances = 0;
  for (let t = 0; t + h < closes.length; t += s) {
    const c0 = closes[t]!;
    const c1 = closes[t + h]!;
    const limit = typeof threshold === 'number' ? threshold : threshold[t]!;
    if (!(c0 > 0 && c1 > 0) || Number.isNaN(limit)) continue;
    const ratio = c1 / c0;
    const loss = side === 'long' ? 1 - ratio : Math.abs(ratio - 1);
    windows++;
    if (loss > limit) exceedances++;
  }
  return { windows, exceedances, share: windows > 0 ? exceedances / windows : NaN };
}
