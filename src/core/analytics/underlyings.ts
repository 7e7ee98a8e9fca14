/**
 * @module analytics/underlyings
 *
 * The assets whose price moves an account: the underlyings of its positions and the assets of
 * its collateral (liabilities included), sorted by symbol. Stablecoins and the quote currency
 * are in the list; callers that only move volatile assets filter them out.
 */
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Portfolio } from '../portfolio/portfolio.js';

/**
 * Every asset the account is exposed to (module header).
 * @example exposedUnderlyings(pf, market) // ['BTC', 'ETH', 'USDC']
 */
export function exposedUnderlyings(portfolio: Portfolio, market: MarginMarket): string[] {
  const out = new Set<string>();
  for (const p of portfolio.positions) {
    const u = market.instruments.get(p.instrument)?.instrument.underlying;
    if (u !== undefined) out.add(u);
  }
  for (const a of portfolio.collateral.keys()) out.add(a);
  return [...out].sort();
}
