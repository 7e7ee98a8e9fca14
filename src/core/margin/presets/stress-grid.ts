/**
 * The risk units of the venues' portfolio-margin modes (OKX and Bybit) and their stress grids:
 * shared by `okx-pm` and `bybit-pm` (docs/methodology/presets-venues.md#okx-pm, #bybit-pm).
 *
 * A risk unit is everything whose price follows one underlying u: its perpetuals, futures,
 * options and spot positions, plus the spot balance "in use" (below). Units never offset each
 * other. For a scenario s (relative move m_s, vol state, weight w_s):
 *
 *   option:               units·(Black76(F·(1 + m_s), σ_s, t) − Black76(F, σ, t))   (full repricing)
 *   perpetual/future/spot: units·mark·m_s
 *   PnL_u(s) = w_s·Σ,      loss_u = max(0, −min_s PnL_u(s))
 *
 * Spot in use (both venues' spot-hedging rule: spot counts only where it hedges the unit's
 * derivatives): with δ the unit's derivative delta in units of u (linear units + Σ option
 * units·Black-76 delta) and q the balance of u, the spot in use is sign(q)·min(|q|, |δ|) when q
 * and δ have opposite signs, else 0. The rest of the balance is collateral, never shocked.
 *
 * Hedged amount and tenor spread (OKX's basis risk MR4, Bybit's delta and vega spreads): for legs
 * with signed amounts a_i and tenors T_i, hedged = (Σ|a_i| − |Σ a_i|)/2 (what offsets), spread =
 * max T_i − min T_i over the legs with a_i ≠ 0.
 * Units: USD, fractions, years.
 */
import { RiskError } from '../../errors.js';
import type { MarginComponent, MarginContext, MarginResult, WorstScenario } from '../margin-model.js';
import { presetResult } from './preset-result.js';
import type { MarkedInstrument } from '../../portfolio/margin-market.js';
import type { PortfolioValuation } from '../../portfolio/valuation.js';
import { computeBlack76Greeks, priceBlack76 } from '../../pricing/black76.js';
import type { VolState } from './deribit/pm-scenarios.js';

/** One scenario of a risk unit's grid. */
export interface StressScenario {
  /** stable id, e.g. `MR1:-0.12:up` */
  readonly id: string;
  readonly label: string;
  /** relative move of the underlying: S' = S·(1 + move) */
  readonly move: number;
  readonly vol: VolState;
  /** weight applied to the scenario's P&L, in (0, 1] */
  readonly weight: number;
}

/** How a model shocks an option's vol in a scenario: σ' ≥ 0 from σ, the state and the expiry. */
export type VolShockRule = (vol: number, state: VolState, tYears: number) => number;

/** One item of a risk unit. */
export interface StressItem {
  /** contribution key: instrument id or `collateral:<ASSET>` */
  readonly key: string;
  readonly marked?: MarkedInstrument;
  /** signed quantity in units of the underlying */
  readonly qty: number;
  /** years to expiry (0 for perpetuals and spot) */
  readonly tYears: number;
}

/** A risk unit: its underlying, index and items. */
export interface RiskUnit {
  readonly underlying: string;
  readonly indexUsd: number;
  readonly items: readonly StressItem[];
  /** derivative delta, units of the underlying (module header) */
  readonly deltaUnits: number;
  /** the balance of the underlying counted in the unit (spot in use), units */
  readonly spotInUse: number;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 10000) / 100}%`;

/**
 * A grid of moves ±m for each magnitude m (0 once), ascending, each with the given vol states.
 * @example moveGrid('MR1', [0, 0.04, 0.08, 0.12], ['up', 'down'], 1).length // 14
 */
export function moveGrid(
  prefix: string,
  magnitudes: readonly number[],
  vols: readonly VolState[],
  weight: number,
): StressScenario[] {
  const moves = [...new Set(magnitudes.flatMap((m) => [-m, m]).map((m) => (m === 0 ? 0 : m)))].sort(
    (a, b) => a - b,
  );
  const out: StressScenario[] = [];
  for (const move of moves)
    for (const vol of vols)
      out.push({
        id: `${prefix}:${move}:${vol}`,
        label: `${prefix} spot ${pct(move)}, vol ${vol}`,
        move,
        vol,
        weight,
      });
  return out;
}

/** `points` evenly spaced magnitudes from 0 to `range` (points ≥ 2). */
export function evenMagnitudes(range: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => range * (i / (points - 1)));
}

/** Option inputs, or ERR_MISSING_MARKET_DATA naming the instrument. */
function optionInputs(m: MarkedInstrument, model: string) {
  const inst = m.instrument;
  if (inst.kind !== 'option' || m.forward === undefined || m.vol === undefined || m.tYears === undefined)
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      `instruments[${inst.id}] needs forward, vol and tYears for ${model} repricing`,
      { field: `instruments[${inst.id}]`, id: inst.id, model },
    );
  return {
    base: { type: inst.optionType, strike: inst.strike, tYears: m.tYears, rate: m.rate ?? 0 },
    forward: m.forward,
    vol: m.vol,
  };
}

/**
 * The risk units of a valuation (module header).
 * @param stable  assets never shocked (stablecoins, the quote currency)
 * @param spotHedging  whether balances of an underlying may hedge its derivatives
 * @throws RiskError ERR_MISSING_MARKET_DATA if an option lacks forward, vol or time to expiry
 */
export function riskUnitsOf(
  v: PortfolioValuation,
  prices: ReadonlyMap<string, number>,
  stable: ReadonlySet<string>,
  spotHedging: boolean,
  model: string,
): RiskUnit[] {
  const byUnderlying = new Map<string, { items: StressItem[]; delta: number }>();
  const unit = (u: string) => {
    let g = byUnderlying.get(u);
    if (g === undefined) {
      g = { items: [], delta: 0 };
      byUnderlying.set(u, g);
    }
    return g;
  };
  for (const pv of v.positions) {
    const m = pv.marked;
    const inst = m.instrument;
    if (inst.kind === 'spot' && stable.has(inst.asset)) continue; // a stable holding is collateral
    const g = unit(inst.underlying);
    g.items.push({ key: inst.id, marked: m, qty: pv.units, tYears: m.tYears ?? 0 });
    if (inst.kind === 'option') {
      const o = optionInputs(m, model);
      g.delta += pv.units * computeBlack76Greeks({ ...o.base, forward: o.forward, vol: o.vol }).delta;
    } else if (inst.kind !== 'spot') g.delta += pv.units;
  }
  const out: RiskUnit[] = [];
  for (const [u, g] of byUnderlying) {
    const q = spotHedging ? (v.collateral.find((c) => c.asset === u)?.qty ?? 0) : 0;
    const inUse = q * g.delta < 0 ? Math.sign(q) * Math.min(Math.abs(q), Math.abs(g.delta)) : 0;
    const items = inUse !== 0 ? [...g.items, { key: `collateral:${u}`, qty: inUse, tYears: 0 }] : g.items;
    out.push({ underlying: u, indexUsd: prices.get(u) ?? NaN, items, deltaUnits: g.delta, spotInUse: inUse });
  }
  return out;
}

/**
 * P&L of one unit of an item in each scenario (module header), cached in `ctx.cache` under
 * `cacheKey` (the model, the grid's stamp and the item's key).
 */
export function itemUnitPnl(
  ctx: MarginContext,
  cacheKey: string,
  item: StressItem,
  indexUsd: number,
  scenarios: readonly StressScenario[],
  shock: VolShockRule,
  model: string,
): Float64Array {
  let cache = ctx.cache.get(`stress-grid:${model}`) as Map<string, Float64Array> | undefined;
  if (cache === undefined) {
    cache = new Map();
    ctx.cache.set(`stress-grid:${model}`, cache);
  }
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const out = new Float64Array(scenarios.length);
  const m = item.marked;
  if (m === undefined || m.instrument.kind !== 'option') {
    const price = m === undefined ? indexUsd : m.markPrice;
    for (let s = 0; s < scenarios.length; s++) out[s] = price * scenarios[s]!.move;
  } else {
    const o = optionInputs(m, model);
    const { type, strike, tYears, rate } = o.base;
    const price0 = priceBlack76({ type, forward: o.forward, strike, tYears, vol: o.vol, rate });
    for (let s = 0; s < scenarios.length; s++) {
      const sc = scenarios[s]!;
      // One object shape per call (no spreads): this loop runs per option and scenario.
      const forward = o.forward * (1 + sc.move);
      const vol = shock(o.vol, sc.vol, tYears);
      out[s] = priceBlack76({ type, forward, strike, tYears, vol, rate }) - price0;
    }
  }
  cache.set(cacheKey, out);
  return out;
}

/** The worst weighted scenario of a unit: its index and P&L (the first of ties). */
export function worstScenarioOf(
  items: readonly StressItem[],
  unitPnl: readonly Float64Array[],
  scenarios: readonly StressScenario[],
): { s: number; pnl: number } {
  const pnlAt = (s: number) => {
    let total = 0;
    for (let i = 0; i < items.length; i++) total += items[i]!.qty * unitPnl[i]![s]!;
    return scenarios[s]!.weight * total;
  };
  let worst = 0;
  let worstPnl = pnlAt(0); // a grid always has scenarios
  for (let s = 1; s < scenarios.length; s++) {
    const pnl = pnlAt(s);
    // Ties within rounding keep the earlier scenario.
    if (pnl < worstPnl - 1e-12 * Math.abs(worstPnl)) {
      worst = s;
      worstPnl = pnl;
    }
  }
  return { s: worst, pnl: worstPnl };
}

/** Hedged amount and tenor spread of signed legs (module header). */
export function hedgedSpread(legs: readonly { amount: number; tYears: number }[]): {
  hedged: number;
  spreadYears: number;
} {
  let gross = 0;
  let net = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of legs) {
    if (l.amount === 0) continue;
    gross += Math.abs(l.amount);
    net += l.amount;
    lo = Math.min(lo, l.tYears);
    hi = Math.max(hi, l.tYears);
  }
  return { hedged: Math.max(0, (gross - Math.abs(net)) / 2), spreadYears: hi > lo ? hi - lo : 0 };
}

/** The loss of a unit over a grid, with its worst scenario and Euler shares. */
export interface GridLoss {
  /** max(0, −worst weighted P&L), USD */
  readonly lossUsd: number;
  readonly scenario: StressScenario;
  readonly pnlUsd: number;
  /** each item's part of the loss at the worst scenario, summing to `lossUsd` (0s when no loss) */
  readonly shares: ReadonlyMap<string, number>;
}

/**
 * The loss of a risk unit over a grid (module header): unit P&L arrays cached per model, grid
 * stamp and item; Euler shares −w·qty_i·pnl_i(s*) at the worst scenario s*.
 * @param stamp  identifies the grid and the vol rule (e.g. the params version and the grid name)
 */
export function gridLoss(
  ctx: MarginContext,
  model: string,
  stamp: string,
  unit: RiskUnit,
  scenarios: readonly StressScenario[],
  shock: VolShockRule,
): GridLoss {
  const pnl = unit.items.map((it) =>
    itemUnitPnl(ctx, `${stamp}|${unit.underlying}|${it.key}`, it, unit.indexUsd, scenarios, shock, model),
  );
  const w = worstScenarioOf(unit.items, pnl, scenarios);
  const sc = scenarios[w.s]!;
  const lossUsd = Math.max(0, -w.pnl);
  const shares = new Map<string, number>();
  unit.items.forEach((it, i) =>
    shares.set(it.key, (shares.get(it.key) ?? 0) + (lossUsd > 0 ? -sc.weight * it.qty * pnl[i]![w.s]! : 0)),
  );
  return { lossUsd, scenario: sc, pnlUsd: w.pnl, shares };
}

/** One risk unit's requirement, as a venue PM model reports it. */
export interface UnitRequirement {
  readonly underlying: string;
  readonly imUsd: number;
  readonly mmUsd: number;
  /** the IM attributed to items and add-ons (keys: instrument ids, `collateral:X`, `<addon>:<u>`), summing to imUsd */
  readonly contributions: ReadonlyMap<string, number>;
  readonly detail: Readonly<Record<string, unknown>>;
  /** the unit's worst scenario, when a scenario loss is part of the requirement */
  readonly worst?: { readonly scenario: StressScenario; readonly pnlUsd: number };
}

/**
 * The MarginResult of a portfolio-margin model from its risk units: IM = Σ IM_u, MM = Σ MM_u,
 * one component per unit, contributions summed per key; worstScenario = the unit with the
 * lowest scenario P&L.
 * @throws XmarginError ERR_NUMERIC when a total is not finite
 */
export function riskUnitResult(
  model: string,
  params: unknown,
  market: MarginContext['market'],
  units: readonly UnitRequirement[],
  equityUsd: number,
): MarginResult {
  let im = 0;
  let mm = 0;
  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  let worst: WorstScenario | undefined;
  for (const u of units) {
    im += u.imUsd;
    mm += u.mmUsd;
    components.push({
      name: `risk-unit:${u.underlying}`,
      initialUsd: u.imUsd,
      maintenanceUsd: u.mmUsd,
      detail: u.detail,
    });
    for (const [k, x] of u.contributions) contributions.set(k, (contributions.get(k) ?? 0) + x);
    if (u.worst !== undefined && (worst === undefined || u.worst.pnlUsd < worst.pnlUsd))
      worst = {
        id: u.worst.scenario.id,
        label: u.worst.scenario.label,
        underlying: u.underlying,
        pnlUsd: u.worst.pnlUsd,
      };
  }
  return presetResult(model, params, market, { im, mm, equityUsd }, components, {
    contributions: [...contributions].map(([key, initialUsd]) => ({ key, initialUsd })),
    ...(worst === undefined ? {} : { worstScenario: worst }),
  });
}
