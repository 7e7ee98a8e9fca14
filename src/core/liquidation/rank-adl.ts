/**
 * Auto-deleveraging ranking (Hyperliquid, ANCHORS §2.6): when a bankrupt deficit exceeds the
 * insurance fund, positions on the side opposite the bankrupt one are closed against it, the
 * most profitable and most levered first.
 *
 *   score(account) = Σ over its positions on `side` of uPnL × leverage      (USD)
 *
 * Ranked by score descending, ties by id ascending (deterministic, not pseudo-random: ANCHORS
 * §3 item 5 asks for ADL that can be checked). Accounts without a position on `side` are not
 * ranked ("a user with no open positions never socializes losses").
 */

/** One position as ADL sees it. */
export interface AdlPosition {
  readonly instrument: string;
  readonly side: 'long' | 'short';
  /** unrealised PnL, USD (positive = gain to the account) */
  readonly uPnlUsd: number;
  /** position notional / account equity, ≥ 0 (dimensionless) */
  readonly leverage: number;
}

/** One account to rank. */
export interface AdlAccount {
  readonly id: string;
  readonly positions: readonly AdlPosition[];
}

/** One ranked account. */
export interface AdlRank {
  readonly id: string;
  /** 1 = deleveraged first */
  readonly rank: number;
  /** Σ uPnL × leverage on the side, USD */
  readonly scoreUsd: number;
  /** Σ uPnL on the side, USD */
  readonly uPnlUsd: number;
}

/**
 * Ranks accounts for auto-deleveraging on one side.
 *
 *   score = Σ_{positions on side} uPnL·leverage;  order: score desc, then id asc
 *
 * @param accounts  accounts with their positions' uPnL (USD) and leverage
 * @param side      the side to deleverage (opposite the bankrupt position)
 * @returns         ranked accounts, rank 1 first; accounts without a position on the side omitted
 * @see docs/methodology/liquidation.md#adl; ANCHORS §2.6
 * @example
 * rankAdl([{ id: 'a', positions: [{ instrument: 'BTC-PERP', side: 'long', uPnlUsd: 100, leverage: 5 }] }], 'long')
 * // [{ id: 'a', rank: 1, scoreUsd: 500, uPnlUsd: 100 }]
 */
export function rankAdl(accounts: readonly AdlAccount[], side: 'long' | 'short'): AdlRank[] {
  const scored = accounts
    .map((a) => {
      const on = a.positions.filter((p) => p.side === side);
      return {
        id: a.id,
        count: on.length,
        scoreUsd: on.reduce((s, p) => s + p.uPnlUsd * p.leverage, 0),
        uPnlUsd: on.reduce((s, p) => s + p.uPnlUsd, 0),
      };
    })
    .filter((a) => a.count > 0)
    .sort((x, y) => y.scoreUsd - x.scoreUsd || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return scored.map((a, i) => ({ id: a.id, rank: i + 1, scoreUsd: a.scoreUsd, uPnlUsd: a.uPnlUsd }));
}
