/**
 * @module risk/risk-arrays
 *
 * Risk arrays: for one underlying and one scenario set, the P&L in quote currency of ONE unit of
 * every instrument on that underlying (one contract) and of one unit of the underlying asset held
 * as collateral, in every scenario. Computed once per market update and shared by every portfolio.
 *
 * Layout: position-major, scenario-contiguous: `unitPnl[row * nScenarios + s]`.
 *
 *   option:            (B76(F·(1+m), K, t, σ'(t, K), r) − B76(F, K, t, σ, r))·contractSize·w
 *   perpetual/future:  mark·m·contractSize·w;   spot instrument, collateral: index·m·w
 *
 * with m the scenario's spot move, σ' its shocked (and skew-rotated) vol, w its weight. Repricing
 * is against the model price at the unshocked inputs, so the zero scenario has exactly zero P&L
 * even when a quoted mark differs slightly from the model.
 */
import { skewVol, type GridScenario, type SkewParams } from '../scenarios/grid.js';
import { shockVol, type VolShockParams } from '../scenarios/vol-shock.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import { OptionScenarioPricer, type PricedRow } from './option-scenario-pricer.js';
import { relativeForwardMoves } from '../pricing/black76-scenarios.js';

/** Risk arrays of one underlying. */
export interface RiskArrays {
  readonly underlying: string;
  readonly scenarios: readonly GridScenario[];
  readonly nScenarios: number;
  /** row keys: instrument ids, and `collateral:<ASSET>` for the underlying asset itself */
  readonly keys: readonly string[];
  readonly rowOf: ReadonlyMap<string, number>;
  /** rows × nScenarios, USD per unit */
  readonly unitPnl: Float64Array;
}

/** How options are revalued. */
export interface RevaluationParams {
  readonly volShock: VolShockParams;
  readonly skew: SkewParams | undefined;
}

/** The collateral row key of an asset. */
export function collateralKey(asset: string): string {
  return `collateral:${asset}`;
}

/**
 * Builds the risk arrays of `underlying` over `scenarios`.
 * @throws InvariantError when an option lacks forward/vol/tYears (the market builder guarantees them)
 */
export function buildRiskArrays(
  market: MarginMarket,
  underlying: string,
  scenarios: readonly GridScenario[],
  params: RevaluationParams,
): RiskArrays {
  const S = scenarios.length;
  const keys: string[] = [];
  const index = market.prices.get(underlying);
  if (index !== undefined) keys.push(collateralKey(underlying));
  for (const [id, m] of market.instruments)
    if (m.instrument.underlying === underlying && m.instrument.kind !== 'spot') keys.push(id);
  const unitPnl = new Float64Array(keys.length * S);
  const pricer = new OptionScenarioPricer(S);
  const weight = Float64Array.from(scenarios, (sc) => sc.weight);
  const moves = relativeForwardMoves(scenarios.map((sc) => sc.spotMove));
  // Scenario columns as typed arrays: vol direction (0 none, 1 up, 2 down) and skew sign.
  const volDir = Int8Array.from(scenarios, (sc) => (sc.vol === 'up' ? 1 : sc.vol === 'down' ? 2 : 0));
  const skewSign = Int8Array.from(scenarios, (sc) => (params.skew ? sc.skew : 0));
  const vol = pricer.vol;
  const options: PricedRow[] = [];
  for (let row = 0; row < keys.length; row++) {
    const base = row * S;
    if (row === 0 && index !== undefined) {
      for (let s = 0; s < S; s++) unitPnl[base + s] = index * scenarios[s]!.spotMove * weight[s]!;
      continue;
    }
    const m = market.instruments.get(keys[row]!)!;
    if (m.instrument.kind === 'option') {
      options.push({ m, base });
      continue;
    }
    // Linear: perpetual and future marks move with the underlying.
    const level = m.markPrice * m.instrument.contractSize;
    for (let s = 0; s < S; s++) unitPnl[base + s] = level * scenarios[s]!.spotMove * weight[s]!;
  }
  // A call and its put on the same inputs share one evaluation (OptionScenarioPricer.group).
  for (const group of OptionScenarioPricer.group(options)) {
    const m = group[0]!.m;
    const inst = m.instrument;
    const strike = inst.kind === 'option' ? inst.strike : 0;
    const x = OptionScenarioPricer.inputsOf(m);
    // The shocked vols depend on the option only: compute them once, not per scenario.
    const volUp = shockVol(x.vol, x.tYears, 'up', params.volShock);
    const volDown = shockVol(x.vol, x.tYears, 'down', params.volShock);
    for (let s = 0; s < S; s++) {
      const d = volDir[s]!;
      const v = d === 1 ? volUp : d === 2 ? volDown : x.vol;
      const sk = skewSign[s]!;
      vol[s] = sk !== 0 ? skewVol(v, strike, x.forward, x.tYears, sk as -1 | 1, params.skew!) : v;
    }
    pricer.revalue(group, moves, S, unitPnl, weight);
  }
  return { underlying, scenarios, nScenarios: S, keys, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
