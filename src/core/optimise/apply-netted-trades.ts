/**
 * The portfolio after trades, netted into the positions already held, as a venue books a fill
 * (one position per instrument): premiums and spot costs move cash exactly as `applyTrades`
 * does (rounded against the account); then positions in the same instrument merge.
 *
 *   options, spot:          size = Σ sizes (dropped at 0)
 *   perpetuals, futures:    value V = Σ size·cs·(mark − entry) is kept: entry = mark − V/(size·cs);
 *                           a position netted to 0 realises V into the settlement asset
 *                           (a gain rounds down, a loss rounds up)
 *
 * Equity is unchanged by netting (to the rounding of one base unit).
 */
import { creditToUnits, requirementToUnits } from '../ledger/convert.js';
import { applyTrades, settlementAsset, type Trade } from '../margin/efficiency.js';
import type { MarginContext } from '../margin/margin-model.js';
import type { CollateralBalance, Portfolio, Position } from '../portfolio/portfolio.js';

/**
 * Applies `trades` and nets positions per instrument (module header).
 * @throws as `applyTrades` (unknown instrument, zero or non-finite size)
 */
export function applyNettedTrades(
  portfolio: Portfolio,
  trades: readonly Trade[],
  ctx: MarginContext,
): Portfolio {
  if (trades.length === 0) return portfolio;
  const traded = new Set(trades.map((t) => t.instrument));
  const applied = applyTrades(portfolio, trades, ctx);
  const collateral = new Map<string, CollateralBalance>(applied.collateral);
  const cashAsset = settlementAsset(portfolio, ctx);
  const groups = new Map<string, Position[]>();
  const kept: (Position | string)[] = [];
  for (const pos of applied.positions) {
    if (!traded.has(pos.instrument)) {
      kept.push(pos);
      continue;
    }
    let g = groups.get(pos.instrument);
    if (!g) {
      groups.set(pos.instrument, (g = []));
      kept.push(pos.instrument);
    }
    g.push(pos);
  }
  const positions: Position[] = [];
  for (const k of kept) {
    if (typeof k !== 'string') {
      positions.push(k);
      continue;
    }
    const group = groups.get(k)!;
    const m = ctx.market.instruments.get(k)!;
    const size = group.reduce((a, p) => a + p.size, 0);
    const kind = m.instrument.kind;
    if (kind !== 'perpetual' && kind !== 'future') {
      if (size !== 0) positions.push({ instrument: k, size });
      continue;
    }
    const cs = m.instrument.contractSize;
    const value = group.reduce(
      (a, p) => a + (p.entryPrice === undefined ? 0 : p.size * cs * (m.markPrice - p.entryPrice)),
      0,
    );
    const anyEntry = group.some((p) => p.entryPrice !== undefined);
    if (size !== 0) {
      positions.push(
        anyEntry
          ? { instrument: k, size, entryPrice: m.markPrice - value / (size * cs) }
          : { instrument: k, size },
      );
      continue;
    }
    if (value === 0) continue;
    // Realised into cash: a gain is credited rounded down, a loss debited rounded up.
    const asset = ctx.market.assets.getAsset(cashAsset);
    const price = ctx.market.prices.get(cashAsset)!;
    const change =
      value >= 0
        ? creditToUnits(value / price, asset.decimals)
        : -requirementToUnits(-value / price, asset.decimals);
    collateral.set(cashAsset, { asset, units: (collateral.get(cashAsset)?.units ?? 0n) + change });
  }
  return { positions, collateral };
}
