/**
 * @module analytics/liquidation-prices
 *
 * Where an account is liquidated: per underlying u, the index price at which its equity reaches
 * its maintenance margin under its own model, everything else held (other underlyings, time,
 * stablecoins; option vols held, or moved by the model's own spot–vol rule where it has one):
 *
 *   excess(x) = equity(S·e^{x}) − MM(S·e^{x}),  both re-margined by the model at that price
 *   liquidation price = S·e^{x*}, x* the nearest root of excess on each side of 0
 *
 * Search: from x = 0 outwards, steps of 0.25% growing ×1.25 up to 10% (log) within ±50% of spot
 * and 25% beyond, to the search range [minFactor·S, maxFactor·S] (default 0.01×–10×); the first
 * step where excess < 0 (or cannot be computed: fail closed) brackets the root, which Brent's
 * method refines to 1e-10 in x. Excess is not smooth (worst scenarios switch, brackets step), but
 * it is continuous for every shipped model but the bracketed rates, and bisection's bracket holds
 * either way. A band of liquidation thinner than a step could be missed: the step is at most 10%
 * of price within ±50% of spot.
 *
 * Distance: `movePct` = e^{x*} − 1; `moveDailyVols` = x* / σ_daily (analytics/daily-vol.ts).
 *
 * Joint move, for books on two or more underlyings with a daily vol: the ray along the book's
 * worst direction, in daily-vol units. g_u = the fall in excess when u alone moves one daily vol
 * to its worse side (signed by that side; a finite difference, so gamma counts as well as delta);
 * z = g/|g| is the direction of steepest loss per daily vol of movement; along t ≥ 0 each u moves
 * x_u = t·σ_u·z_u, and t* where excess reaches 0 is the length of the joint move in daily vols
 * (√Σ(x_u/σ_u)²; for one underlying it is |x*| / σ_daily). Correlation is not used: the joint move
 * answers "if everything moves against the book at once", which for a hedged pair (long one
 * asset, short a correlated one) is the unlikely divergence that liquidates it.

 * References: liquidation price as the price where margin balance meets maintenance (Deribit,
 * "Liquidations", support.deribit.com; Drift SDK `User.liquidationPrice`); a single liquidation
 * price is only defined per underlying with everything else held, which is why the joint move is
 * reported as well (Vega Protocol front-end issues #2812, #3108 on portfolio liquidation ranges).
 */
import { requireInput, XmarginError } from '../errors.js';
import { findRoot } from '../numeric/find-root.js';
import type { MarginContext, MarginModel, MarginResult } from '../margin/margin-model.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { dailyVolOf, type DailyVol } from './daily-vol.js';
import { createRemargin, type Remargin } from './remargin.js';
import { exposedUnderlyings } from './underlyings.js';

/** Options of the search. */
export interface LiquidationSearchOptions {
  /** lowest price searched, a fraction of spot in (0, 1) (default 0.01) */
  readonly minFactor?: number;
  /** highest price searched, a multiple of spot > 1 (default 10) */
  readonly maxFactor?: number;
  /** assets not searched (stablecoins and the quote currency; default USD, USDC, USDT, DAI) */
  readonly stableAssets?: readonly string[];
}

/** The liquidation price on one side. */
export interface LiquidationPrice {
  readonly side: 'down' | 'up';
  /** index price, USD per unit */
  readonly priceUsd: number;
  /** relative move from spot, a fraction (−0.25 = 25% lower) */
  readonly movePct: number;
  /** log move in daily vols (signed), null without a daily vol */
  readonly moveDailyVols: number | null;
  /** equity − MM re-margined at `priceUsd`, USD (≈ 0; the test of the search) */
  readonly residualUsd: number;
}

/** Liquidation prices of one underlying. */
export interface UnderlyingLiquidation {
  readonly underlying: string;
  readonly spotUsd: number;
  readonly dailyVol: DailyVol | null;
  /** null: no liquidation down to minFactor·spot */
  readonly down: LiquidationPrice | null;
  /** null: no liquidation up to maxFactor·spot */
  readonly up: LiquidationPrice | null;
}

/** One underlying's part of the joint move. */
export interface JointMove {
  readonly underlying: string;
  readonly priceUsd: number;
  readonly movePct: number;
  readonly moveDailyVols: number;
}

/** The joint move along the book's worst direction to liquidation. */
export interface JointLiquidation {
  /** length of the move in daily vols (Mahalanobis, module header) */
  readonly dailyVols: number;
  readonly moves: readonly JointMove[];
  /** equity − MM re-margined at the joint move, USD */
  readonly residualUsd: number;
}

/** Everything about where an account is liquidated under one model. */
export interface LiquidationReport {
  readonly model: string;
  readonly equityUsd: number;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  /** equity < MM already: every price is a liquidation price */
  readonly liquidatableNow: boolean;
  readonly underlyings: readonly UnderlyingLiquidation[];
  /** null for a single underlying, or when no underlying loses on a one-vol move */
  readonly joint: JointLiquidation | null;
  /** held implied vols, or the model's spot–vol rule */
  readonly volRule: 'held' | 'model';
  readonly searchRange: { readonly minFactor: number; readonly maxFactor: number };
}

const FIRST_STEP = 0.0025;
const GROWTH = 1.25;
/** largest step within ±50% (log 0.5) of spot, and beyond it */
const MAX_STEP = 0.1;
const FAR = 0.5;
const MAX_FAR_STEP = 0.25;
const X_TOL = 1e-10;
const DEFAULT_STABLE = ['USD', 'USDC', 'USDT', 'DAI'];

/** Excess over MM; a failure to compute is liquidatable (fail closed): NaN. */
function excessOf(r: () => MarginResult): number {
  try {
    const m = r();
    return m.equityUsd - m.maintenanceUsd;
  } catch (e) {
    if (e instanceof XmarginError && e.code !== 'ERR_INVARIANT') return NaN;
    throw e;
  }
}

/**
 * Finds the first root of `f` (f(0) ≥ 0) going from 0 towards `limit` (signed), or undefined.
 * NaN counts as below 0; Brent sees it as a large negative value.
 */
function firstRoot(
  f: (x: number) => number,
  f0: number,
  limit: number,
  first = FIRST_STEP,
  maxStep = MAX_STEP,
): { x: number; fx: number } | undefined {
  const dir = Math.sign(limit);
  let x = 0;
  let h = first;
  while (Math.abs(x) < Math.abs(limit)) {
    const next = dir * Math.min(Math.abs(x) + h, Math.abs(limit));
    const fn = f(next);
    if (!(fn >= 0)) {
      const g = (y: number) => failClosed(f(y), f0);
      const [lo, hi] = dir > 0 ? [x, next] : [next, x];
      const r = findRoot(g, lo, hi, { xTol: X_TOL });
      return { x: r.x, fx: f(r.x) };
    }
    x = next;
    h = Math.min(
      h * GROWTH,
      Math.abs(x) < FAR * (maxStep / MAX_STEP) ? maxStep : (maxStep * MAX_FAR_STEP) / MAX_STEP,
    );
  }
  return undefined;
}

/** A NaN excess (the model failed) as a finite value below every computed one near the root. */
function failClosed(v: number, f0: number): number {
  return Number.isFinite(v) ? v : -(Math.abs(f0) + 1);
}

function sideOf(
  side: 'down' | 'up',
  root: { x: number; fx: number } | undefined,
  spot: number,
  vol: DailyVol | undefined,
): LiquidationPrice | null {
  if (!root) return null;
  return {
    side,
    priceUsd: spot * Math.exp(root.x),
    movePct: Math.expm1(root.x),
    moveDailyVols: vol ? root.x / vol.daily : null,
    residualUsd: Number.isFinite(root.fx) ? root.fx : -Infinity,
  };
}

/**
 * Liquidation prices of an account under a model (module header).
 *
 * @param portfolio  the account
 * @param ctx        the market (and history for statistical models)
 * @param model      the account's margin model
 * @param params     its params
 * @param opts       search range and assets left out
 * @returns          per underlying both sides (null where none in range), the joint move
 * @throws InvalidInputError ERR_INVALID_INPUT for a search range outside (0, 1) / (1, ∞);
 *         whatever the model throws on the base market
 * @example findLiquidationPrices(pf, ctx, getMarginModel('portfolio'), DEFAULT_PORTFOLIO_PARAMS).underlyings[0].down?.priceUsd
 */
export function findLiquidationPrices(
  portfolio: Portfolio,
  ctx: MarginContext,
  model: MarginModel<unknown>,
  params: unknown,
  opts: LiquidationSearchOptions = {},
): LiquidationReport {
  return liquidationReport(createRemargin(portfolio, ctx, model, params), opts);
}

/** {@link findLiquidationPrices} on a prepared re-margin (shared with P&L curves and verdicts). */
export function liquidationReport(rm: Remargin, opts: LiquidationSearchOptions = {}): LiquidationReport {
  const minFactor = opts.minFactor ?? 0.01;
  const maxFactor = opts.maxFactor ?? 10;
  requireInput(minFactor > 0 && minFactor < 1, 'minFactor', minFactor, 'must be in (0, 1)');
  requireInput(maxFactor > 1 && maxFactor < Infinity, 'maxFactor', maxFactor, 'must be finite and > 1');
  const { ctx, base } = rm;
  const f0 = base.equityUsd - base.maintenanceUsd;
  const liquidatableNow = !(f0 >= 0);
  const stable = new Set([...(opts.stableAssets ?? DEFAULT_STABLE), ctx.market.quoteCurrency]);
  const underlyings = exposedUnderlyings(rm.portfolio, ctx.market).filter((u) => !stable.has(u));
  const vols = new Map<string, DailyVol | undefined>(underlyings.map((u) => [u, dailyVolOf(u, ctx)]));
  const rows: UnderlyingLiquidation[] = underlyings.map((u) => {
    const spot = ctx.market.prices.get(u)!;
    const vol = vols.get(u);
    const f = (x: number) => excessOf(() => rm.at(new Map([[u, x]])));
    const now = liquidatableNow ? { x: 0, fx: f0 } : undefined;
    return {
      underlying: u,
      spotUsd: spot,
      dailyVol: vol ?? null,
      down: sideOf('down', now ?? firstRoot(f, f0, Math.log(minFactor)), spot, vol),
      up: sideOf('up', now ?? firstRoot(f, f0, Math.log(maxFactor)), spot, vol),
    };
  });
  return {
    model: base.model,
    equityUsd: base.equityUsd,
    initialUsd: base.initialUsd,
    maintenanceUsd: base.maintenanceUsd,
    liquidatableNow,
    underlyings: rows,
    joint: liquidatableNow ? null : jointLiquidation(rm, f0, underlyings, vols, minFactor, maxFactor),
    volRule: rm.volRule ? 'model' : 'held',
    searchRange: { minFactor, maxFactor },
  };
}

function jointLiquidation(
  rm: Remargin,
  f0: number,
  all: readonly string[],
  vols: ReadonlyMap<string, DailyVol | undefined>,
  minFactor: number,
  maxFactor: number,
): JointLiquidation | null {
  const us = all.filter((u) => vols.get(u) !== undefined);
  if (us.length < 2) return null;
  const sigma = us.map((u) => vols.get(u)!.daily);
  const excessAt = (xs: readonly number[]) => excessOf(() => rm.at(new Map(us.map((u, i) => [u, xs[i]!]))));
  // g: the fall in excess on a one-vol move of each underlying alone, signed by its worse side.
  const g = us.map((_, i) => {
    const one = (s: number) => excessAt(us.map((_, j) => (j === i ? s * sigma[i]! : 0)));
    const lossUp = f0 - failClosed(one(1), f0);
    const lossDown = f0 - failClosed(one(-1), f0);
    const loss = Math.max(lossUp, lossDown);
    if (!(loss > 0)) return 0;
    return lossUp >= lossDown ? loss : -loss;
  });
  const norm = Math.hypot(...g);
  if (!(norm > 0 && norm < Infinity)) return null;
  const z = g.map((gi) => gi / norm);
  const xsAt = (t: number) => z.map((zi, i) => t * sigma[i]! * zi);
  // t is limited by the search range of every underlying that moves.
  const tMax = Math.min(
    ...z.map((zi, i) =>
      zi === 0 ? Infinity : (zi > 0 ? Math.log(maxFactor) : -Math.log(minFactor)) / Math.abs(sigma[i]! * zi),
    ),
  );
  if (!(tMax > 0 && tMax < Infinity)) return null;
  const root = firstRoot((t) => excessAt(xsAt(t)), f0, tMax, 0.1, 1);
  if (!root) return null;
  const xs = xsAt(root.x);
  return {
    dailyVols: root.x,
    moves: us.map((u, i) => ({
      underlying: u,
      priceUsd: rm.ctx.market.prices.get(u)! * Math.exp(xs[i]!),
      movePct: Math.expm1(xs[i]!),
      moveDailyVols: xs[i]! / sigma[i]!,
    })),
    residualUsd: Number.isFinite(root.fx) ? root.fx : -Infinity,
  };
}
