/**
 * The `bybit-unified` preset: Bybit Unified Trading Account, regular (cross) margin (Bybit help
 * "Unified Trading Account: initial and maintenance margin", risk limits).
 *
 * Per linear perpetual or future, V = |units|·mark, t the risk-limit tier (the first whose
 * riskLimitValue ≥ V; the last if none), L the leverage capped by 1/initialMargin_t, fee = V·taker:
 *
 *   IM_i = V / L + fee,    MM_i = V·mmr_t − mmDeduction_t + fee      (fee to close)
 *   equity (total margin balance) = Σ_coin ratio(walletBalance·price) + Σ uPnL
 *   account IM rate = Σ IM / equity,   account MM rate = Σ MM / equity   (liquidation at 100%)
 *
 * Bybit estimates the fee to close at the bankruptcy price; xmargin takes it at mark (the
 * difference is the fee rate × the distance to bankruptcy, a few basis points of the fee).
 * Options and spot positions fail closed (portfolio margin is not reproduced). Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PortfolioValuation } from '../../../portfolio/valuation.js';
import { tableFor, tieredEquity } from '../../tiers/bracket.js';
import { chargePositions, perPositionResult } from '../preset-result.js';
import type { BybitParams, BybitRiskLimit } from './bybit-params.js';

/** Model name. */
export const BYBIT_MODEL_NAME = 'bybit-unified';

/** The risk-limit tier of a position value. */
export function bybitTierOf(limits: readonly BybitRiskLimit[], valueUsd: number): BybitRiskLimit {
  return limits.find((t) => valueUsd <= t.riskLimitValueUsd) ?? limits[limits.length - 1]!;
}

/**
 * Computes the Bybit requirement (module header).
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option or spot position
 */
export function computeBybitMargin(portfolio: Portfolio, ctx: MarginContext, p: BybitParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const charges = chargePositions(
    BYBIT_MODEL_NAME,
    portfolio,
    v,
    ['perpetual', 'future'],
    'Bybit regular margin of linear contracts only is reproduced',
    (pv, value) => {
      const inst = pv.marked.instrument;
      const tier = bybitTierOf(tableFor(p.riskLimits, inst.id, inst.underlying, p.defaultRiskLimits), value);
      const leverage = Math.min(
        p.leverage[inst.id] ?? p.defaultLeverage,
        tier.initialMargin > 0 ? 1 / tier.initialMargin : Infinity,
      );
      const fee = value * p.takerFee;
      return {
        imUsd: value / leverage + fee,
        mmUsd: Math.max(0, value * tier.maintenanceMargin - tier.mmDeductionUsd) + fee,
        detail: {
          positionValueUsd: value,
          leverage,
          maintenanceRate: tier.maintenanceMargin,
          feeToCloseUsd: fee,
        },
      };
    },
  );
  return perPositionResult(BYBIT_MODEL_NAME, p, market, charges, bybitMarginBalance(v, p));
}

/**
 * Bybit total margin balance: Σ_coin ratio(walletBalance·price) + Σ position values (uPnL,
 * option value), the collateral value ratios progressive by value (shared by `bybit-unified`
 * and `bybit-pm`).
 */
export function bybitMarginBalance(
  v: PortfolioValuation,
  p: Pick<BybitParams, 'collateralValueRatios' | 'defaultCollateralValueRatio'>,
): number {
  return tieredEquity(v.positionsUsd, v.collateral, p.collateralValueRatios, p.defaultCollateralValueRatio);
}
