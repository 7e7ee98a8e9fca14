/**
 * The stable price both Derive presets need: the index price of the cash asset (Derive's stable
 * feed), which drives the depeg rules and values non-cash collateral in cash units.
 */
import { RiskError } from '../../../errors.js';
import type { MarginMarket } from '../../../portfolio/margin-market.js';

/**
 * Index price of `cashAsset`; 1 when the cash asset is the quote currency itself and unpriced.
 * @param model  the model name, for the message
 * @throws RiskError ERR_MISSING_MARKET_DATA naming `prices.<cashAsset>` when it has no price
 */
export function stablePriceOf(market: MarginMarket, cashAsset: string, model: string): number {
  const price = market.prices.get(cashAsset) ?? (cashAsset === market.quoteCurrency ? 1 : undefined);
  if (price === undefined) {
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      `prices.${cashAsset} is required by ${model}: it is the stable price of the depeg rules`,
      { field: `prices.${cashAsset}` },
    );
  }
  return price;
}
