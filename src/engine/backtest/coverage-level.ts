/**
 * What each model's margin claims to cover, as a testable level (docs/methodology/backtesting.md
 * #coverage): the exceedance rate its IM is tested against over the margin period of risk.
 *
 * - `es` (ES at α = 99%): the VaR-equivalent level p* = P(L > ES_α) under a Student t(4),
 *   0.321% (core/statistics/margin-coverage.ts); its ES is also tested by Acerbi–Szekely Z2;
 * - `var` (VaR at α): 1 − α;
 * - `isolated-cover`: a one-day move at 99% by construction: 1%;
 * - scenario grids (`portfolio`, presets): the 99% level venues and clearing houses quote: 1%;
 * - `isolated`, `cross`: leverage caps (2% on BTC, 50×), which claim no one-day cover; they are
 *   tested at 1% like the others for comparison, and their own claim, a move within the hour,
 *   is measured separately on hourly bars with intrabar extremes (leverage-cap-coverage.ts).
 */
import { getMarginModel } from '../../core/margin/registry.js';
import { targetExceedanceRate } from '../../core/statistics/margin-coverage.js';

/** The claim a model's IM is tested at. */
export interface CoverageLevel {
  /** `es`: an Expected Shortfall (tested at its VaR-equivalent level and by Z2); `var`: a quantile */
  readonly measure: 'es' | 'var';
  /** confidence of the claim, e.g. 0.99 */
  readonly alpha: number;
  /** exceedance rate tested against (one-sided) */
  readonly target: number;
  /** a leverage cap: its one-day result is informational */
  readonly leverageCap: boolean;
}

const LEVERAGE_CAPS = new Set(['isolated', 'cross']);

/** The coverage level of a registered model (module header). */
export function coverageLevel(modelName: string): CoverageLevel {
  const p = getMarginModel(modelName).defaultParams as { alpha?: unknown };
  const alpha = typeof p.alpha === 'number' && p.alpha > 0 && p.alpha < 1 ? p.alpha : 0.99;
  const measure = modelName === 'es' ? 'es' : 'var';
  return {
    measure,
    alpha,
    target: targetExceedanceRate(measure, alpha),
    leverageCap: LEVERAGE_CAPS.has(modelName),
  };
}
