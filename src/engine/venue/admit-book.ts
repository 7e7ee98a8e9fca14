/**
 * @module engine/venue/admit-book
 *
 * Opening a generated book on a venue (the demo's accounts, the simulation's): its collateral as
 * deposits and its positions as trades the engine prices at the generator's prices (options at
 * their mark: the buyer pays the premium, the seller receives it; perpetuals and futures at their
 * entry, nothing paid), without fees. Applied with `restore`: the venue's own set-up, accepted
 * as generated. The account's equity at the mark is what the generator sized the collateral for.
 */
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import type { JournalEntry } from '../journal.js';
import type { Operation } from '../operations.js';
import { DEFAULT_TRADING_PARAMS, priceTrade, type TradingParams } from '../policy/trading-policy.js';
import type { Venue } from './venue.js';

/** Trading params of an admission: no fee, no size bound (the generator sized the book). */
const ADMISSION: TradingParams = {
  ...DEFAULT_TRADING_PARAMS,
  linearFeeRate: 0,
  optionFeeRate: 0,
  maxOrderNotionalUsd: Number.MAX_VALUE,
  maxPositionNotionalUsd: Number.MAX_VALUE,
};

/**
 * Deposits `pf`'s positive balances (of the venue's assets) into `subKey` and opens its positions,
 * at `market`'s time; keys are `${keyPrefix}-<n>` from `nextKey`.
 * @returns the operations applied, in order, with their entries
 */
export function admitBook(
  venue: Venue,
  subKey: string,
  pf: Portfolio,
  market: MarginMarket,
  nextKey: () => string,
): { op: Operation; entry: JournalEntry }[] {
  const out: { op: Operation; entry: JournalEntry }[] = [];
  const t = market.valuationMs;
  const apply = (op: Operation) => out.push({ op, entry: venue.restore(op) });
  for (const [symbol, bal] of pf.collateral)
    if (bal.units > 0n && venue.assetOf(symbol) !== undefined)
      apply({ kind: 'deposit', key: nextKey(), timeMs: t, to: subKey, asset: symbol, units: bal.units });
  const settlement = venue.assetOf('USDC')!;
  for (const p of pf.positions) {
    const marked = market.instruments.get(p.instrument)!;
    const price = marked.instrument.kind === 'option' ? marked.markPrice : (p.entryPrice ?? marked.markPrice);
    apply(
      priceTrade(
        {
          kind: 'trade',
          key: nextKey(),
          timeMs: t,
          subAccount: subKey,
          instrument: p.instrument,
          size: p.size,
          price,
        },
        {
          marked,
          indexUsd: market.prices.get(marked.instrument.underlying)!,
          held: venue.journal.positionOf(subKey, p.instrument),
          settlement: { symbol: settlement.symbol, decimals: settlement.decimals },
          nowMs: t,
          params: ADMISSION,
        },
      ),
    );
  }
  return out;
}
