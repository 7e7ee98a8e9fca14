/**
 * Risk arrays over joint historical scenarios (scenarios/historical-scenarios.ts): the P&L of one
 * unit of every instrument on a scenario asset, and of one unit of each scenario asset held as
 * collateral, in every scenario, all underlyings moving together. Layout `unitPnl[row·S + s]`.
 *
 *   collateral, spot:   price·(e^{r} − 1)
 *   perpetual, future:  mark·(e^{r} − 1)·contractSize
 *   option:             (B76(F·e^{r}, K, t, σ·e^{Δln σ}) − B76(F, K, t, σ))·contractSize
 *
 * with r the underlying's window log return and Δln σ its implied-vol move in that scenario.
 */
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { ScenarioSet } from '../scenarios/historical-scenarios.js';
import { collateralKey } from './risk-arrays.js';
import { OptionScenarioPricer } from './option-scenario-pricer.js';
import { logForwardMoves, type ForwardMoves } from '../pricing/black76-scenarios.js';

export interface JointRiskArrays {
  readonly nScenarios: number;
  readonly rowOf: ReadonlyMap<string, number>;
  readonly keys: readonly string[];
  readonly unitPnl: Float64Array;
}

/** Builds joint risk arrays for every instrument and collateral row on `assets`. */
export function buildJointRiskArrays(
  market: MarginMarket,
  assets: readonly string[],
  set: ScenarioSet,
): JointRiskArrays {
  const S = set.nScenarios;
  const A = assets.length;
  const col = new Map(assets.map((a, i) => [a, i]));
  const keys: string[] = [];
  for (const a of assets) if (market.prices.has(a)) keys.push(collateralKey(a));
  for (const [id, m] of market.instruments)
    if (col.has(m.instrument.underlying) && m.instrument.kind !== 'spot') keys.push(id);
  const unitPnl = new Float64Array(keys.length * S);
  const pricer = new OptionScenarioPricer(S);
  // Per asset, once: forward moves e^{r} and vol factors e^{Δln σ}, shared by all its options.
  const moves: ForwardMoves[] = assets.map((_, c) => logForwardMoves(set.returns, S, A, c));
  const volFactor = assets.map((_, c) =>
    Float64Array.from({ length: S }, (_, s) => Math.exp(set.volMoves[s * A + c]!)),
  );
  keys.forEach((key, row) => {
    const base = row * S;
    if (key.startsWith('collateral:')) {
      const a = key.slice('collateral:'.length);
      const c = col.get(a)!;
      const price = market.prices.get(a)!;
      for (let s = 0; s < S; s++) unitPnl[base + s] = price * Math.expm1(set.returns[s * A + c]!);
      return;
    }
    const m = market.instruments.get(key)!;
    const inst = m.instrument;
    const c = col.get(inst.underlying)!;
    if (inst.kind !== 'option') {
      const level = m.markPrice * inst.contractSize;
      for (let s = 0; s < S; s++) unitPnl[base + s] = level * Math.expm1(set.returns[s * A + c]!);
      return;
    }
    const x = OptionScenarioPricer.inputsOf(m);
    const vf = volFactor[c]!;
    for (let s = 0; s < S; s++) pricer.vol[s] = x.vol * vf[s]!;
    pricer.revalue(m, moves[c]!, unitPnl, base);
  });
  return { nScenarios: S, keys, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
