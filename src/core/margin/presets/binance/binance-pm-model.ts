/**
 * The `binance-pm` preset: Binance Portfolio Margin's unified maintenance margin ratio (uniMMR)
 * over USDⓈ-M positions and margin balances (Binance FAQ "What is the unified account maintenance
 * margin ratio (uniMMR) and how is it calculated").
 *
 *   MM_i   = |N_i|·mmr_b − cum_b            N_i = units·mark, b = the leverage bracket of |N_i|
 *   MM     = Σ MM_i + Σ_borrowed |value|·marginLoanMmr
 *   IM     = Σ |N_i| / leverage_i           (Classic PM's account initial margin)
 *   adjEq  = Σ_asset min(value·collateralRate, value) + Σ uPnL      (progressive collateral tiers)
 *   uniMMR = adjEq / MM                     (liquidation at 1.05 in Classic PM; Binance's own status)
 *
 * The result's equity is adjEq, so equity / MM is uniMMR. Not reproduced: COIN-M positions,
 * open-order losses, the Pro mode's thresholds. Options and dated futures fail closed.
 * Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { bracketMaintenance, progressiveCollateral, tableFor } from '../../tiers/bracket.js';
import { chargePositions, perPositionResult } from '../preset-result.js';
import type { BinancePmParams } from './binance-pm-params.js';

/** Model name. */
export const BINANCE_PM_MODEL_NAME = 'binance-pm';

/**
 * Computes the Binance PM requirement (module header).
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option, future or spot position
 */
export function computeBinancePmMargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  p: BinancePmParams,
): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const charges = chargePositions(
    BINANCE_PM_MODEL_NAME,
    portfolio,
    v,
    ['perpetual'],
    'USDⓈ-M perpetuals only are reproduced',
    (pv, notional) => {
      const inst = pv.marked.instrument;
      const leverage = p.leverage[inst.id] ?? p.defaultLeverage;
      return {
        imUsd: notional / leverage,
        mmUsd: bracketMaintenance(
          tableFor(p.brackets, inst.id, inst.underlying, p.defaultBrackets),
          notional,
        ),
        detail: { notionalUsd: notional, leverage },
      };
    },
  );
  let adjEq = v.positionsUsd;
  for (const c of v.collateral) {
    const tiers = p.collateralRates[c.asset] ?? [{ floorUsd: 0, rate: p.defaultCollateralRate }];
    adjEq += progressiveCollateral(tiers, c.valueUsd);
    if (c.valueUsd < 0)
      charges.push({
        key: `collateral:${c.asset}`,
        imUsd: 0,
        mmUsd: -c.valueUsd * p.marginLoanMmr,
        detail: { borrowedUsd: -c.valueUsd },
      });
  }
  return perPositionResult(BINANCE_PM_MODEL_NAME, p, market, charges, adjEq);
}
