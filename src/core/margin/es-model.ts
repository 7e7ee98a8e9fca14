/**
 * xmargin's statistical models `es` (flagship) and `var` (docs/methodology/var-es.md#model).
 *
 * 1. Scenarios: joint MPOR windows of real history over a rolling lookback, filtered (FHS), with
 *    implied-vol moves (scenarios/historical-scenarios.ts); every position and non-stable
 *    collateral asset is fully revalued in each (risk/historical-risk-arrays.ts), all underlyings
 *    together.
 * 2. Market part: ES_α (or VaR_α) of the portfolio's scenario P&L, floored twice:
 *    - stressed floor max(ES, (1 − w)·ES + w·ES_stressed), ES_stressed over the raw windows of the
 *      stress library (scenarios/stress-library.ts; w = 1: Eurex Prisma's stressed-period floor);
 *    - move floor gridLoss / mmFraction: MM covers the worst loss of the joint move between two
 *      margin checks (scenarios/move-grid.ts: BTC ±20%, ETH ±25%, alts by their vol; vols ×1.5,
 *      ×1, ×0.7).
 * 3. Liquidity add-on: unwinding each underlying's net delta N (USD) costs
 *    N·(halfSpread + impact·√(N/ADV)) (square-root impact) plus a fixed cost per transaction.
 * 4. Concentration add-on: rate·max(0, N − threshold·ADV).
 * 5. Stablecoin collateral: haircuts; oracle confidence is not used here (ES sees real moves).
 * IM = market part + add-ons + haircuts; MM = mmFraction·IM.
 * Contributions: Euler through the tail weights (−Σ_k w_k·q_i·unitPnl[i, tail_k]), blended with
 * the stressed tail when the floor binds; through the worst grid scenario's row losses (÷ the MM
 * fraction) when the move floor binds; add-ons to the rows by their share of |delta|.
 * The fall limit (`maxFallPerDay`) is state, applied by stateful callers (margin/fall-limit.ts).
 */
import { RiskError } from '../errors.js';
import {
  HISTORY_CACHE_PREFIX,
  type MarginComponent,
  type MarginContext,
  type MarginResult,
  type SpotVolRule,
} from './margin-model.js';
import type { PreparableModel } from './kernel/prepared-margin.js';
import { prepareEsKernel } from './kernel/es-kernel.js';
import { paramsVersion } from './params-version.js';
import { haircutRequirement } from './collateral-haircuts.js';
import { DEFAULT_ES_PARAMS, parseEsParams, type EsModelParams } from './es-params.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { buildHistoricalScenarios, type HistoricalScenarios } from '../scenarios/historical-scenarios.js';
import { buildMonteCarloScenarioSet } from '../scenarios/monte-carlo-scenarios.js';
import { buildMoveGrid, type MoveGrid } from '../scenarios/move-grid.js';
import { buildJointRiskArrays, type JointRiskArrays } from '../risk/historical-risk-arrays.js';
import { aggregateScenarioPnl } from '../risk/aggregate.js';
import { collateralKey } from '../risk/risk-arrays.js';
import { computeVarEsResult } from '../statistics/var-es.js';
import { computeBlack76Greeks } from '../pricing/black76.js';

interface EsCache {
  readonly scenarios: HistoricalScenarios;
  readonly current: JointRiskArrays;
  readonly stressed: JointRiskArrays;
  /** the joint move grid and its arrays, when the move floor is on */
  readonly grid: { readonly moves: MoveGrid; readonly arrays: JointRiskArrays } | undefined;
}

/**
 * The scenario sets for this context's history, valuation time and assets (no prices: cached
 * under the history prefix, so re-marked copies of the market share them).
 */
function historicalScenarios(ctx: MarginContext, p: EsModelParams): HistoricalScenarios {
  const key = `${HISTORY_CACHE_PREFIX}es-scenarios:${paramsVersion('es', p)}`;
  const hit = ctx.cache.get(key) as HistoricalScenarios | undefined;
  if (hit) return hit;
  if (!ctx.history) {
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      'the es/var models need price history in the margin context',
      { field: 'history' },
    );
  }
  const stable = new Set([...p.stableAssets, ctx.market.quoteCurrency]);
  const assets = [...ctx.market.prices.keys()].filter((a) => !stable.has(a)).sort();
  const historical = buildHistoricalScenarios(ctx.history, assets, ctx.market.valuationMs, p.scenarios);
  const scenarios = p.monteCarlo
    ? {
        ...historical,
        current: buildMonteCarloScenarioSet(
          historical.current,
          assets.length,
          historical.volSpotSlope,
          p.monteCarlo,
        ),
      }
    : historical;
  ctx.cache.set(key, scenarios);
  return scenarios;
}

/** Scenarios and joint risk arrays for this market and params (built once, cached). */
export function esScenarios(ctx: MarginContext, p: EsModelParams): EsCache {
  const key = `es-arrays:${paramsVersion('es', p)}`;
  const hit = ctx.cache.get(key) as EsCache | undefined;
  if (hit) return hit;
  const scenarios = historicalScenarios(ctx, p);
  const assets = scenarios.assets;
  const moves = p.moveFloor ? buildMoveGrid(assets, scenarios.windowVol, p.moveFloor) : undefined;
  const built = {
    scenarios,
    current: buildJointRiskArrays(ctx.market, assets, scenarios.current),
    stressed: buildJointRiskArrays(ctx.market, assets, scenarios.stressed),
    grid: moves && { moves, arrays: buildJointRiskArrays(ctx.market, assets, moves.set) },
  };
  ctx.cache.set(key, built);
  return built;
}

/** Worst loss over the move grid, its scenario, and each row's loss in it (they sum to the loss). */
function worstGridLoss(
  arrays: JointRiskArrays,
  keys: readonly string[],
  qty: readonly number[],
): { loss: number; index: number; rowLoss: Float64Array } {
  const rows = Int32Array.from(keys.map((k) => arrays.rowOf.get(k)!));
  const pnl = new Float64Array(arrays.nScenarios);
  aggregateScenarioPnl(arrays.unitPnl, arrays.nScenarios, rows, Float64Array.from(qty), pnl);
  let index = 0;
  for (let s = 1; s < pnl.length; s++) if (pnl[s]! < pnl[index]!) index = s;
  const rowLoss = Float64Array.from(
    keys,
    (_, i) => -qty[i]! * arrays.unitPnl[rows[i]! * arrays.nScenarios + index]!,
  );
  return { loss: -pnl[index]!, index, rowLoss };
}

/**
 * The statistical models' spot–vol rule: Δln σ = k·r, k the slope of daily Δln DVOL on the
 * proxy's daily log return before valuation (the rule the scenarios use where DVOL is missing;
 * scenarios/historical-scenarios.ts), so σ' = σ·e^{k·r}.
 */
function statisticalSpotVolRule(ctx: MarginContext, p: EsModelParams): SpotVolRule {
  const k = historicalScenarios(ctx, p).volSpotSlope;
  return (vol, logMove) => vol * Math.exp(k * logMove);
}

/** A scenario's name: its window's end hour (UTC), or `simulated #i` for Monte Carlo scenarios. */
function scenarioName(set: HistoricalScenarios['current'], i: number): string {
  const t = set.endTimesMs[i]!;
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 13)}Z` : `simulated #${i}`;
}

function computeStatistical(
  measure: 'es' | 'var',
  portfolio: Portfolio,
  ctx: MarginContext,
  p: EsModelParams,
): MarginResult {
  const market = ctx.market;
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const v = valuePortfolio(portfolio, market);
  const sc = esScenarios(ctx, p);
  // Rows held: positions and non-stable collateral.
  const keys: string[] = [];
  const qty: number[] = [];
  const deltaUnits = new Map<string, number>(); // per underlying, units of underlying
  const rowDelta = new Map<string, number>();
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    const key = inst.kind === 'spot' ? collateralKey(inst.underlying) : pv.position.instrument;
    keys.push(key);
    qty.push(inst.kind === 'spot' ? pv.units : pv.position.size);
    let delta = pv.units;
    if (inst.kind === 'option') {
      delta *= computeBlack76Greeks({
        type: inst.optionType,
        forward: pv.marked.forward!,
        strike: inst.strike,
        tYears: pv.marked.tYears!,
        vol: pv.marked.vol!,
        rate: pv.marked.rate ?? 0,
      }).delta;
    }
    deltaUnits.set(inst.underlying, (deltaUnits.get(inst.underlying) ?? 0) + delta);
    rowDelta.set(key, (rowDelta.get(key) ?? 0) + Math.abs(delta));
  }
  for (const c of v.collateral) {
    if (stable.has(c.asset)) continue;
    keys.push(collateralKey(c.asset));
    qty.push(c.qty);
    deltaUnits.set(c.asset, (deltaUnits.get(c.asset) ?? 0) + c.qty);
    rowDelta.set(collateralKey(c.asset), (rowDelta.get(collateralKey(c.asset)) ?? 0) + Math.abs(c.qty));
  }
  const tail = (arrays: JointRiskArrays) => {
    const rows = Int32Array.from(keys.map((k) => arrays.rowOf.get(k)!));
    const q = Float64Array.from(qty);
    const pnl = new Float64Array(arrays.nScenarios);
    if (arrays.nScenarios === 0) return { loss: 0, rows, q, r: undefined, pnl };
    aggregateScenarioPnl(arrays.unitPnl, arrays.nScenarios, rows, q, pnl);
    const r = computeVarEsResult(pnl, { alpha: p.alpha });
    const loss = Math.max(0, measure === 'es' ? r.expectedShortfall : r.valueAtRisk);
    return { loss, rows, q, r, pnl };
  };
  const cur = keys.length > 0 ? tail(sc.current) : undefined;
  const str = keys.length > 0 ? tail(sc.stressed) : undefined;
  const esCur = cur?.loss ?? 0;
  const esStr = str?.loss ?? 0;
  const blended = (1 - p.stressWeight) * esCur + p.stressWeight * esStr;
  const floorBinds = blended > esCur;
  const stressedPart = Math.max(esCur, blended);
  // Move floor: MM = mmFraction·IM must cover the worst loss of the joint move grid.
  const grid = sc.grid && keys.length > 0 ? worstGridLoss(sc.grid.arrays, keys, qty) : undefined;
  const gridFloor = grid && grid.loss > 0 ? grid.loss / p.mmFraction : 0;
  const gridBinds = gridFloor > stressedPart;
  const marketPart = Math.max(stressedPart, gridFloor);
  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  const add = (k: string, x: number) => contributions.set(k, (contributions.get(k) ?? 0) + x);
  // Euler allocation of a tail measure to rows: ES: tail-weighted mean loss; VaR: the VaR scenario's loss.
  const allocate = (t: NonNullable<typeof cur>, arrays: JointRiskArrays, scale: number) => {
    if (!t.r || t.loss === 0) return;
    const idx =
      measure === 'es' ? t.r.tailIndices : Int32Array.of(t.r.tailIndices[t.r.tailIndices.length - 1]!);
    const w = measure === 'es' ? t.r.tailWeights : Float64Array.of(1);
    keys.forEach((k, i) => {
      let l = 0;
      for (let j = 0; j < idx.length; j++)
        l -= w[j]! * t.q[i]! * arrays.unitPnl[t.rows[i]! * arrays.nScenarios + idx[j]!]!;
      add(k, scale * l);
    });
  };
  const when = (set: HistoricalScenarios['current'], r: NonNullable<typeof cur>['r']) =>
    r ? [...r.tailIndices].slice(0, 5).map((i) => scenarioName(set, i)) : [];
  const label = `${measure === 'es' ? 'ES' : 'VaR'} ${(p.alpha * 100).toFixed(1)}%, ${p.scenarios.mporHours}h, ${p.monteCarlo ? `Monte Carlo t(${p.monteCarlo.dof}), seed ${p.monteCarlo.seed}` : p.scenarios.fhs.enabled ? 'FHS' : 'historical'}`;
  components.push({
    name: measure,
    initialUsd: esCur,
    maintenanceUsd: p.mmFraction * esCur,
    detail: {
      label,
      scenarios: sc.current.nScenarios,
      drivingScenarioEnds: cur ? when(sc.scenarios.current, cur.r) : [],
      proxiedShare: sc.scenarios.proxiedShare,
    },
  });
  if (cur && !gridBinds) allocate(cur, sc.current, floorBinds ? 1 - p.stressWeight : 1);
  if (floorBinds && str) {
    components.push({
      name: 'apc-floor',
      initialUsd: stressedPart - esCur,
      maintenanceUsd: p.mmFraction * (stressedPart - esCur),
      detail: {
        stressedLossUsd: esStr,
        stressWeight: p.stressWeight,
        scenarios: sc.stressed.nScenarios,
        drivingScenarioEnds: when(sc.scenarios.stressed, str.r),
      },
    });
    if (!gridBinds) allocate(str, sc.stressed, p.stressWeight);
  }
  if (gridBinds && grid && sc.grid) {
    components.push({
      name: 'move-floor',
      initialUsd: marketPart - stressedPart,
      maintenanceUsd: p.mmFraction * (marketPart - stressedPart),
      detail: {
        gridLossUsd: grid.loss,
        mmFraction: p.mmFraction,
        scenario: sc.grid.moves.labels[grid.index],
        moves: sc.grid.moves.moves,
      },
    });
    // The whole market part through the worst grid scenario: its row losses sum to grid.loss.
    keys.forEach((k, i) => add(k, grid.rowLoss[i]! / p.mmFraction));
  }
  let addOns = 0;
  const addOn = (name: string, amount: number, u: string, detail: Record<string, unknown>) => {
    if (!(amount > 0)) return;
    components.push({ name, initialUsd: amount, maintenanceUsd: p.mmFraction * amount, detail });
    addOns += amount;
    // Unique rows of u (a book may hold the same instrument twice; rowDelta already sums them).
    const unique = [
      ...new Set(
        keys.filter(
          (k) =>
            (k.startsWith('collateral:') ? k.slice(11) : market.instruments.get(k)!.instrument.underlying) ===
            u,
        ),
      ),
    ];
    const total = unique.reduce((a, k) => a + (rowDelta.get(k) ?? 0), 0);
    for (const k of unique)
      add(k, total > 0 ? (amount * (rowDelta.get(k) ?? 0)) / total : amount / unique.length);
  };
  for (const [u, units] of deltaUnits) {
    if (stable.has(u)) continue;
    const n = Math.abs(units) * market.prices.get(u)!;
    const adv = p.liquidity.advUsd[u] ?? p.liquidity.defaultAdvUsd;
    const transactions = new Set(
      keys.filter((k) => k === collateralKey(u) || market.instruments.get(k)?.instrument.underlying === u),
    ).size;
    const cost =
      n * (p.liquidity.halfSpread + p.liquidity.impact * Math.sqrt(n / adv)) +
      p.liquidity.gasUsdPerTransaction * transactions;
    addOn(`liquidity:${u}`, cost, u, { netDeltaUsd: n, advUsd: adv, transactions });
    addOn(
      `concentration:${u}`,
      p.concentration.rate * Math.max(0, n - p.concentration.thresholdOfAdv * adv),
      u,
      { netDeltaUsd: n, advUsd: adv },
    );
  }
  for (const c of v.collateral) {
    if (!stable.has(c.asset)) continue;
    const r = haircutRequirement(c, p);
    if (r.imUsd > 0) {
      components.push({
        name: `haircut:${c.asset}`,
        initialUsd: r.imUsd,
        maintenanceUsd: p.mmFraction * r.imUsd,
        detail: { valueUsd: c.valueUsd },
      });
      add(collateralKey(c.asset), r.imUsd);
      addOns += r.imUsd;
    }
  }
  const im = marketPart + addOns;
  const worst = cur?.r ? cur.r.tailIndices[0]! : -1;
  return {
    model: measure,
    initialUsd: im,
    maintenanceUsd: p.mmFraction * im,
    equityUsd: v.equityUsd,
    components,
    ...(worst >= 0
      ? {
          worstScenario: {
            id: scenarioName(sc.scenarios.current, worst),
            label: p.monteCarlo
              ? `simulated scenario ${worst} (seed ${p.monteCarlo.seed})`
              : `historical window ending ${scenarioName(sc.scenarios.current, worst)} (FHS-scaled)`,
            underlying: '*',
            pnlUsd: cur!.pnl[worst]!,
          },
        }
      : {}),
    contributions: [...contributions].map(([key, initialUsd]) => ({ key, initialUsd })),
    paramsVersion: paramsVersion(measure, p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}

/** `es`: Expected Shortfall over filtered historical scenarios (module header); kernel in kernel/es-kernel.ts. */
export const esModel: PreparableModel<EsModelParams> = {
  prepare: (ctx, params, rows) => prepareEsKernel(esModel, 'es', ctx, params, rows, esScenarios(ctx, params)),
  name: 'es',
  description:
    'Expected Shortfall 99% over 24h joint history (FHS, 2-year rolling lookback), floored by a stress library since 2015 and by the move between two checks; liquidity and concentration add-ons',
  source: 'docs/methodology/var-es.md#model',
  defaultParams: DEFAULT_ES_PARAMS,
  parseParams: (doc) => parseEsParams('es', doc),
  compute: (portfolio, ctx, params) => computeStatistical('es', portfolio, ctx, params),
  spotVolRule: statisticalSpotVolRule,
};

/** `var`: the same scenarios and add-ons with Value-at-Risk as the market measure. */
export const varModel: PreparableModel<EsModelParams> = {
  prepare: (ctx, params, rows) =>
    prepareEsKernel(varModel, 'var', ctx, params, rows, esScenarios(ctx, params)),
  name: 'var',
  description: 'Value-at-Risk 99% over 24h joint history (FHS), with the same floors and add-ons as es',
  source: 'docs/methodology/var-es.md#model',
  defaultParams: DEFAULT_ES_PARAMS,
  parseParams: (doc) => parseEsParams('var', doc),
  compute: (portfolio, ctx, params) => computeStatistical('var', portfolio, ctx, params),
  spotVolRule: statisticalSpotVolRule,
};
