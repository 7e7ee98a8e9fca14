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
import { OptionScenarioPricer, type PricedRow } from './option-scenario-pricer.js';
import { logForwardMoves, type ForwardMoves } from '../pricing/black76-scenarios.js';

/** One asset's distinct scenario moves: scatter[s] is scenario s's column among n. */
interface DistinctMoves {
  readonly n: number;
  readonly scatter: Int32Array;
  readonly moves: ForwardMoves;
  readonly volFactor: Float64Array;
}

function distinctMoves(set: ScenarioSet, A: number, c: number): DistinctMoves {
  const S = set.nScenarios;
  const scatter = new Int32Array(S);
  const byReturn = new Map<number, Map<number, number>>();
  const r: number[] = [];
  const v: number[] = [];
  for (let s = 0; s < S; s++) {
    const ret = set.returns[s * A + c]!;
    const dv = set.volMoves[s * A + c]!;
    let byVol = byReturn.get(ret);
    if (!byVol) byReturn.set(ret, (byVol = new Map()));
    let j = byVol.get(dv);
    if (j === undefined) {
      byVol.set(dv, (j = r.length));
      r.push(ret);
      v.push(dv);
    }
    scatter[s] = j;
  }
  return {
    n: r.length,
    scatter,
    moves: logForwardMoves(r, r.length),
    volFactor: Float64Array.from(v, (x) => Math.exp(x)),
  };
}

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
  // Per asset, once: the distinct (return, vol move) pairs of its scenarios (stressed sets repeat
  // windows), their forward moves e^{r} and vol factors e^{Δln σ}, shared by all its options.
  const distinct = assets.map((_, c) => distinctMoves(set, A, c));
  const pricer = new OptionScenarioPricer(Math.max(0, ...distinct.map((d) => d.n)));
  const options: PricedRow[][] = assets.map(() => []);
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
    if (inst.kind === 'option') {
      options[c]!.push({ m, base });
      return;
    }
    const level = m.markPrice * inst.contractSize;
    for (let s = 0; s < S; s++) unitPnl[base + s] = level * Math.expm1(set.returns[s * A + c]!);
  });
  options.forEach((rows, c) => {
    const d = distinct[c]!;
    for (const group of OptionScenarioPricer.group(rows)) {
      const sigma = OptionScenarioPricer.inputsOf(group[0]!.m).vol;
      for (let j = 0; j < d.n; j++) pricer.vol[j] = sigma * d.volFactor[j]!;
      pricer.revalue(group, d.moves, d.n, unitPnl, undefined, d.scatter);
    }
  });
  return { nScenarios: S, keys, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
