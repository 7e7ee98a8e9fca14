/**
 * The oracle confidence a rule applies: the smallest confidence of the feeds it reads, each feed's
 * own (`feedConfidence`) when the market gives it, else the asset's (`confidence`), else 1.
 *
 *   c = min_{f ∈ feeds} (feedConfidence[asset][f] ?? confidence[asset] ?? 1)
 *
 * Derive signs its spot, forward, perp and vol feeds separately and charges on the smallest
 * confidence of the feeds a position depends on (perps: perp and spot; options: spot, forward and
 * vol; base assets: spot). Fractions in [0, 1]; 1 = fully confident.
 */
import type { FeedConfidence, MarginMarket } from './margin-market.js';

/** A feed of an asset. */
export type OracleFeed = keyof FeedConfidence;

/**
 * The smallest confidence of `feeds` of `asset` (module header).
 * @example confidenceOf(market, 'ETH', ['spot', 'perp'])
 */
export function confidenceOf(market: MarginMarket, asset: string, feeds: readonly OracleFeed[]): number {
  const own = market.feedConfidence?.get(asset);
  const fallback = market.confidence.get(asset) ?? 1;
  let c = 1;
  for (const f of feeds) c = Math.min(c, own?.[f] ?? fallback);
  return c;
}
