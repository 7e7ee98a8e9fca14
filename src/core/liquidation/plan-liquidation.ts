/**
 * The liquidation planner (DESIGN "Health and liquidation"; docs/methodology/liquidation.md).
 *
 * For an account with equity < MM under a margin model, a plan back to the target
 * (MM × (1 + buffer), Drift; or IM) at the least cost:
 * - greedy: repeatedly take the action (reduce a position, sell non-stable collateral to repay a
 *   stable liability) that releases the most margin per USD of cost (slippage + gas + fee); the
 *   action that reaches the target is bisected to the smallest size that does;
 * - slice: the smallest fraction f of the whole portfolio (Derive, hedges kept) reaching it;
 * the cheaper plan is chosen. If neither reaches the target, everything is liquidated and the
 * negative mark equity left is the bankrupt deficit (insurance fund, then ADL: `rankAdl`).
 *
 * Units: USD (float64). Signs: health = equity − MM (< 0 = liquidatable); gap = equity − target.
 * Invariants (tested): a restored plan never lowers health; the last step is minimal (or a dust
 * close); greedy steps ≤ maxSteps; the chosen plan costs no more than the alternative.
 */
import type { MarginContext, MarginModel, MarginResult } from '../margin/margin-model.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import {
  applyLiquidationAction,
  sellableAssets,
  type ActionOutcome,
  type LiquidationAction,
} from './apply-liquidation-action.js';
import type { LiquidationOptions, LiquidationParams } from './liquidation-params.js';

/** One executed step of a plan. */
export interface LiquidationStep {
  readonly action: 'reduce' | 'sellCollateral' | 'slice';
  /** instrument id (reduce) */
  readonly instrument?: string;
  /** asset symbol (sellCollateral) */
  readonly asset?: string;
  /** signed trade: contracts (reduce), asset units (sellCollateral, < 0), fraction f (slice) */
  readonly size: number;
  /** fraction of the position / sellable amount / portfolio taken, in (0, 1] */
  readonly fraction: number;
  /** slippage + gas, USD */
  readonly costUsd: number;
  /** liquidator fee, USD */
  readonly feeUsd: number;
  /** improvement of (equity − target requirement) before costs and fee, USD */
  readonly releasedMarginUsd: number;
  /** closed fully because the remainder would have been below `dustUsd` */
  readonly dustClose: boolean;
}

/** Account health at one point. */
export interface HealthSnapshot {
  readonly equityUsd: number;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  /** equity − MM, USD */
  readonly health: number;
}

/** A candidate plan (greedy or slice). */
export interface CandidatePlan {
  readonly kind: 'greedy' | 'slice';
  readonly reachesTarget: boolean;
  readonly steps: readonly LiquidationStep[];
  readonly totalCostUsd: number;
  readonly liquidatorFeeUsd: number;
  readonly portfolio: Portfolio;
  readonly result: MarginResult;
}

/** The planner's output, with diagnostics. */
export interface LiquidationPlanResult {
  /** healthy: equity ≥ MM, nothing to do; restored: target reached; unreachable: everything
   * liquidated, target still missed, no deficit; bankrupt: everything liquidated, deficit > 0 */
  readonly status: 'healthy' | 'restored' | 'unreachable' | 'bankrupt';
  readonly chosen: 'none' | 'greedy' | 'slice';
  readonly steps: readonly LiquidationStep[];
  readonly before: HealthSnapshot;
  readonly after: HealthSnapshot;
  /** the target requirement after the plan, USD */
  readonly targetUsd: number;
  /** slippage + gas, USD */
  readonly totalCostUsd: number;
  /** fee paid by the account, USD (liquidator reward + insurance fund share) */
  readonly liquidatorFeeUsd: number;
  readonly insuranceFundUsd: number;
  /** −(mark equity) after liquidating everything when negative, else 0, USD */
  readonly bankruptDeficitUsd: number;
  /** the plan not chosen (absent when healthy) */
  readonly alternative?: Omit<CandidatePlan, 'portfolio' | 'result'>;
  readonly portfolioAfter: Portfolio;
}

const snapshotOf = (r: MarginResult): HealthSnapshot => ({
  equityUsd: r.equityUsd,
  initialUsd: r.initialUsd,
  maintenanceUsd: r.maintenanceUsd,
  health: r.equityUsd - r.maintenanceUsd,
});

/** Target requirement: IM, or MM × (1 + buffer). */
export function targetRequirementUsd(r: MarginResult, params: LiquidationParams): number {
  return params.target === 'initial' ? r.initialUsd : r.maintenanceUsd * (1 + params.buffer);
}

interface Env<P> {
  readonly ctx: MarginContext;
  readonly model: MarginModel<P>;
  readonly modelParams: P;
  readonly params: LiquidationParams;
  readonly iterations: number;
}

function evaluate<P>(env: Env<P>, pf: Portfolio): MarginResult {
  return env.model.compute(pf, env.ctx, env.modelParams);
}
const gapOf = (r: MarginResult, p: LiquidationParams) => r.equityUsd - targetRequirementUsd(r, p);

/** Smallest fraction in (0, 1] whose outcome reaches the target (given that 1 does). */
function bisect<P>(
  env: Env<P>,
  pf: Portfolio,
  at: (fraction: number) => LiquidationAction,
): { out: ActionOutcome; r: MarginResult; fraction: number } {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < env.iterations; i++) {
    const mid = (lo + hi) / 2;
    const o = applyLiquidationAction(pf, env.ctx.market, at(mid), env.params);
    if (gapOf(evaluate(env, o.portfolio), env.params) >= 0) hi = mid;
    else lo = mid;
  }
  const out = applyLiquidationAction(pf, env.ctx.market, at(hi), env.params);
  return { out, r: evaluate(env, out.portfolio), fraction: hi };
}

function stepOf(
  pf: Portfolio,
  a: LiquidationAction,
  o: ActionOutcome,
  before: MarginResult,
  after: MarginResult,
  p: LiquidationParams,
): LiquidationStep {
  const released = gapOf(after, p) - gapOf(before, p) + o.costUsd + o.feeUsd;
  const base = {
    action: a.kind,
    size: o.size,
    fraction: o.dustClose ? 1 : a.fraction,
    costUsd: o.costUsd,
    feeUsd: o.feeUsd,
    releasedMarginUsd: released,
    dustClose: o.dustClose,
  };
  if (a.kind === 'reduce') return { ...base, instrument: pf.positions[a.index]!.instrument };
  if (a.kind === 'sellCollateral') return { ...base, asset: a.asset };
  return base;
}

/**
 * The actions the greedy planner weighs. With a user's collateral order, only the first sellable
 * asset in that order is offered (listed assets first, in order; the rest alphabetically).
 */
function candidates(
  pf: Portfolio,
  params: LiquidationParams,
  hasLiability: boolean,
  order: readonly string[] | undefined,
): LiquidationAction[] {
  const out: LiquidationAction[] = pf.positions.map((_, index) => ({ kind: 'reduce', index, fraction: 1 }));
  if (!hasLiability) return out;
  let sellable = sellableAssets(pf, params);
  if (order !== undefined && order.length > 0) {
    const rank = (a: string) => (order.includes(a) ? order.indexOf(a) : order.length);
    sellable = [...sellable].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, 1);
  }
  for (const asset of sellable) out.push({ kind: 'sellCollateral', asset, fraction: 1 });
  return out;
}

function hasStableLiability(pf: Portfolio, params: LiquidationParams): boolean {
  return [...pf.collateral].some(([s, b]) => params.stableAssets.includes(s) && b.units < 0n);
}

function totals(steps: readonly LiquidationStep[]) {
  return {
    totalCostUsd: steps.reduce((a, s) => a + s.costUsd, 0),
    liquidatorFeeUsd: steps.reduce((a, s) => a + s.feeUsd, 0),
  };
}

function planGreedy<P>(
  env: Env<P>,
  pf0: Portfolio,
  r0: MarginResult,
  maxSteps: number,
  order?: readonly string[],
): CandidatePlan {
  const p = env.params;
  let pf = pf0;
  let r = r0;
  const steps: LiquidationStep[] = [];
  while (steps.length < maxSteps && gapOf(r, p) < 0) {
    const gap = gapOf(r, p);
    const health = r.equityUsd - r.maintenanceUsd;
    let best: { a: LiquidationAction; o: ActionOutcome; r: MarginResult; score: number } | undefined;
    for (const a of candidates(pf, p, hasStableLiability(pf, p), order)) {
      const o = applyLiquidationAction(pf, env.ctx.market, a, p);
      if (!Number.isFinite(o.costUsd)) continue;
      const r2 = evaluate(env, o.portfolio);
      const dGap = gapOf(r2, p) - gap;
      if (dGap <= 0 || r2.equityUsd - r2.maintenanceUsd < health) continue; // never lowers health
      const paid = o.costUsd + o.feeUsd;
      const score = paid > 0 ? (dGap + paid) / paid : Infinity;
      if (!best || score > best.score) best = { a, o, r: r2, score };
    }
    if (!best) break;
    let { a, o, r: r2 } = best;
    if (gapOf(r2, p) >= 0) {
      const kind = a;
      const b = bisect(env, pf, (fraction) => ({ ...kind, fraction }));
      ({ out: o, r: r2 } = b);
      a = { ...kind, fraction: b.fraction };
    }
    steps.push(stepOf(pf, a, o, r, r2, p));
    pf = o.portfolio;
    r = r2;
  }
  return {
    kind: 'greedy',
    reachesTarget: gapOf(r, p) >= 0,
    steps,
    ...totals(steps),
    portfolio: pf,
    result: r,
  };
}

function planSlice<P>(env: Env<P>, pf: Portfolio, r0: MarginResult, fraction?: number): CandidatePlan {
  const p = env.params;
  const full = applyLiquidationAction(pf, env.ctx.market, { kind: 'slice', fraction: 1 }, p);
  const rFull = evaluate(env, full.portfolio);
  let a: LiquidationAction = { kind: 'slice', fraction: 1 };
  let o = full;
  let r = rFull;
  if (fraction === undefined && gapOf(rFull, p) >= 0) {
    const b = bisect(env, pf, (f) => ({ kind: 'slice', fraction: f }));
    ({ out: o, r } = b);
    a = { kind: 'slice', fraction: b.fraction };
  }
  const reaches = gapOf(r, p) >= 0 && Number.isFinite(o.costUsd);
  const steps = [stepOf(pf, a, o, r0, r, p)];
  return {
    kind: 'slice',
    reachesTarget: reaches,
    steps,
    ...totals(steps),
    portfolio: o.portfolio,
    result: r,
  };
}

const paidOf = (c: CandidatePlan) => c.totalCostUsd + c.liquidatorFeeUsd;

/**
 * Plans the liquidation of an account back to the target at the least cost.
 *
 *   liquidatable  ⇔ equity < MM (model's equity and MM)
 *   target        = MM·(1 + buffer)  or  IM                      (params.target)
 *   greedy score  = (Δgap + cost + fee) / (cost + fee)           (margin released per USD paid)
 *   slice         = smallest f ∈ (0, 1] with gap(f) ≥ 0 (bisection)
 *   chosen        = the reaching plan with the smaller cost + fee (greedy on ties)
 *   deficit       = max(0, −mark equity after liquidating everything) when neither reaches
 *   insurance fund share = fee × insuranceFundShare
 *
 * Edge cases: a healthy account (equity ≥ MM) gets an empty plan; actions whose cost is +∞
 * (beyond a book's depth) are skipped; greedy stops after `maxSteps`.
 *
 * @param portfolio    the account
 * @param ctx          margin context (market with depth curves)
 * @param model        the margin model the account is margined under
 * @param modelParams  its params
 * @param params       planner params (`DEFAULT_LIQUIDATION_PARAMS`)
 * @param opts         iteration bounds
 * @returns            the plan, its before/after health, costs, fees and deficit (USD)
 * @throws whatever `model.compute` throws (margin fails closed)
 * @see docs/methodology/liquidation.md; ANCHORS §2.2 (Derive), §2.3 (Drift)
 * @example
 * const plan = planLiquidation(pf, ctx, crossModel, crossModel.defaultParams, DEFAULT_LIQUIDATION_PARAMS);
 * plan.steps; // [{ action: 'reduce', instrument: 'BTC-PERP', size: -3.2, ... }]
 */
export function planLiquidation<P>(
  portfolio: Portfolio,
  ctx: MarginContext,
  model: MarginModel<P>,
  modelParams: P,
  params: LiquidationParams,
  opts: LiquidationOptions = {},
): LiquidationPlanResult {
  const env: Env<P> = { ctx, model, modelParams, params, iterations: opts.bisectionIterations ?? 40 };
  const r0 = evaluate(env, portfolio);
  const before = snapshotOf(r0);
  const empty = { totalCostUsd: 0, liquidatorFeeUsd: 0, insuranceFundUsd: 0, bankruptDeficitUsd: 0 };
  if (r0.equityUsd >= r0.maintenanceUsd)
    return {
      status: 'healthy',
      chosen: 'none',
      steps: [],
      before,
      after: before,
      targetUsd: targetRequirementUsd(r0, params),
      ...empty,
      portfolioAfter: portfolio,
    };
  const greedy = planGreedy(env, portfolio, r0, opts.maxSteps ?? 64, opts.collateralOrder);
  const slice = planSlice(env, portfolio, r0);
  let chosen: CandidatePlan;
  let other: CandidatePlan;
  let deficit = 0;
  let status: LiquidationPlanResult['status'] = 'restored';
  if (greedy.reachesTarget && (!slice.reachesTarget || paidOf(greedy) <= paidOf(slice)))
    [chosen, other] = [greedy, slice];
  else if (slice.reachesTarget) [chosen, other] = [slice, greedy];
  else {
    [chosen, other] = [planSlice(env, portfolio, r0, 1), greedy];
    deficit = Math.max(0, -valuePortfolio(chosen.portfolio, ctx.market).equityUsd);
    status = deficit > 0 ? 'bankrupt' : 'unreachable';
  }
  const { portfolio: _p, result: _r, ...alternative } = other;
  return {
    status,
    chosen: chosen.kind,
    steps: chosen.steps,
    before,
    after: snapshotOf(chosen.result),
    targetUsd: targetRequirementUsd(chosen.result, params),
    totalCostUsd: chosen.totalCostUsd,
    liquidatorFeeUsd: chosen.liquidatorFeeUsd,
    insuranceFundUsd: chosen.liquidatorFeeUsd * params.insuranceFundShare,
    bankruptDeficitUsd: deficit,
    alternative,
    portfolioAfter: chosen.portfolio,
  };
}
