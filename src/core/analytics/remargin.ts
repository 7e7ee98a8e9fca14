/**
 * @module analytics/remargin
 *
 * One account re-margined at other index levels under one model: the model's own result at the
 * base market, and at any set of log moves of its underlyings (analytics/shift-market.ts), with
 * the model's spot–vol rule where it has one. Shared by liquidation prices, P&L curves and
 * what-if verdicts so that all of them see the account exactly as the model does.
 *
 * A perpetual or future held without an entry price has its P&L settled into collateral up to
 * now (portfolio/valuation.ts); re-marked, it must gain and lose from here, so it is anchored at
 * its current mark (value 0 now, as before).
 *
 * Units: USD (quote currency); moves are natural-log returns of the index.
 */
import {
  deriveMarginContext,
  type MarginContext,
  type MarginModel,
  type MarginResult,
  type SpotVolRule,
} from '../margin/margin-model.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Position } from '../portfolio/portfolio.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { shiftMarket } from './shift-market.js';

/** An account, a model and its params, ready to be re-margined. */
export interface Remargin {
  readonly portfolio: Portfolio;
  readonly ctx: MarginContext;
  readonly model: MarginModel<unknown>;
  readonly params: unknown;
  /** the model's result at the base market */
  readonly base: MarginResult;
  /** the model's spot–vol rule, absent when it holds implied vols */
  readonly volRule: SpotVolRule | undefined;
  /** the market re-marked after moving the named underlyings by log moves (others held) */
  marketAt(logMoves: ReadonlyMap<string, number>): MarginMarket;
  /** the model's result on a re-marked market */
  resultIn(market: MarginMarket): MarginResult;
  /** `resultIn(marketAt(logMoves))` */
  at(logMoves: ReadonlyMap<string, number>): MarginResult;
}

/**
 * Prepares `portfolio` for re-margining under `model`. Computes the base result first, so that
 * history-only cache entries (scenario sets) are built once and shared by every re-marked market.
 * @throws whatever the model throws on the base market (e.g. ERR_MISSING_MARKET_DATA)
 */
export function createRemargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  model: MarginModel<unknown>,
  params: unknown,
): Remargin {
  portfolio = anchorLinearPositions(portfolio, ctx.market);
  const base = model.compute(portfolio, ctx, params);
  const volRule = model.spotVolRule?.(ctx, params);
  const instruments = new Set(portfolio.positions.map((p) => p.instrument));
  return {
    portfolio,
    ctx,
    model,
    params,
    base,
    volRule,
    marketAt(logMoves) {
      return shiftMarket(ctx.market, { logMoves, instruments, ...(volRule ? { volRule } : {}) });
    },
    resultIn(market) {
      return model.compute(portfolio, deriveMarginContext(ctx, market), params);
    },
    at(logMoves) {
      return this.resultIn(this.marketAt(logMoves));
    },
  };
}

/**
 * The portfolio with every perpetual and future that has no entry price entered at its current
 * mark (module header); unchanged when there is none.
 */
export function anchorLinearPositions(portfolio: Portfolio, market: MarginMarket): Portfolio {
  let changed = false;
  const positions = portfolio.positions.map((p): Position => {
    const m = market.instruments.get(p.instrument);
    if (
      p.entryPrice !== undefined ||
      !m ||
      (m.instrument.kind !== 'perpetual' && m.instrument.kind !== 'future')
    )
      return p;
    changed = true;
    return { ...p, entryPrice: m.markPrice };
  });
  return changed ? { ...portfolio, positions } : portfolio;
}
