/**
 * xmargin's `portfolio` model: a risk matrix per underlying with positions and collateral
 * revalued together, combined across underlyings by correlation (docs/methodology/margin.md#portfolio).
 *
 * 1. Per underlying u (every non-stable asset the account is exposed to): scenario P&L
 *    pnl_u[s] = Σ_i q_i·unitPnl_u[i, s] over its instruments and its collateral (risk arrays);
 *    worst loss L_u = max(0, −min_s pnl_u[s]); direction d_u = sign of the worst scenario's move.
 * 2. Across underlyings: D = √(Σ_uv c_uv·L_u·L_v), c_uu = 1, c_uv = ρ_uv·d_u·d_v: losses that
 *    happen in opposite directions of positively correlated assets offset (a long/short pair),
 *    vol-driven losses (d = 0) do not diversify. Floor: D ≥ minDiversifiedFraction·Σ L_u.
 * 3. Joint named stresses (real crashes): the worst stress loss × stressWeight, if larger, sets
 *    the scenario part instead.
 * 4. IM = imFactor·scenario part + contingencies (short options, linear positions, low oracle
 *    confidence, stablecoin haircuts); MM = mmFraction·IM.
 * Contributions: Euler allocation: ∂D/∂L_u = Σ_v c_uv L_v / D times each row's loss at u's worst
 * scenario (a hedge contributes negatively); contingencies to the position that causes them.
 */
import {
  HISTORY_CACHE_PREFIX,
  type MarginComponent,
  type MarginContext,
  type MarginResult,
  type WorstScenario,
} from './margin-model.js';
import { paramsVersion } from './params-version.js';
import { haircutRequirement } from './collateral-haircuts.js';
import {
  correlationOf,
  DEFAULT_PORTFOLIO_PARAMS,
  parsePortfolioParams,
  type PortfolioModelParams,
} from './portfolio-params.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { buildGridScenarios, evenMoves } from '../scenarios/grid.js';
import { NAMED_STRESSES } from '../scenarios/stress.js';
import { buildRiskArrays, collateralKey, type RiskArrays } from '../risk/risk-arrays.js';
import { buildStressArrays, type StressArrays } from '../risk/stress-arrays.js';
import { aggregateScenarioPnl, findWorstScenario } from '../risk/aggregate.js';
import { estimateHistoryCorrelation, type HistoryCorrelation } from '../risk/history-correlation.js';
import { DEFAULT_ES_PARAMS } from './es-params.js';
import type { PreparableModel } from './kernel/prepared-margin.js';
import { preparePortfolioKernel } from './kernel/portfolio-kernel.js';

interface PortfolioCache {
  readonly arrays: Map<string, RiskArrays>;
  stress?: StressArrays;
}

/** Per context and params object: the cache (found once by content, then by identity). */
const CACHES = new WeakMap<MarginContext, WeakMap<object, PortfolioCache>>();

function cacheFor(ctx: MarginContext, p: PortfolioModelParams): PortfolioCache {
  // Hashing the params on every call cost most of a venue update; the content key is computed
  // once per (context, params object) and the cache then found by identity.
  let byParams = CACHES.get(ctx);
  if (!byParams) CACHES.set(ctx, (byParams = new WeakMap()));
  let c = byParams.get(p);
  if (c) return c;
  const key = paramsVersion('portfolio-arrays', {
    grid: p.grid,
    byU: p.maxMoveByUnderlying,
    vol: p.volShock,
    stable: p.stableAssets,
  });
  c = ctx.cache.get(key) as PortfolioCache | undefined;
  if (!c) {
    c = { arrays: new Map() };
    ctx.cache.set(key, c);
  }
  byParams.set(p, c);
  return c;
}

/**
 * The correlation pairs in force: the params' pairs, or (source 'history' with history in the
 * context) pairs estimated from 24h windows of the joint history, cached per market.
 */
export function correlationPairs(
  ctx: MarginContext,
  p: PortfolioModelParams,
): { source: 'params' | 'history'; pairs: Readonly<Record<string, number>>; windows?: number } {
  if (p.correlations.source !== 'history' || !ctx.history)
    return { source: 'params', pairs: p.correlations.pairs };
  const key = `${HISTORY_CACHE_PREFIX}portfolio-correlation`;
  let est = ctx.cache.get(key) as HistoryCorrelation | undefined;
  if (!est) {
    const stable = new Set([...p.stableAssets, ctx.market.quoteCurrency]);
    const assets = [...ctx.market.prices.keys()].filter(
      (a) => !stable.has(a) && ctx.history!.hourly.assets.includes(a),
    );
    est = estimateHistoryCorrelation(
      ctx.history,
      assets,
      ctx.market.valuationMs,
      DEFAULT_ES_PARAMS.scenarios,
    );
    ctx.cache.set(key, est);
  }
  return { source: 'history', pairs: { ...p.correlations.pairs, ...est.pairs }, windows: est.windows };
}

/** The joint stress arrays of the market (built once per market, cached). */
export function portfolioStressArrays(ctx: MarginContext, p: PortfolioModelParams): StressArrays {
  const cache = cacheFor(ctx, p);
  const stable = new Set([...p.stableAssets, ctx.market.quoteCurrency]);
  return (cache.stress ??= buildStressArrays(ctx.market, NAMED_STRESSES, stable));
}

/** The risk arrays of one underlying under this params' grid (built once per market, cached). */
export function portfolioRiskArrays(
  ctx: MarginContext,
  p: PortfolioModelParams,
  underlying: string,
): RiskArrays {
  const cache = cacheFor(ctx, p);
  let arrays = cache.arrays.get(underlying);
  if (!arrays) {
    const maxMove = p.maxMoveByUnderlying[underlying] ?? p.grid.maxMove;
    const scenarios = buildGridScenarios({
      spotMoves: evenMoves(maxMove, p.grid.buckets),
      extendedMoves: p.grid.extendedMoves,
      extendedWeight: p.grid.extendedWeight,
      skew: p.grid.skew ?? undefined,
    });
    arrays = buildRiskArrays(ctx.market, underlying, scenarios, {
      volShock: p.volShock,
      skew: p.grid.skew ?? undefined,
    });
    cache.arrays.set(underlying, arrays);
  }
  return arrays;
}

interface Exposure {
  keys: string[];
  qty: number[];
}

function computePortfolio(portfolio: Portfolio, ctx: MarginContext, p: PortfolioModelParams): MarginResult {
  const market = ctx.market;
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const v = valuePortfolio(portfolio, market);
  // Exposures per underlying: instruments and collateral of that asset (spot-kind positions count as the asset).
  const exposures = new Map<string, Exposure>();
  const expose = (u: string, key: string, qty: number) => {
    let e = exposures.get(u);
    if (!e) exposures.set(u, (e = { keys: [], qty: [] }));
    e.keys.push(key);
    e.qty.push(qty);
  };
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    if (inst.kind === 'spot') expose(inst.underlying, collateralKey(inst.underlying), pv.units);
    else expose(inst.underlying, pv.position.instrument, pv.position.size);
  }
  const stableCollateral = v.collateral.filter((c) => stable.has(c.asset) && !exposures.has(c.asset));
  for (const c of v.collateral)
    if (!stable.has(c.asset) || exposures.has(c.asset)) expose(c.asset, collateralKey(c.asset), c.qty);

  // 1. Worst loss per underlying, with each row's loss at that scenario (for Euler).
  const per: { u: string; loss: number; dir: number; worst: WorstScenario; rowLoss: Map<string, number> }[] =
    [];
  for (const [u, e] of exposures) {
    const arrays = portfolioRiskArrays(ctx, p, u);
    const rows = Int32Array.from(e.keys.map((k) => arrays.rowOf.get(k)!));
    const qty = Float64Array.from(e.qty);
    const pnl = new Float64Array(arrays.nScenarios);
    aggregateScenarioPnl(arrays.unitPnl, arrays.nScenarios, rows, qty, pnl);
    const w = findWorstScenario(pnl);
    const sc = arrays.scenarios[w.index]!;
    const rowLoss = new Map<string, number>();
    e.keys.forEach((k, i) =>
      rowLoss.set(
        k,
        (rowLoss.get(k) ?? 0) - qty[i]! * arrays.unitPnl[rows[i]! * arrays.nScenarios + w.index]!,
      ),
    );
    per.push({
      u,
      loss: Math.max(0, -w.pnl),
      dir: Math.sign(sc.spotMove),
      worst: { id: `${u}:${sc.id}`, label: `${u} ${sc.label}`, underlying: u, pnlUsd: w.pnl },
      rowLoss,
    });
  }
  // 2. Diversified combination and its Euler weights.
  const pairs = correlationPairs(ctx, p);
  const sumLoss = per.reduce((a, x) => a + x.loss, 0);
  const grad = per.map((x) =>
    per.reduce(
      (acc, y) => acc + (x.u === y.u ? 1 : correlationOf(p, x.u, y.u, pairs.pairs) * x.dir * y.dir) * y.loss,
      0,
    ),
  );
  const quad = per.reduce((acc, x, i) => acc + x.loss * grad[i]!, 0);
  let diversified = Math.sqrt(Math.max(quad, 0));
  let weights = per.map((_, i) => (diversified > 0 ? grad[i]! / diversified : 0));
  const floor = p.minDiversifiedFraction * sumLoss;
  if (diversified < floor) {
    diversified = floor;
    weights = per.map(() => p.minDiversifiedFraction);
  }
  const scenarioContrib = new Map<string, number>();
  per.forEach((x, i) => {
    if (x.loss > 0)
      for (const [k, l] of x.rowLoss) scenarioContrib.set(k, (scenarioContrib.get(k) ?? 0) + weights[i]! * l);
  });
  let scenarioPart = diversified;
  let worstScenario = per.length > 0 ? per.reduce((a, b) => (b.loss > a.loss ? b : a)).worst : undefined;
  let scenarioName = 'scenario:diversified';
  // 3. Joint stresses.
  if (p.stressWeight > 0 && exposures.size > 0) {
    const st = portfolioStressArrays(ctx, p);
    const K = st.stresses.length;
    let worstK = -1;
    let worstPnl = 0;
    for (let k = 0; k < K; k++) {
      let pnl = 0;
      for (const e of exposures.values())
        e.keys.forEach((key, i) => (pnl += e.qty[i]! * st.unitPnl[st.rowOf.get(key)! * K + k]!));
      if (pnl < worstPnl) [worstPnl, worstK] = [pnl, k];
    }
    const stressLoss = -worstPnl * p.stressWeight;
    if (worstK >= 0 && stressLoss > scenarioPart) {
      scenarioPart = stressLoss;
      scenarioName = `stress:${st.stresses[worstK]!.id}`;
      worstScenario = {
        id: st.stresses[worstK]!.id,
        label: st.stresses[worstK]!.label,
        underlying: '*',
        pnlUsd: worstPnl * p.stressWeight,
      };
      scenarioContrib.clear();
      for (const e of exposures.values()) {
        e.keys.forEach((key, i) =>
          scenarioContrib.set(
            key,
            (scenarioContrib.get(key) ?? 0) -
              p.stressWeight * e.qty[i]! * st.unitPnl[st.rowOf.get(key)! * K + worstK]!,
          ),
        );
      }
    }
  }
  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  const add = (key: string, x: number) => contributions.set(key, (contributions.get(key) ?? 0) + x);
  const imScenario = p.imFactor * scenarioPart;
  components.push({
    name: scenarioName,
    initialUsd: imScenario,
    maintenanceUsd: p.mmFraction * imScenario,
    detail: {
      sumOfWorstLossesUsd: sumLoss,
      perUnderlying: per.map((x) => ({ underlying: x.u, lossUsd: x.loss, worst: x.worst.id })),
      correlations: {
        source: pairs.source,
        pairs: pairs.pairs,
        ...(pairs.windows ? { windows: pairs.windows } : {}),
      },
    },
  });
  for (const [k, c] of scenarioContrib) add(k, p.imFactor * c);
  // 4. Contingencies.
  let contingencies = 0;
  const contingency = (name: string, key: string, amount: number, detail: Record<string, unknown>) => {
    if (!(amount > 0)) return;
    components.push({ name, initialUsd: amount, maintenanceUsd: p.mmFraction * amount, detail });
    add(key, amount);
    contingencies += amount;
  };
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    const index = market.prices.get(inst.underlying)!;
    if (inst.kind === 'option' && pv.units < 0) {
      contingency(`short-option:${inst.id}`, inst.id, -pv.units * index * p.contingencies.shortOptionRate, {
        contracts: pv.position.size,
      });
    }
    if (inst.kind === 'perpetual' || inst.kind === 'future') {
      contingency(`linear:${inst.id}`, inst.id, pv.notionalUsd * p.contingencies.linearRate, {
        notionalUsd: pv.notionalUsd,
      });
    }
  }
  for (const [u, e] of exposures) {
    const conf = market.confidence.get(u);
    if (conf === undefined || conf >= p.contingencies.confidenceThreshold) continue;
    const index = market.prices.get(u)!;
    const gross = e.keys.map(
      (k, i) =>
        Math.abs(e.qty[i]!) *
        index *
        (k.startsWith('collateral:') ? 1 : market.instruments.get(k)!.instrument.contractSize),
    );
    const total = gross.reduce((a, b) => a + b, 0);
    const addOn = (1 - conf) * p.contingencies.confidenceFactor * total;
    if (addOn > 0) {
      components.push({
        name: `oracle-confidence:${u}`,
        initialUsd: addOn,
        maintenanceUsd: p.mmFraction * addOn,
        detail: { confidence: conf, grossUsd: total },
      });
      e.keys.forEach((k, i) => add(k, (addOn * gross[i]!) / total));
      contingencies += addOn;
    }
  }
  for (const c of stableCollateral) {
    const r = haircutRequirement(c, p);
    contingency(`haircut:${c.asset}`, collateralKey(c.asset), r.imUsd, { valueUsd: c.valueUsd });
  }
  const im = imScenario + contingencies;
  return {
    model: 'portfolio',
    initialUsd: im,
    maintenanceUsd: p.mmFraction * im,
    equityUsd: v.equityUsd,
    components,
    ...(worstScenario ? { worstScenario } : {}),
    contributions: [...contributions].map(([key, initialUsd]) => ({ key, initialUsd })),
    paramsVersion: paramsVersion('portfolio', p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}

/** `portfolio`: xmargin's risk matrix (module header); its kernel in kernel/portfolio-kernel.ts. */
export const portfolioModel: PreparableModel<PortfolioModelParams> = {
  prepare: (ctx, params, rows, previous, changed, simd) =>
    preparePortfolioKernel(
      {
        model: portfolioModel,
        riskArrays: portfolioRiskArrays,
        stressArrays: portfolioStressArrays,
        correlationPairs,
      },
      ctx,
      params,
      rows,
      previous,
      changed,
      simd,
    ),
  name: 'portfolio',
  description:
    "xmargin's risk matrix: worst grid loss per underlying with collateral, correlation-diversified, stress floor, contingencies",
  source: 'docs/methodology/margin.md#portfolio',
  defaultParams: DEFAULT_PORTFOLIO_PARAMS,
  parseParams: parsePortfolioParams,
  compute: computePortfolio,
};
