/**
 * @module analytics/pnl-curve
 *
 * P&L across the spot of one underlying (everything else held), now and at the book's nearest
 * expiry, with the model's IM and MM at each spot, as a risk screen shows them:
 *
 *   pnlNow(S')     = value(S', now) − value(S, now)
 *   pnlExpiry(S')  = value(S', T₁) − value(S, now),  T₁ the nearest expiry of a held dated position
 *   value at a horizon h (per position of q units, x = ln(S'/S), f = e^{x}):
 *     spot, collateral:        q·S·f              perpetual, future after h:  q·M·f
 *     future expiring by h:    q·S'               (settles on the index)
 *     option expiring by h:    q·max(±(S' − K), 0) (cash-settled on the index)
 *     option after h:          q·max(0, mark + B76(F·f, K, t − Δt, σ') − B76(F, K, t, σ)), σ' the model's
 *                              spot–vol rule or σ held, Δt = (h − now) in years (ACT/365)
 *   initialLine(S')     = pnlNow(S') − (equity(S') − IM(S'))
 *   maintenanceLine(S') = pnlNow(S') − (equity(S') − MM(S'))
 *
 * with equity, IM and MM re-margined by the model at S'. The lines are the P&L at which the
 * account would stand exactly at its IM (MM) with requirements as they are at S': pnlNow
 * crosses the maintenance line at the liquidation prices. Funding and carry are not included.
 *
 * Grid: `points` prices evenly spaced over [fromFactor·S, toFactor·S] plus S itself; by default
 * [0.5·S, 1.5·S], widened to 10% beyond the liquidation prices, within [0.01·S, 10·S]. The P&L is
 * valued at every price; the model re-margins the account at most at `marginPoints` of them (every
 * k-th, and spot), the others have null margin figures (a chart draws the lines through the rest).
 */
import { requireInput, XmarginError } from '../errors.js';
import { MS_PER_YEAR } from '../numeric/year-fraction.js';
import { priceBlack76 } from '../pricing/black76.js';
import { fromUnits } from '../ledger/convert.js';
import type { SpotVolRule } from '../margin/margin-model.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { UnderlyingLiquidation } from './liquidation-prices.js';
import type { Remargin } from './remargin.js';

/** One point of the curve (USD). */
export interface PnlCurvePoint {
  readonly priceUsd: number;
  readonly pnlNowUsd: number;
  /** null when the book holds nothing dated */
  readonly pnlExpiryUsd: number | null;
  /** the model's figures at this spot; null where the model cannot margin it (fail closed) */
  readonly equityUsd: number | null;
  readonly initialUsd: number | null;
  readonly maintenanceUsd: number | null;
  readonly initialLineUsd: number | null;
  readonly maintenanceLineUsd: number | null;
}

/** The P&L curve of one underlying. */
export interface PnlCurve {
  readonly underlying: string;
  readonly model: string;
  readonly spotUsd: number;
  /** the nearest expiry T₁ of a held dated position, ms UTC; null when none */
  readonly expiryMs: number | null;
  readonly points: readonly PnlCurvePoint[];
  /** the liquidation prices inside the range, ascending */
  readonly liquidationPricesUsd: readonly number[];
}

/** Options of {@link pnlCurve}. */
export interface PnlCurveOptions {
  /** evenly spaced prices (plus spot), an integer in [3, 401]; default 61 */
  readonly points?: number;
  /** lowest price as a fraction of spot, in [0.01, 1) */
  readonly fromFactor?: number;
  /** highest price as a multiple of spot, in (1, 10] */
  readonly toFactor?: number;
  /** the underlying's liquidation prices, marked and used to widen the default range */
  readonly liquidation?: UnderlyingLiquidation;
  /** largest number of prices the model re-margins at, an integer ≥ 3; default 31 */
  readonly marginPoints?: number;
}

/** The nearest expiry after valuation among the portfolio's dated positions, or null. */
export function nearestExpiry(portfolio: Portfolio, market: MarginMarket): number | null {
  let best: number | null = null;
  for (const p of portfolio.positions) {
    const inst = market.instruments.get(p.instrument)?.instrument;
    if (inst && (inst.kind === 'option' || inst.kind === 'future') && inst.expiryMs > market.valuationMs)
      best = best === null ? inst.expiryMs : Math.min(best, inst.expiryMs);
  }
  return best;
}

/**
 * P&L of `portfolio` from now to `horizonMs` when the named underlyings' indexes move by the
 * given log returns, everything else held (module header).
 * @throws InvalidInputError ERR_INVALID_INPUT when the horizon is before valuation
 * @example horizonPnl(pf, market, new Map([['BTC', Math.log(0.9)]]), market.valuationMs) // P&L of −10% now
 */
export function horizonPnl(
  portfolio: Portfolio,
  market: MarginMarket,
  logMoves: ReadonlyMap<string, number>,
  horizonMs: number,
  volRule?: SpotVolRule,
): number {
  requireInput(
    horizonMs >= market.valuationMs,
    'horizonMs',
    horizonMs,
    `must be >= valuationMs ${market.valuationMs}`,
  );
  const dt = (horizonMs - market.valuationMs) / MS_PER_YEAR;
  let pnl = 0;
  for (const p of portfolio.positions) {
    const m = market.instruments.get(p.instrument);
    if (!m)
      throw new XmarginError('ERR_UNKNOWN_INSTRUMENT', `${p.instrument} is not in the market`, {
        id: p.instrument,
      });
    const inst = m.instrument;
    const x = logMoves.get(inst.underlying) ?? 0;
    const f = Math.exp(x);
    const spot = market.prices.get(inst.underlying)! * f;
    const q = p.size * inst.contractSize;
    let value: number;
    if (inst.kind === 'spot') value = spot;
    else if (inst.kind === 'perpetual') value = m.markPrice * f;
    else if (inst.kind === 'future') value = inst.expiryMs <= horizonMs ? spot : m.markPrice * f;
    else if (inst.expiryMs <= horizonMs)
      value = Math.max(inst.optionType === 'call' ? spot - inst.strike : inst.strike - spot, 0);
    else {
      const base = { type: inst.optionType, strike: inst.strike, rate: m.rate ?? 0 } as const;
      const vol = volRule ? volRule(m.vol!, x, m.tYears!) : m.vol!;
      const now = priceBlack76({ ...base, forward: m.forward!, tYears: m.tYears!, vol: m.vol! });
      const later = priceBlack76({ ...base, forward: m.forward! * f, tYears: m.tYears! - dt, vol });
      value = Math.max(0, m.markPrice + later - now);
    }
    pnl += q * (value - m.markPrice);
  }
  for (const [asset, bal] of portfolio.collateral) {
    const x = logMoves.get(asset);
    if (x === undefined || x === 0) continue;
    pnl += fromUnits(bal.units, bal.asset.decimals) * market.prices.get(asset)! * Math.expm1(x);
  }
  return pnl;
}

/**
 * The P&L curve of `underlying` under the re-margined model (module header).
 * @throws InvalidInputError ERR_INVALID_INPUT for points or factors out of range, or an
 *         underlying without a price
 */
export function pnlCurve(rm: Remargin, underlying: string, opts: PnlCurveOptions = {}): PnlCurve {
  const market = rm.ctx.market;
  const spot = market.prices.get(underlying);
  requireInput(spot !== undefined, 'underlying', underlying, 'must have a price in the market');
  const n = opts.points ?? 61;
  requireInput(Number.isInteger(n) && n >= 3 && n <= 401, 'points', n, 'must be an integer in [3, 401]');
  const liq = [opts.liquidation?.down?.priceUsd, opts.liquidation?.up?.priceUsd].filter(
    (x): x is number => x !== undefined && x !== spot,
  );
  const lo = opts.fromFactor ?? Math.max(0.01, Math.min(0.5, ...liq.map((x) => (0.9 * x) / spot)));
  const hi = opts.toFactor ?? Math.min(10, Math.max(1.5, ...liq.map((x) => (1.1 * x) / spot)));
  requireInput(lo >= 0.01 && lo < 1, 'fromFactor', lo, 'must be in [0.01, 1)');
  requireInput(hi > 1 && hi <= 10, 'toFactor', hi, 'must be in (1, 10]');
  const prices = [
    ...new Set([...Array.from({ length: n }, (_, i) => spot * (lo + ((hi - lo) * i) / (n - 1))), spot]),
  ].sort((a, b) => a - b);
  const expiryMs = nearestExpiry(rm.portfolio, market);
  const base = rm.base;
  const marginPoints = opts.marginPoints ?? 31;
  requireInput(
    Number.isInteger(marginPoints) && marginPoints >= 3,
    'marginPoints',
    marginPoints,
    'must be an integer >= 3',
  );
  const every = Math.max(1, Math.ceil(prices.length / marginPoints));
  const points = prices.map((price, i): PnlCurvePoint => {
    const moves = new Map([[underlying, Math.log(price / spot)]]);
    const pnlNowUsd = horizonPnl(rm.portfolio, market, moves, market.valuationMs, rm.volRule);
    const pnlExpiryUsd =
      expiryMs === null ? null : horizonPnl(rm.portfolio, market, moves, expiryMs, rm.volRule);
    let r: ReturnType<Remargin['at']> | undefined;
    try {
      if (price === spot) r = base;
      else if (i % every === 0 || i === prices.length - 1) r = rm.at(moves);
    } catch (e) {
      if (!(e instanceof XmarginError) || e.code === 'ERR_INVARIANT') throw e;
    }
    return {
      priceUsd: price,
      pnlNowUsd,
      pnlExpiryUsd,
      equityUsd: r?.equityUsd ?? null,
      initialUsd: r?.initialUsd ?? null,
      maintenanceUsd: r?.maintenanceUsd ?? null,
      initialLineUsd: r ? pnlNowUsd - (r.equityUsd - r.initialUsd) : null,
      maintenanceLineUsd: r ? pnlNowUsd - (r.equityUsd - r.maintenanceUsd) : null,
    };
  });
  return {
    underlying,
    model: base.model,
    spotUsd: spot,
    expiryMs,
    points,
    liquidationPricesUsd: liq.filter((x) => x >= spot * lo && x <= spot * hi).sort((a, b) => a - b),
  };
}
