/**
 * The `okx-unified` preset: OKX unified account in multi-currency margin mode, cross positions
 * (OKX help "Multi-currency margin mode: cross margin", position tiers, discount rates).
 *
 * Per perpetual or future position, N = |units|·mark, t the tier of |units| (the first whose
 * maxUnits ≥ |units|; the last if none), L the user's leverage capped by the tier (1/imr_t):
 *
 *   MMR_i = N·mmr_t,   IMR_i = N / L
 *   adjEq = Σ_ccy discounted(eq_ccy·price) + Σ uPnL       (progressive discount tiers)
 *   margin ratio = adjEq / (Σ MMR + fees)                  (liquidation at 100%; fees not reproduced)
 *
 * The tier rate applies to the whole position (OKX uses no deduction). Options and spot positions
 * fail closed (the multi-currency option margin and the portfolio-margin mode are not reproduced).
 * Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PortfolioValuation } from '../../../portfolio/valuation.js';
import { tableFor, tieredEquity } from '../../tiers/bracket.js';
import { chargePositions, perPositionResult } from '../preset-result.js';
import type { OkxParams, OkxTier } from './okx-params.js';

/** Model name. */
export const OKX_MODEL_NAME = 'okx-unified';

/** The tier of a position of `units` (absolute) of the underlying. */
export function okxTierOf(tiers: readonly OkxTier[], units: number): OkxTier {
  return tiers.find((t) => t.maxUnits === null || Math.abs(units) <= t.maxUnits) ?? tiers[tiers.length - 1]!;
}

/**
 * Computes the OKX requirement (module header).
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option or spot position
 */
export function computeOkxMargin(portfolio: Portfolio, ctx: MarginContext, p: OkxParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const charges = chargePositions(
    OKX_MODEL_NAME,
    portfolio,
    v,
    ['perpetual', 'future'],
    'OKX cross margin of perpetuals and futures only is reproduced',
    (pv, notional) => {
      const inst = pv.marked.instrument;
      const tier = okxTierOf(tableFor(p.tiers, inst.id, inst.underlying, p.defaultTiers), pv.units);
      const leverage = Math.min(
        p.leverage[inst.id] ?? p.defaultLeverage,
        tier.imr > 0 ? 1 / tier.imr : Infinity,
      );
      return {
        imUsd: notional / leverage,
        mmUsd: notional * tier.mmr,
        detail: { notionalUsd: notional, leverage, mmr: tier.mmr },
      };
    },
  );
  return perPositionResult(OKX_MODEL_NAME, p, market, charges, okxAdjustedEquity(v, p));
}

/**
 * OKX adjusted equity: Σ_ccy discounted(eq·price) + Σ position values (uPnL, option value),
 * the discount rates progressive by value (shared by `okx-unified` and `okx-pm`).
 */
export function okxAdjustedEquity(
  v: PortfolioValuation,
  p: Pick<OkxParams, 'discountRates' | 'defaultDiscountRate'>,
): number {
  return tieredEquity(v.positionsUsd, v.collateral, p.discountRates, p.defaultDiscountRate);
}
