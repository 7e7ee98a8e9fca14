/**
 * @module analytics/shift-market
 *
 * The same market re-marked at other index levels: the building block of liquidation prices and
 * P&L curves. Each moved underlying u gets a log move x_u (S'_u = S_u·e^{x_u}); everything else
 * (other underlyings, stablecoins, time, rates) is held:
 *
 *   index, spot instrument:   S' = S·e^{x}
 *   perpetual, future mark:   M' = M·e^{x}            (basis to the index held in proportion)
 *   option:                   F' = F·e^{x},  σ' = rule(σ, x, t) (default σ' = σ, sticky strike)
 *                             mark' = max(0, mark + B76(F', K, t, σ', r) − B76(F, K, t, σ, r))
 *
 * The option is re-marked by its model-price change, as the risk arrays revalue it
 * (risk/option-scenario-pricer.ts), so a zero move returns the quoted mark exactly. The
 * re-marked market keeps the base `snapshot` (vol surfaces, depth curves): models read marks,
 * prices and vols from the market, never the snapshot; its `snapshotId` names the shift.
 *
 * Units: prices in quote currency per unit of underlying; x a natural-log return; σ annualised.
 */
import { ensureFinite, requireInput } from '../errors.js';
import type { MarginMarket, MarkedInstrument } from '../portfolio/margin-market.js';
import { priceBlack76 } from '../pricing/black76.js';
import type { SpotVolRule } from '../margin/margin-model.js';

/** What to move. */
export interface MarketShift {
  /** log move of each moved underlying's index, S' = S·e^{x} (finite) */
  readonly logMoves: ReadonlyMap<string, number>;
  /** the vol response to a spot move; absent: implied vols held */
  readonly volRule?: SpotVolRule;
  /** keep only these instruments (e.g. a portfolio's), to re-mark less; absent: all */
  readonly instruments?: ReadonlySet<string>;
}

function pct(x: number): string {
  const m = 100 * Math.expm1(x);
  return `${m >= 0 ? '+' : ''}${m.toFixed(4)}%`;
}

/** Re-marks one instrument whose underlying moved by `x` (module header). */
function remark(
  m: MarkedInstrument,
  x: number,
  index: number,
  rule: SpotVolRule | undefined,
): MarkedInstrument {
  const inst = m.instrument;
  const f = Math.exp(x);
  switch (inst.kind) {
    case 'spot':
      return { ...m, markPrice: index };
    case 'perpetual':
      return { ...m, markPrice: m.markPrice * f };
    case 'future':
      return { ...m, markPrice: m.markPrice * f, forward: m.markPrice * f };
    case 'option': {
      const forward = m.forward!;
      const vol = m.vol!;
      const tYears = m.tYears!;
      const rate = m.rate ?? 0;
      const vol2 = rule ? ensureFinite(rule(vol, x, tYears), 'shifted vol', { id: inst.id, x }) : vol;
      requireInput(vol2 >= 0, `instruments[${inst.id}].vol`, vol2, 'must stay >= 0 under the spot-vol rule');
      const base = { type: inst.optionType, strike: inst.strike, tYears, rate } as const;
      const before = priceBlack76({ ...base, forward, vol });
      const after = priceBlack76({ ...base, forward: forward * f, vol: vol2 });
      return { ...m, forward: forward * f, vol: vol2, markPrice: Math.max(0, m.markPrice + after - before) };
    }
  }
}

/**
 * The market re-marked after the shift (module header).
 *
 * @param market  the base market
 * @param shift   log moves per underlying, the vol rule, the instruments to keep
 * @returns       a new market at the same valuation time; unmoved instruments are shared
 * @throws InvalidInputError ERR_INVALID_INPUT when a move is not finite, names an asset without a
 *         price, or the moved price is not finite and > 0; ERR_NUMERIC when the vol rule is not finite
 * @example shiftMarket(market, { logMoves: new Map([['BTC', Math.log(0.8)]]) }) // BTC 20% lower
 */
export function shiftMarket(market: MarginMarket, shift: MarketShift): MarginMarket {
  const prices = new Map(market.prices);
  const ids: string[] = [];
  for (const [u, x] of shift.logMoves) {
    const s = market.prices.get(u);
    requireInput(s !== undefined, `logMoves.${u}`, x, 'must name an asset with a price');
    requireInput(Number.isFinite(x), `logMoves.${u}`, x, 'must be finite');
    const moved = s * Math.exp(x);
    requireInput(moved > 0 && moved < Infinity, `logMoves.${u}`, x, 'must leave the price finite and > 0');
    prices.set(u, moved);
    if (x !== 0) ids.push(`${u}${pct(x)}`);
  }
  const instruments = new Map<string, MarkedInstrument>();
  for (const [id, m] of market.instruments) {
    if (shift.instruments && !shift.instruments.has(id)) continue;
    const x = shift.logMoves.get(m.instrument.underlying);
    instruments.set(
      id,
      x === undefined || x === 0 ? m : remark(m, x, prices.get(m.instrument.underlying)!, shift.volRule),
    );
  }
  return {
    ...market,
    snapshotId: ids.length === 0 ? market.snapshotId : `${market.snapshotId}|${ids.join(',')}`,
    prices,
    instruments,
  };
}
