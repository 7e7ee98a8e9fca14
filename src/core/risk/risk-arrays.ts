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
import { InvariantError } from '../errors.js';
import { priceBlack76Batch } from '../pricing/black76-batch.js';
import { priceBlack76 } from '../pricing/black76.js';
import { skewVol, type GridScenario, type SkewParams } from '../scenarios/grid.js';
import { shockVol, type VolShockParams } from '../scenarios/vol-shock.js';
import type { MarginMarket } from '../portfolio/margin-market.js';

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
  // Scratch columns for the batched pricer, reused for every option (no allocation per option).
  const isCall = new Uint8Array(S);
  const fwd = new Float64Array(S);
  const strike = new Float64Array(S);
  const tYears = new Float64Array(S);
  const vol = new Float64Array(S);
  const rate = new Float64Array(S);
  const shocked = new Float64Array(S);
  keys.forEach((key, row) => {
    const base = row * S;
    if (key.startsWith('collateral:')) {
      for (let s = 0; s < S; s++) unitPnl[base + s] = index! * scenarios[s]!.spotMove * scenarios[s]!.weight;
      return;
    }
    const m = market.instruments.get(key)!;
    const inst = m.instrument;
    if (inst.kind === 'option') {
      if (m.forward === undefined || m.vol === undefined || m.tYears === undefined) {
        throw new InvariantError('option without forward/vol/tYears in the market', { id: key });
      }
      const r = m.rate ?? 0;
      const basePrice = priceBlack76({
        type: inst.optionType,
        forward: m.forward,
        strike: inst.strike,
        tYears: m.tYears,
        vol: m.vol,
        rate: r,
      });
      isCall.fill(inst.optionType === 'call' ? 1 : 0);
      strike.fill(inst.strike);
      tYears.fill(m.tYears);
      rate.fill(r);
      // The three shocked vols depend on the option only: compute them once, not per scenario.
      const volUp = shockVol(m.vol, m.tYears, 'up', params.volShock);
      const volDown = shockVol(m.vol, m.tYears, 'down', params.volShock);
      for (let s = 0; s < S; s++) {
        const sc = scenarios[s]!;
        fwd[s] = m.forward * (1 + sc.spotMove);
        const v = sc.vol === 'up' ? volUp : sc.vol === 'down' ? volDown : m.vol;
        vol[s] =
          params.skew && sc.skew !== 0
            ? skewVol(v, inst.strike, m.forward, m.tYears, sc.skew, params.skew)
            : v;
      }
      priceBlack76Batch({ isCall, forward: fwd, strike, tYears, vol, rate }, shocked);
      for (let s = 0; s < S; s++)
        unitPnl[base + s] = (shocked[s]! - basePrice) * inst.contractSize * scenarios[s]!.weight;
      return;
    }
    // Linear: perpetual and future marks move with the underlying.
    const level = m.markPrice * inst.contractSize;
    for (let s = 0; s < S; s++) unitPnl[base + s] = level * scenarios[s]!.spotMove * scenarios[s]!.weight;
  });
  return { underlying, scenarios, nScenarios: S, keys, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
