/**
 * @module portfolio
 *
 * What an account holds: signed positions in instruments and multi-asset collateral.
 *
 * Units and signs:
 * - `size` is signed, long > 0, in contracts (one contract = `contractSize` units of the
 *   underlying); a float, since risk math is float64 (settled ledger quantities are exact
 *   elsewhere);
 * - `entryPrice` (optional, perpetuals and futures) is the average entry price in quote currency
 *   per unit of underlying; without it the position's P&L is taken as already settled into
 *   collateral (unrealised P&L 0), as venues that settle P&L continuously do;
 * - collateral is exact: `bigint` base units per asset symbol, negative = borrowed (a liability);
 * - venue tags (optional, docs/formats.md#venue-tags): a position may name the venue it is held
 *   at, and `venueBalances` breaks the collateral down by venue. When present, the balances of each
 *   asset sum exactly to `collateral` (the combined view; docs/methodology/cross-venue.md).
 */
import type { Asset } from '../ledger/asset.js';

/** One position. */
export interface Position {
  /** instrument id (must exist in the market) */
  readonly instrument: string;
  /** signed size in contracts, long > 0; finite and non-zero */
  readonly size: number;
  /** average entry price, quote ccy per unit of underlying (perpetuals and futures only) */
  readonly entryPrice?: number;
  /** the venue the position is held at (e.g. `okx`); absent: untagged */
  readonly venue?: string;
}

/** One collateral balance: exact base units of an asset, negative = borrowed. */
export interface CollateralBalance {
  readonly asset: Asset;
  readonly units: bigint;
}

/** One balance held at one venue: exact base units, negative = borrowed there. */
export interface VenueBalance extends CollateralBalance {
  /** the venue the balance is held at; `''` for an untagged balance */
  readonly venue: string;
}

/** A portfolio: positions plus collateral. Immutable. */
export interface Portfolio {
  readonly positions: readonly Position[];
  /** collateral balances keyed by asset symbol (summed over venues) */
  readonly collateral: ReadonlyMap<string, CollateralBalance>;
  /**
   * the collateral by venue, when the portfolio was built from tagged balances: for every asset,
   * Σ units over its venue balances = `collateral.get(asset).units`
   */
  readonly venueBalances?: readonly VenueBalance[];
}
