/**
 * The `deribit-pm` preset: Deribit cross portfolio margin (X:PM, ANCHORS §2.1) as a risk matrix
 * per underlying (pm-scenarios.ts).
 *
 * Per underlying u and scenario s (move m_s, vol state, weight w_s), the P&L of everything whose
 * price follows u, with the other inputs held (same time to expiry, same rate):
 *
 *   option:            units·(Black76(F·(1 + m_s), σ_s) − Black76(F, σ))     (full repricing)
 *   perpetual/future:  units·mark·m_s
 *   collateral / spot: qty·index·m_s   (non-stable assets only: cross PM shocks the balance too)
 *
 *   PnL_u(s) = w_s·Σ,   loss_u = max(0, −min_s PnL_u(s))
 *   IM = Σ_u loss_u,    MM = maintenanceFraction·IM
 *
 * Underlyings never offset each other (Deribit's matrices are per currency). Contributions are
 * the Euler allocation at each underlying's worst scenario s*: item i gets −w_{s*}·PnL_i(s*)
 * (negative for a hedge), which sums to loss_u; requirement is positively homogeneous, so this is
 * exact. Equity = haircut collateral + position values (collateral.ts); stable assets are valued
 * at index less haircut and never shocked. The option base price is Black-76 at the unshocked
 * inputs, so the zero scenario's P&L is exactly 0.
 * Contingency add-ons (pm-contingency.ts: net short options per strike, offsetting futures, the
 * options' notional) are added per underlying, 0 by default (Deribit's 2024 model removed them).
 * Not reproduced: the current (unpublished) Deribit vol-shock and dampener values, the 2024 delta
 * and roll-shock components, segregated mode (S:PM), the extended risk matrix endpoints.
 */
import { RiskError, ensureFinite } from '../../../errors.js';
import type {
  Contribution,
  MarginComponent,
  MarginContext,
  MarginResult,
  WorstScenario,
} from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import type { MarkedInstrument } from '../../../portfolio/margin-market.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PortfolioValuation } from '../../../portfolio/valuation.js';
import {
  priceBlack76Kernel,
  relativeForwardMoves,
  repriceBlack76Scenarios,
  type ForwardMoves,
} from '../../../pricing/black76-scenarios.js';
import { deribitEquityUsd } from './collateral.js';
import { deribitPmContingency } from './pm-contingency.js';
import type { DeribitPmParams } from './deribit-pm-params.js';
import {
  buildScenarios,
  shockedVol,
  volShockSize,
  type PmScenario,
  type ScenarioGridParams,
} from './pm-scenarios.js';

/** Model name. */
export const DERIBIT_PM_MODEL_NAME = 'deribit-pm';

/** One item of a risk matrix: a position or a balance, with its P&L per unit in each scenario. */
interface RiskItem {
  /** contribution key: instrument id or `collateral:<ASSET>` */
  readonly key: string;
  readonly underlying: string;
  /** signed quantity in underlying units */
  readonly qty: number;
  /** unweighted P&L of one unit in each scenario, USD */
  readonly unitPnl: Float64Array;
}

/** Per-market cache: scenarios and unit P&L arrays, keyed by the grid's stamp. */
interface GridCache {
  readonly scenarios: readonly PmScenario[];
  /** the scenarios' forward moves F·(1 + m), for the scenario kernel */
  readonly moves: ForwardMoves;
  readonly unitPnl: Map<string, Float64Array>;
}

function gridCache(ctx: MarginContext, grid: ScenarioGridParams): GridCache {
  let byGrid = ctx.cache.get(DERIBIT_PM_MODEL_NAME) as Map<string, GridCache> | undefined;
  if (byGrid === undefined) {
    byGrid = new Map();
    ctx.cache.set(DERIBIT_PM_MODEL_NAME, byGrid);
  }
  const key = paramsVersion('deribit-pm-grid', grid);
  let c = byGrid.get(key);
  if (c === undefined) {
    const scenarios = buildScenarios(grid);
    c = { scenarios, moves: relativeForwardMoves(scenarios.map((sc) => sc.move)), unitPnl: new Map() };
    byGrid.set(key, c);
  }
  return c;
}

/** P&L of one unit of an instrument in every scenario (module header). */
function instrumentUnitPnl(m: MarkedInstrument, cache: GridCache, grid: ScenarioGridParams): Float64Array {
  const scenarios = cache.scenarios;
  const out = new Float64Array(scenarios.length);
  const inst = m.instrument;
  if (inst.kind !== 'option') {
    // Linear: perpetual and future marks, and spot (mark = index), move with the underlying.
    for (let s = 0; s < scenarios.length; s++) out[s] = m.markPrice * scenarios[s]!.move;
    return out;
  }
  const { forward, vol, tYears } = m;
  if (forward === undefined || vol === undefined || tYears === undefined) {
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      `instruments[${inst.id}] needs forward, vol and tYears for deribit-pm repricing`,
      {
        field: `instruments[${inst.id}]`,
        id: inst.id,
      },
    );
  }
  // The scenario kernel (pricing/black76-scenarios.ts); the base price by the same arithmetic,
  // so the zero scenario is exactly 0.
  const o = { isCall: inst.optionType === 'call', forward, strike: inst.strike, tYears, rate: m.rate ?? 0 };
  const price0 = priceBlack76Kernel(o, vol);
  const shock = volShockSize(tYears, grid.volShock);
  const vols = Float64Array.from(scenarios, (sc) => shockedVol(vol, sc.vol, shock, grid.volShock.mode));
  repriceBlack76Scenarios(o, cache.moves, vols, out, 0, scenarios.length);
  for (let s = 0; s < scenarios.length; s++) out[s] = out[s]! - price0;
  return out;
}

/**
 * The scenarios of a grid and the unweighted P&L of one unit of an instrument (per unit of
 * underlying, as `qty` is in the model) or of a collateral asset, in each scenario: the same
 * cached arrays `computeDeribitPmMargin` uses (for the optimiser's LP).
 * @param key  `instrument:<id>` or `asset:<symbol>`
 */
export function deribitPmUnitPnl(
  ctx: MarginContext,
  p: DeribitPmParams,
  key: string,
): { scenarios: readonly PmScenario[]; unitPnl: Float64Array } {
  const c = gridCache(ctx, p.grid);
  let a = c.unitPnl.get(key);
  if (a === undefined) {
    if (key.startsWith('asset:')) {
      const price = ctx.market.prices.get(key.slice('asset:'.length))!;
      a = Float64Array.from(c.scenarios, (s) => price * s.move);
    } else a = instrumentUnitPnl(ctx.market.instruments.get(key.slice('instrument:'.length))!, c, p.grid);
    c.unitPnl.set(key, a);
  }
  return { scenarios: c.scenarios, unitPnl: a };
}

/** The risk items of a portfolio: derivative and spot positions, and non-stable collateral. */
function riskItems(v: PortfolioValuation, p: DeribitPmParams, c: GridCache): RiskItem[] {
  const items: RiskItem[] = [];
  const unit = (cacheKey: string, make: () => Float64Array) => {
    let a = c.unitPnl.get(cacheKey);
    if (a === undefined) {
      a = make();
      c.unitPnl.set(cacheKey, a);
    }
    return a;
  };
  const stable = new Set(p.stableAssets);
  for (const pv of v.positions) {
    const m = pv.marked;
    // A spot holding of a stable asset is collateral like any other: never shocked.
    if (m.instrument.kind === 'spot' && stable.has(m.instrument.asset)) continue;
    items.push({
      key: m.instrument.id,
      underlying: m.instrument.underlying,
      qty: pv.units,
      unitPnl: unit(`instrument:${m.instrument.id}`, () => instrumentUnitPnl(m, c, p.grid)),
    });
  }
  for (const cv of v.collateral) {
    if (stable.has(cv.asset)) continue; // valued at index less haircut, never shocked
    const price = cv.priceUsd;
    items.push({
      key: `collateral:${cv.asset}`,
      underlying: cv.asset,
      qty: cv.qty,
      unitPnl: unit(`asset:${cv.asset}`, () => Float64Array.from(c.scenarios, (s) => price * s.move)),
    });
  }
  return items;
}

/** Relative difference below which two scenario P&Ls are a tie (float rounding). */
const TIE_REL = 1e-12;

/** The worst weighted scenario of one underlying's items (the first of tied ones). */
function worstOf(items: readonly RiskItem[], scenarios: readonly PmScenario[]): { s: number; pnl: number } {
  const total = new Float64Array(scenarios.length);
  for (const it of items)
    for (let s = 0; s < total.length; s++) total[s] = total[s]! + it.qty * it.unitPnl[s]!;
  let worst = 0;
  let worstPnl = scenarios[0]!.weight * total[0]!; // the grid always has scenarios (buckets ≥ 3)
  for (let s = 1; s < total.length; s++) {
    const pnl = scenarios[s]!.weight * total[s]!;
    // Ties within rounding keep the earlier scenario: a linear book loses the same 16% at −16%
    // (core) and at −66%·0.16/0.66 (extended), and the core scenario is the one to report.
    if (pnl < worstPnl - TIE_REL * Math.abs(worstPnl)) {
      worst = s;
      worstPnl = pnl;
    }
  }
  return { s: worst, pnl: worstPnl };
}

/**
 * Computes the Deribit cross portfolio-margin requirement (module header).
 * @param portfolio  positions and collateral
 * @param ctx        the market; unit P&L arrays are cached in ctx.cache per grid
 * @param p          parsed params (parseDeribitPmParams)
 * @returns          MarginResult with one component per underlying (its worst loss), worstScenario
 *                   = the underlying with the largest loss, Euler contributions summing to IM
 * @throws RiskError ERR_MISSING_MARKET_DATA if an option lacks forward, vol or time to expiry
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeDeribitPmMargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  p: DeribitPmParams,
): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const cache = gridCache(ctx, p.grid);
  const scenarios = cache.scenarios;
  const groups = new Map<string, RiskItem[]>();
  for (const it of riskItems(v, p, cache))
    groups.set(it.underlying, [...(groups.get(it.underlying) ?? []), it]);

  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  let im = 0;
  let mm = 0;
  let worst: WorstScenario | undefined;
  for (const [underlying, items] of groups) {
    const w = worstOf(items, scenarios);
    const sc = scenarios[w.s]!;
    const loss = Math.max(0, -w.pnl);
    const mmLoss = p.maintenanceFraction * loss;
    im += loss;
    mm += mmLoss;
    components.push({
      name: `underlying:${underlying}`,
      initialUsd: loss,
      maintenanceUsd: mmLoss,
      detail: { scenario: sc.id, label: sc.label, pnlUsd: w.pnl, weight: sc.weight },
    });
    // Euler allocation at the worst scenario (0 for every item when nothing is lost).
    for (const it of items) {
      const share = loss > 0 ? -sc.weight * it.qty * it.unitPnl[w.s]! : 0;
      contributions.set(it.key, (contributions.get(it.key) ?? 0) + share);
    }
    if (worst === undefined || w.pnl < worst.pnlUsd)
      worst = { id: sc.id, label: sc.label, underlying, pnlUsd: w.pnl };
  }

  // Contingency add-ons (0 by default: Deribit's current model has none), on top of the loss.
  for (const [underlying, c] of deribitPmContingency(v, market.prices, p.contingency)) {
    if (!(c.totalUsd > 0)) continue;
    im += c.totalUsd;
    mm += p.maintenanceFraction * c.totalUsd;
    components.push({
      name: `contingency:${underlying}`,
      initialUsd: c.totalUsd,
      maintenanceUsd: p.maintenanceFraction * c.totalUsd,
      detail: { ...c },
    });
    contributions.set(`contingency:${underlying}`, c.totalUsd);
  }

  const details = { snapshotId: market.snapshotId };
  const list: Contribution[] = [...contributions].map(([key, initialUsd]) => ({ key, initialUsd }));
  return {
    model: DERIBIT_PM_MODEL_NAME,
    initialUsd: ensureFinite(im, 'deribit-pm initial margin', details),
    maintenanceUsd: ensureFinite(mm, 'deribit-pm maintenance margin', details),
    equityUsd: ensureFinite(deribitEquityUsd(v, market, p), 'deribit-pm equity', details),
    components,
    ...(worst === undefined ? {} : { worstScenario: worst }),
    contributions: list,
    paramsVersion: paramsVersion(DERIBIT_PM_MODEL_NAME, p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}
