/**
 * @module engine/to-portfolio
 *
 * The bridge from the exact ledger state of one sub-account to the core's {@link Portfolio}, the
 * input of every margin model: non-zero collateral balances (exact base units, negative =
 * borrowed) and open positions (signed contracts, long > 0, with their average entry price).
 */
import type { Asset } from '../core/ledger/asset.js';
import { InvariantError } from '../core/errors.js';
import type { CollateralBalance, Portfolio, Position } from '../core/portfolio/portfolio.js';

/** A sub-account's open position as the journal holds it. */
export interface PositionState {
  /** signed contracts, long > 0, never 0 (a closed position is removed) */
  readonly size: number;
  /** average entry price, quote ccy per unit of underlying */
  readonly entryPrice: number;
}

/**
 * Converts a sub-account's balances and positions to a Portfolio. Order is deterministic:
 * positions by instrument id, collateral by asset symbol. Zero balances are left out.
 *
 * @param balances   asset symbol → base units
 * @param positions  instrument id → position
 * @param assets     asset symbol → asset (decimals)
 * @returns          an immutable Portfolio
 * @throws InvariantError ERR_INVARIANT when a balance names an undefined asset (the journal refuses those)
 */
export function toPortfolio(
  balances: ReadonlyMap<string, bigint>,
  positions: ReadonlyMap<string, PositionState>,
  assets: ReadonlyMap<string, Asset>,
): Portfolio {
  const collateral = new Map<string, CollateralBalance>();
  for (const symbol of [...balances.keys()].sort()) {
    const units = balances.get(symbol) ?? 0n;
    if (units === 0n) continue;
    const asset = assets.get(symbol);
    if (!asset) throw new InvariantError(`balance in undefined asset ${symbol}`, { asset: symbol });
    collateral.set(symbol, { asset, units });
  }
  const out: Position[] = [];
  for (const instrument of [...positions.keys()].sort()) {
    const p = positions.get(instrument)!;
    out.push({ instrument, size: p.size, entryPrice: p.entryPrice });
  }
  return { positions: out, collateral };
}
