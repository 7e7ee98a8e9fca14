/**
 * Margin efficiency: models side by side, capital released, idle collateral, what-if trades and
 * buying power (DESIGN "Efficiency").
 *
 * - excess (idle collateral) = equity − IM: what the account could withdraw or put at risk.
 * - capital released vs isolated = excess(model) − excess(isolated): compared through excess so
 *   that models which report haircut-adjusted equity and models which charge haircuts as
 *   requirement components compare alike. (With xmargin's own models equity is the same, so
 *   this is IM(isolated) − IM(model).)
 * - a trade adds `size` contracts at its price (default the mark): options and spot instruments pay
 *   or receive their premium in the settlement stablecoin (rounded up against the account),
 *   perpetuals and futures open at that price (unrealised P&L = size·(mark − price)).
 * - buying power for an instrument: the largest size that can be bought (sold) with excess ≥ 0
 *   after the trade, found by doubling and bisection (to 1e-6 relative).
 */
import { RiskError, InvalidInputError, XmarginError } from '../errors.js';
import { creditToUnits, requirementToUnits } from '../ledger/convert.js';
import type { Portfolio, CollateralBalance, Position } from '../portfolio/portfolio.js';
import type { MarginContext, MarginModel, MarginResult } from './margin-model.js';
import { checkNotional, NO_PLAUSIBILITY_BOUNDS, type PlausibilityBounds } from '../portfolio/plausibility.js';

/** One model's line in a comparison. */
export interface ModelComparison {
  readonly model: string;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  readonly equityUsd: number;
  readonly excessUsd: number;
  /** excess(model) − excess(isolated); undefined when isolated is not among the models */
  readonly releasedVsIsolatedUsd: number | undefined;
  /** released as a fraction of isolated IM */
  readonly releasedVsIsolatedPct: number | undefined;
  readonly result: MarginResult;
}

/** Runs each model (with its params) on the portfolio. Models that cannot value it report the error. */
export function compareModels(
  portfolio: Portfolio,
  ctx: MarginContext,
  models: readonly { model: MarginModel<unknown>; params: unknown }[],
): { rows: ModelComparison[]; errors: { model: string; code: string; message: string }[] } {
  const results: MarginResult[] = [];
  const errors: { model: string; code: string; message: string }[] = [];
  for (const { model, params } of models) {
    try {
      results.push(model.compute(portfolio, ctx, params));
    } catch (e) {
      if (e instanceof XmarginError && e.code !== 'ERR_INVARIANT')
        errors.push({ model: model.name, code: e.code, message: e.message });
      else throw e;
    }
  }
  const iso = results.find((r) => r.model === 'isolated');
  const rows = results.map((r) => {
    const excess = r.equityUsd - r.initialUsd;
    const released = iso ? excess - (iso.equityUsd - iso.initialUsd) : undefined;
    return {
      model: r.model,
      initialUsd: r.initialUsd,
      maintenanceUsd: r.maintenanceUsd,
      equityUsd: r.equityUsd,
      excessUsd: excess,
      releasedVsIsolatedUsd: released,
      releasedVsIsolatedPct:
        iso && released !== undefined && iso.initialUsd > 0 ? released / iso.initialUsd : undefined,
      result: r,
    };
  });
  return { rows, errors };
}

/** A proposed trade: signed contracts of an instrument. */
export interface Trade {
  readonly instrument: string;
  readonly size: number;
  /** fill price, quote ccy per unit of underlying (finite, ≥ 0); default the mark */
  readonly price?: number;
}

const SETTLEMENT_PREFERENCE = ['USD', 'USDC', 'USDT', 'DAI'];

/** The stablecoin premiums settle in: the first of USD, USDC, USDT, DAI held, else the quote currency. */
export function settlementAsset(portfolio: Portfolio, ctx: MarginContext): string {
  return SETTLEMENT_PREFERENCE.find((a) => portfolio.collateral.has(a)) ?? ctx.market.quoteCurrency;
}

/**
 * The portfolio after the trades (module header for cash flows).
 * @param bounds  plausibility bounds on each trade's notional (edges pass DEFAULT_PLAUSIBILITY)
 * @throws RiskError ERR_UNKNOWN_INSTRUMENT naming the trade; InvalidInputError for a zero/NaN size
 *         or a notional beyond the bound
 */
export function applyTrades(
  portfolio: Portfolio,
  trades: readonly Trade[],
  ctx: MarginContext,
  bounds: PlausibilityBounds = NO_PLAUSIBILITY_BOUNDS,
): Portfolio {
  const positions: Position[] = [...portfolio.positions];
  const collateral = new Map<string, CollateralBalance>(portfolio.collateral);
  const cashAsset = settlementAsset(portfolio, ctx);
  trades.forEach((t, i) => {
    if (!(Number.isFinite(t.size) && t.size !== 0))
      throw new InvalidInputError(`trades[${i}].size`, t.size, 'must be a finite, non-zero number');
    const m = ctx.market.instruments.get(t.instrument);
    if (!m)
      throw new RiskError(
        'ERR_UNKNOWN_INSTRUMENT',
        `trades[${i}].instrument: "${t.instrument}" is not in the market`,
        { field: `trades[${i}].instrument`, id: t.instrument },
      );
    const kind = m.instrument.kind;
    const fill = t.price ?? m.markPrice;
    if (!(Number.isFinite(fill) && fill >= 0))
      throw new InvalidInputError(`trades[${i}].price`, t.price, 'must be a finite price >= 0');
    checkNotional(
      `trades[${i}].size`,
      t.size,
      t.size * m.instrument.contractSize * ctx.market.prices.get(m.instrument.underlying)!,
      bounds,
    );
    if (kind === 'perpetual' || kind === 'future') {
      positions.push({ instrument: t.instrument, size: t.size, entryPrice: fill });
      return;
    }
    positions.push({ instrument: t.instrument, size: t.size });
    // Premium (or spot cost) in the settlement asset, converted at its price; a payment rounds up
    // and a receipt rounds down, both against the account.
    const asset = ctx.market.assets.getAsset(cashAsset);
    const price = ctx.market.prices.get(cashAsset)!;
    const cashUsd = t.size * fill * m.instrument.contractSize;
    // Paying (buying) rounds the debit up; receiving (selling) rounds the credit down.
    const change =
      cashUsd >= 0
        ? -requirementToUnits(cashUsd / price, asset.decimals)
        : creditToUnits(-cashUsd / price, asset.decimals);
    collateral.set(cashAsset, { asset, units: (collateral.get(cashAsset)?.units ?? 0n) + change });
  });
  return { positions, collateral };
}

/** Before/after of a list of trades under one model. */
export function whatIf(
  portfolio: Portfolio,
  trades: readonly Trade[],
  ctx: MarginContext,
  model: MarginModel<unknown>,
  params: unknown,
) {
  const before = model.compute(portfolio, ctx, params);
  const after = model.compute(applyTrades(portfolio, trades, ctx), ctx, params);
  const excess = (r: MarginResult) => r.equityUsd - r.initialUsd;
  return {
    model: model.name,
    before,
    after,
    delta: {
      initialUsd: after.initialUsd - before.initialUsd,
      maintenanceUsd: after.maintenanceUsd - before.maintenanceUsd,
      equityUsd: after.equityUsd - before.equityUsd,
      excessUsd: excess(after) - excess(before),
    },
    allowed: excess(after) >= 0 || excess(after) >= excess(before),
  };
}

/**
 * Largest additional size in `instrument` (bought if side = 'buy', sold if 'sell') that keeps
 * excess ≥ 0; 0 when even a tiny trade breaches; capped at `maxSize`.
 */
export function buyingPower(
  portfolio: Portfolio,
  instrument: string,
  side: 'buy' | 'sell',
  ctx: MarginContext,
  model: MarginModel<unknown>,
  params: unknown,
  maxSize = 1e9,
): number {
  const sign = side === 'buy' ? 1 : -1;
  const fits = (q: number) => {
    const r = model.compute(applyTrades(portfolio, [{ instrument, size: sign * q }], ctx), ctx, params);
    return r.equityUsd - r.initialUsd >= 0;
  };
  let lo = 0;
  let hi = 1e-3;
  while (hi < maxSize && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi >= maxSize && fits(maxSize)) return maxSize;
  for (let i = 0; i < 60 && hi - lo > 1e-6 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
