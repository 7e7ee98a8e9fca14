/**
 * The collateral moves across venues, solved exactly by the optimiser's allocation
 * (core/optimise/allocate-collateral.ts) with each venue as a sub-account margined by its own
 * preset on its own market, and verified by recomputing every venue's requirement after the moves
 * (docs/methodology/cross-venue.md#moves):
 *
 *   required_v  = max((1 + buffer)·IM_v(after), (1 + buffer)·H_v)     what v must keep
 *   cost        = Σ_moves (transferCost + latencyCharge·hours·usd)     USD
 *   freed       = Σ_v max(0, equity_v(after) − required_v)            what can leave the venues
 *
 * The optimiser maximises freed − cost under the transfer limit, free collateral valued at what
 * it adds to its venue's margin. What a unit of an asset adds at a venue is the venue preset's own
 * slope, linearised around today's book: c_av = ∂(equity − required)/∂q_a by a finite difference
 * of $1,000 worth added (and taken out, when held: the larger slope), the haircut 1 − c_av/price_a (clipped to [0, 1]) unless the parameters set one
 * per asset per venue; a venue whose market does not price an asset cannot take it. The
 * allocation re-verifies every venue by its preset and raises a venue's row by any shortfall (its
 * bounded iteration). The greedy plan
 * (plan-collateral-moves.ts), its USD moves turned into the source's assets (stablecoins first),
 * is evaluated the same way for comparison, and stands in — labelled — only when the solver
 * fails, times out, finds no plan, or no solver is given.
 *
 * Units: USD, hours, asset units. Deterministic for a deterministic solver.
 */
import { XmarginError } from '../errors.js';
import { creditToUnits, requirementToUnits } from '../ledger/convert.js';
import { createMarginContext, type MarginContext, type MarginModel } from '../margin/margin-model.js';
import { getMarginModel } from '../margin/registry.js';
import {
  allocateCollateral,
  type AllocationAccount,
  type AllocationResult,
} from '../optimise/allocate-collateral.js';
import type { LpSolver } from '../optimise/lp-problem.js';
import { DEFAULT_OPTIMISER_PARAMS } from '../optimise/optimiser-params.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { CollateralBalance, Portfolio } from '../portfolio/portfolio.js';
import type { MovesParams } from './cross-venue-params.js';
import { planCollateralMoves } from './plan-collateral-moves.js';

/** One venue as the allocation sees it. */
export interface VenueSlot {
  readonly venue: string;
  readonly portfolio: Portfolio;
  readonly market: MarginMarket;
  /** the venue's preset (registry name) and its params document */
  readonly model: string;
  readonly params?: unknown;
  /** H_v: the least the venue must hold besides its own IM, USD */
  readonly holdingUsd: number;
}

/** One transfer of one asset between two venues. */
export interface AllocatedMove {
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  /** asset units */
  readonly qty: number;
  /** USD value at the combined market's price */
  readonly usd: number;
  /** the route's latency, hours */
  readonly hours: number;
  /** transfer cost + latency charge, USD */
  readonly costUsd: number;
}

/** A venue recomputed by its preset after the moves. */
export interface VenueAfterMoves {
  readonly venue: string;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  readonly equityUsd: number;
  /** max((1 + buffer)·IM after, (1 + buffer)·H_v) */
  readonly requiredUsd: number;
  /** equity − required (≥ −tolerance when covered) */
  readonly marginUsd: number;
  readonly covered: boolean;
}

/** A plan of moves, evaluated by the venues' own presets. */
export interface EvaluatedPlan {
  readonly moves: readonly AllocatedMove[];
  readonly costUsd: number;
  /** Σ max(0, equity − required) after the moves */
  readonly freedUsd: number;
  /** freed − cost */
  readonly netUsd: number;
  readonly venues: readonly VenueAfterMoves[];
  /** every venue at or above its requirement */
  readonly allCovered: boolean;
}

/** The allocation of the combined view. */
export interface CrossVenueAllocation {
  /** which plan is shown: the optimiser's, or the greedy fallback */
  readonly method: 'optimiser' | 'greedy-fallback';
  /** why the greedy plan stands in (null when the optimiser's plan is shown) */
  readonly fallbackReason: string | null;
  readonly plan: EvaluatedPlan;
  /** the greedy plan, evaluated the same way (for comparison) */
  readonly greedy: EvaluatedPlan;
  /** the solver's figures (null without a solve) */
  readonly solver: AllocationResult['solver'] | null;
  readonly params: {
    readonly transferCostUsd: number;
    readonly maxTransfers: number | null;
    readonly latencyChargePerHour: number;
    readonly buffer: number;
  };
}

interface Prepared {
  readonly slot: VenueSlot;
  readonly model: MarginModel<unknown>;
  readonly params: unknown;
  readonly ctx: MarginContext;
}

/** Margin above the requirement of a portfolio at a venue, USD. */
function marginOf(x: Prepared, pf: Portfolio, buffer: number): number {
  const r = x.model.compute(pf, x.ctx, x.params);
  return r.equityUsd - (1 + buffer) * Math.max(r.initialUsd, x.slot.holdingUsd);
}

/** The preset's own haircut of each asset at a venue, linearised around today's book (module header). */
function slopeHaircuts(x: Prepared, assets: readonly string[], buffer: number): Record<string, number> {
  const base = marginOf(x, x.slot.portfolio, buffer);
  const out: Record<string, number> = {};
  for (const a of assets) {
    const price = x.ctx.market.prices.get(a);
    if (price === undefined || !(price > 0) || !x.ctx.market.assets.hasAsset(a)) continue;
    const asset = x.ctx.market.assets.getAsset(a);
    const step = creditToUnits(1000 / price, asset.decimals);
    if (step <= 0n) continue;
    const held = x.slot.portfolio.collateral.get(a)?.units ?? 0n;
    // Added, and (when held) taken out: the larger slope, so that a kink of max(IM, H) at
    // today's book does not make the venue's collateral look cheaper to hold elsewhere.
    let slope = -Infinity;
    for (const units of held >= step ? [step, -step] : [step]) {
      const collateral = new Map(x.slot.portfolio.collateral);
      collateral.set(a, { asset, units: held + units });
      const qty = Number(units) / 10 ** asset.decimals;
      const m = marginOf(x, { positions: x.slot.portfolio.positions, collateral }, buffer);
      slope = Math.max(slope, (m - base) / qty);
    }
    out[a] = Math.min(1, Math.max(0, 1 - slope / price));
  }
  return out;
}

const FALLBACK_CODES = new Set(['ERR_SOLVER', 'ERR_OPTIMISATION_INFEASIBLE', 'ERR_OPTIMISATION_UNVERIFIED']);

/** Applies moves to each venue's collateral (debits rounded up, credits down) and recomputes it. */
function evaluate(
  prepared: readonly Prepared[],
  moves: readonly AllocatedMove[],
  p: MovesParams,
  abstol: number,
): EvaluatedPlan {
  const venues = prepared.map(({ slot, model, params, ctx }) => {
    const collateral = new Map<string, CollateralBalance>(slot.portfolio.collateral);
    for (const m of moves) {
      const sign = m.from === slot.venue ? -1 : m.to === slot.venue ? 1 : 0;
      if (sign === 0) continue;
      const asset = ctx.market.assets.getAsset(m.asset);
      const units =
        sign < 0 ? -requirementToUnits(m.qty, asset.decimals) : creditToUnits(m.qty, asset.decimals);
      collateral.set(m.asset, { asset, units: (collateral.get(m.asset)?.units ?? 0n) + units });
    }
    const r = model.compute({ positions: slot.portfolio.positions, collateral }, ctx, params);
    const required = (1 + p.buffer) * Math.max(r.initialUsd, slot.holdingUsd);
    const tol = Math.max(abstol, 1e-6 * required);
    return {
      venue: slot.venue,
      initialUsd: r.initialUsd,
      maintenanceUsd: r.maintenanceUsd,
      equityUsd: r.equityUsd,
      requiredUsd: required,
      marginUsd: r.equityUsd - required,
      covered: r.equityUsd >= required - tol,
    };
  });
  const costUsd = moves.reduce((s, m) => s + m.costUsd, 0);
  const freedUsd = venues.reduce((s, v) => s + Math.max(0, v.marginUsd), 0);
  return {
    moves,
    costUsd,
    freedUsd,
    netUsd: freedUsd - costUsd,
    venues,
    allCovered: venues.every((v) => v.covered),
  };
}

/**
 * The greedy plan's USD moves as asset transfers: from the source's positive balances the target
 * venue prices, stablecoins first, then the largest value.
 */
function greedyMoves(
  prepared: readonly Prepared[],
  market: MarginMarket,
  latency: (from: string, to: string) => number,
  p: MovesParams,
  stable: ReadonlySet<string>,
): AllocatedMove[] {
  const byVenue = new Map(prepared.map((x) => [x.slot.venue, x]));
  const surplus = new Map(
    prepared.map(({ slot, model, params, ctx }) => {
      const r = model.compute(slot.portfolio, ctx, params);
      return [slot.venue, r.equityUsd - (1 + p.buffer) * Math.max(r.initialUsd, slot.holdingUsd)];
    }),
  );
  const left = new Map(
    prepared.map(({ slot }) => [
      slot.venue,
      new Map(
        [...slot.portfolio.collateral]
          .filter(([, c]) => c.units > 0n)
          .map(([a, c]) => [a, Number(c.units) / 10 ** c.asset.decimals]),
      ),
    ]),
  );
  const out: AllocatedMove[] = [];
  for (const m of planCollateralMoves(surplus, latency).moves) {
    const held = left.get(m.from)!;
    const takes = byVenue.get(m.to)!.ctx.market.prices;
    const order = [...held]
      .filter(([a, q]) => q > 0 && takes.has(a) && market.prices.has(a))
      .sort(
        ([a, qa], [b, qb]) =>
          Number(stable.has(b)) - Number(stable.has(a)) ||
          qb * market.prices.get(b)! - qa * market.prices.get(a)! ||
          (a < b ? -1 : 1),
      );
    let need = m.usd;
    for (const [a, q] of order) {
      if (need <= 1e-9) break;
      const price = market.prices.get(a)!;
      const qty = Math.min(q, need / price);
      held.set(a, q - qty);
      need -= qty * price;
      out.push({
        asset: a,
        from: m.from,
        to: m.to,
        qty,
        usd: qty * price,
        hours: m.hours,
        costUsd: p.transferCostUsd + p.latencyChargePerHour * m.hours * qty * price,
      });
    }
  }
  return out;
}

/**
 * The collateral moves across venues (module header).
 * @param solver   the LP/MILP solver; absent: the greedy plan, labelled as the fallback
 * @param stable   assets moved first by the greedy plan
 * @throws the venue presets' errors (a venue that cannot be margined stops the view)
 */
export function allocateAcrossVenues(req: {
  readonly venues: readonly VenueSlot[];
  /** the combined market: one price per asset */
  readonly market: MarginMarket;
  readonly moves: MovesParams;
  readonly latency: (from: string, to: string) => number;
  readonly stable: ReadonlySet<string>;
  readonly solver?: LpSolver;
}): CrossVenueAllocation {
  const p = req.moves;
  const prepared: Prepared[] = req.venues.map((slot) => {
    const model = getMarginModel(slot.model);
    return { slot, model, params: model.parseParams(slot.params), ctx: createMarginContext(slot.market) };
  });
  const tol = DEFAULT_OPTIMISER_PARAMS.tolerance.abs;
  const greedy = evaluate(prepared, greedyMoves(prepared, req.market, req.latency, p, req.stable), p, tol);
  const summary = {
    transferCostUsd: p.transferCostUsd,
    maxTransfers: p.maxTransfers ?? null,
    latencyChargePerHour: p.latencyChargePerHour,
    buffer: p.buffer,
  };
  const fallback = (reason: string): CrossVenueAllocation => ({
    method: 'greedy-fallback',
    fallbackReason: reason,
    plan: greedy,
    greedy,
    solver: null,
    params: summary,
  });
  if (req.solver === undefined) return fallback('no solver was given');
  const assets = [...new Set(req.venues.flatMap((v) => [...v.portfolio.collateral.keys()]))].sort();
  const accounts: AllocationAccount[] = prepared.map((x) => ({
    id: x.slot.venue,
    model: x.model,
    params: x.params,
    buffer: p.buffer,
    portfolio: x.slot.portfolio,
    ctx: x.ctx,
    floorUsd: (1 + p.buffer) * x.slot.holdingUsd,
    haircuts: { ...slopeHaircuts(x, assets, p.buffer), ...(p.haircuts[x.slot.venue] ?? {}) },
  }));
  let solved: AllocationResult;
  try {
    solved = allocateCollateral({
      accounts,
      market: req.market,
      transferCostUsd: p.transferCostUsd,
      ...(p.maxTransfers === undefined ? {} : { maxTransfers: p.maxTransfers }),
      // A few venues: solved to a gap far below a dollar (the default relative gap is for large books).
      params: { ...DEFAULT_OPTIMISER_PARAMS, timeLimitSeconds: p.timeLimitSeconds, mipRelGap: 1e-9 },
      solver: req.solver,
      // 1e-9 per USD moved at the least: with no cost at all, no value travels for nothing.
      perValueCost: (from, to) => Math.max(1e-9, p.latencyChargePerHour * req.latency(from, to)),
      freeValue: 'coverage',
    });
  } catch (e) {
    if (e instanceof XmarginError && FALLBACK_CODES.has(e.code)) return fallback(`${e.code}: ${e.message}`);
    throw e;
  }
  const moves: AllocatedMove[] = solved.transfers.map((t) => ({
    asset: t.asset,
    from: t.from,
    to: t.to,
    qty: Number(t.amount),
    usd: t.valueUsd,
    hours: req.latency(t.from, t.to),
    costUsd: p.transferCostUsd + p.latencyChargePerHour * req.latency(t.from, t.to) * t.valueUsd,
  }));
  const plan = evaluate(prepared, moves, p, tol);
  if (!plan.allCovered) {
    const v = plan.venues.find((x) => !x.covered)!;
    return fallback(
      `the optimiser's moves leave ${v.venue} at ${v.equityUsd.toFixed(2)} USD, below its requirement ${v.requiredUsd.toFixed(2)} USD, when recomputed by its preset`,
    );
  }
  return { method: 'optimiser', fallbackReason: null, plan, greedy, solver: solved.solver, params: summary };
}
