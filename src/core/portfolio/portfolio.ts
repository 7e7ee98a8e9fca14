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
 * - collateral is exact: `bigint` base units per asset symbol, negative = borrowed (a liability).
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
}

/** One collateral balance: exact base units of an asset, negative = borrowed. */
export interface CollateralBalance {
  readonly asset: Asset;
  readonly units: bigint;
}

/** A portfolio: positions plus collateral. Immutable. */
export interface Portfolio {
  readonly positions: readonly Position[];
  /** collateral balances keyed by asset symbol */
  readonly collateral: ReadonlyMap<string, CollateralBalance>;
}
