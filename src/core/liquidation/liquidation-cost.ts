/**
 * Slippage of a liquidation trade: from the market's depth curve of the asset when there is one,
 * else the documented square-root default
 *
 *   cost = |notional| · (halfSpread + k · √(|notional| / ADV))
 *
 * Units: quantities in units of the asset, costs in USD (≥ 0).
 */
import { computeExecutionCost } from '../market/execution-cost.js';
import { XmarginError } from '../errors.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { LiquidationParams } from './liquidation-params.js';

/**
 * Square-root default cost of trading a notional.
 *
 *   cost = |n| · (halfSpread + k·√(|n| / ADV_asset))
 *
 * @param notionalUsd  traded notional, USD (sign ignored)
 * @param asset        asset whose ADV applies (`params.advUsd`, else `defaultAdvUsd`)
 * @param params       planner params
 * @returns            cost, USD, ≥ 0 (0 for a zero notional)
 * @see docs/methodology/liquidation.md#costs
 */
export function computeDefaultSlippage(
  notionalUsd: number,
  asset: string,
  params: LiquidationParams,
): number {
  const n = Math.abs(notionalUsd);
  if (n === 0) return 0;
  const adv = params.advUsd[asset] ?? params.defaultAdvUsd;
  return n * (params.defaultHalfSpread + params.defaultImpact * Math.sqrt(n / adv));
}

/**
 * Slippage of trading `qty` units of `asset` (q > 0 buys, q < 0 sells): the depth curve of the
 * asset in `market.snapshot.depthCurves`, else `computeDefaultSlippage` on |q|·price.
 *
 * Edge case: an order beyond a book's depth under the 'throw' rule cannot be executed; the cost
 * is then +∞ (the planner skips that action) rather than an error.
 *
 * @param market  the market (depth curves and prices)
 * @param asset   asset symbol
 * @param qty     signed quantity, units of the asset
 * @param params  planner params
 * @returns       cost, USD, ≥ 0 or +∞
 */
export function computeSlippage(
  market: MarginMarket,
  asset: string,
  qty: number,
  params: LiquidationParams,
): number {
  if (qty === 0) return 0;
  const curve = market.snapshot.depthCurves.get(asset);
  if (curve === undefined) {
    const price = market.prices.get(asset) ?? 0;
    return computeDefaultSlippage(qty * price, asset, params);
  }
  try {
    return computeExecutionCost(curve, qty).costUsd;
  } catch (e) {
    if (e instanceof XmarginError && e.code === 'ERR_MISSING_MARKET_DATA') return Infinity;
    throw e;
  }
}
