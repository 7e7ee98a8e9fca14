/**
 * The loss a venue's book can take while collateral is in transit to it.
 *
 * For every underlying u of the book (positions on u and non-stable collateral in u), with the
 * move m_u = hourlyMove_u·√hours:
 *
 *   PnL_u(±) = Σ linear units·mark·(±m_u) + Σ options units·(B76(F·(1 ± m_u), K, t, σ, r) − B76(F, K, t, σ, r))
 *              + Σ collateral qty_u·price_u·(±m_u)
 *   loss_u   = max(0, −min(PnL_u(+), PnL_u(−))),     loss = Σ_u loss_u
 *
 * Underlyings never offset each other (a conservative choice: the move is a tail event, and
 * correlations break in them). Vols are held: the move is over hours, not days.
 * Units: USD; m_u a fraction. Reference: docs/methodology/cross-venue.md#transfer-move.
 */
import { RiskError, ensureFinite } from '../errors.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import { priceBlack76 } from '../pricing/black76.js';

/** The move-loss of one book, with its parts. */
export interface MoveLoss {
  /** Σ_u loss_u, USD (≥ 0) */
  readonly lossUsd: number;
  /** loss per underlying, USD, with the move applied */
  readonly byUnderlying: readonly {
    readonly underlying: string;
    readonly move: number;
    readonly lossUsd: number;
  }[];
}

/**
 * Loss of `portfolio` under the worst of ±m_u per underlying (module header).
 * @param moveOf  m_u for an underlying, fraction in (0, 1)
 * @param stable  assets never shocked
 * @throws RiskError ERR_MISSING_MARKET_DATA when an option lacks forward, vol or time to expiry
 */
export function transferMoveLoss(
  portfolio: Portfolio,
  market: MarginMarket,
  moveOf: (underlying: string) => number,
  stable: ReadonlySet<string>,
): MoveLoss {
  const v = valuePortfolio(portfolio, market);
  const pnl = new Map<string, [number, number]>(); // underlying → [PnL(+m), PnL(−m)]
  const add = (u: string, up: number, down: number) => {
    const prev = pnl.get(u) ?? [0, 0];
    pnl.set(u, [prev[0] + up, prev[1] + down]);
  };
  for (const pv of v.positions) {
    const m = pv.marked;
    const inst = m.instrument;
    if (inst.kind === 'spot' && stable.has(inst.asset)) continue;
    const move = moveOf(inst.underlying);
    if (inst.kind !== 'option') {
      add(inst.underlying, pv.units * m.markPrice * move, -pv.units * m.markPrice * move);
      continue;
    }
    if (m.forward === undefined || m.vol === undefined || m.tYears === undefined)
      throw new RiskError(
        'ERR_MISSING_MARKET_DATA',
        `instruments[${inst.id}] needs forward, vol and tYears`,
        {
          field: `instruments[${inst.id}]`,
          id: inst.id,
        },
      );
    const base = {
      type: inst.optionType,
      strike: inst.strike,
      tYears: m.tYears,
      vol: m.vol,
      rate: m.rate ?? 0,
    };
    const p0 = priceBlack76({ ...base, forward: m.forward });
    const up = priceBlack76({ ...base, forward: m.forward * (1 + move) }) - p0;
    const down = priceBlack76({ ...base, forward: m.forward * (1 - move) }) - p0;
    add(inst.underlying, pv.units * up, pv.units * down);
  }
  for (const c of v.collateral) {
    if (stable.has(c.asset) || c.asset === market.quoteCurrency) continue;
    const move = moveOf(c.asset);
    add(c.asset, c.valueUsd * move, -c.valueUsd * move);
  }
  const byUnderlying = [...pnl]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([underlying, [up, down]]) => ({
      underlying,
      move: moveOf(underlying),
      lossUsd: Math.max(0, -Math.min(up, down)),
    }));
  const lossUsd = byUnderlying.reduce((s, x) => s + x.lossUsd, 0);
  return { lossUsd: ensureFinite(lossUsd, 'transfer move loss'), byUnderlying };
}
