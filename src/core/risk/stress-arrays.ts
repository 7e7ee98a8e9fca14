/**
 * Joint stress arrays: the P&L of one unit of every instrument and every non-stable asset under
 * each named stress (scenarios/stress.ts), all underlyings moving together. Layout as risk arrays:
 * `unitPnl[row * nStresses + k]`. Options are repriced at F·(1 + move) and σ·volMultiplier by the
 * scenario kernel (pricing/black76-scenarios.ts), against its own unshocked price.
 */
import {
  priceBlack76Kernel,
  relativeForwardMoves,
  repriceBlack76Scenarios,
  type ForwardMoves,
} from '../pricing/black76-scenarios.js';
import type { StressScenario } from '../scenarios/stress.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import { collateralKey } from './risk-arrays.js';

export interface StressArrays {
  readonly stresses: readonly StressScenario[];
  readonly rowOf: ReadonlyMap<string, number>;
  readonly unitPnl: Float64Array;
}

function moveOf(s: StressScenario, asset: string, stable: ReadonlySet<string>): number {
  if (stable.has(asset)) return 0;
  return s.moves[asset] ?? s.otherMove;
}

/** Builds stress arrays for every instrument and priced asset of the market. */
export function buildStressArrays(
  market: MarginMarket,
  stresses: readonly StressScenario[],
  stableAssets: ReadonlySet<string>,
): StressArrays {
  const K = stresses.length;
  const keys = [...[...market.prices.keys()].map(collateralKey), ...market.instruments.keys()];
  const unitPnl = new Float64Array(keys.length * K);
  // Per underlying, once: each stress's forward move (scenario kernel, pricing/black76-scenarios.ts).
  const movesOf = new Map<string, ForwardMoves>();
  const vol = new Float64Array(K);
  const shocked = new Float64Array(K);
  keys.forEach((key, row) => {
    if (key.startsWith('collateral:')) {
      const asset = key.slice('collateral:'.length);
      const price = market.prices.get(asset)!;
      for (let k = 0; k < K; k++) unitPnl[row * K + k] = price * moveOf(stresses[k]!, asset, stableAssets);
      return;
    }
    const m = market.instruments.get(key)!;
    const inst = m.instrument;
    if (inst.kind !== 'option') {
      for (let k = 0; k < K; k++)
        unitPnl[row * K + k] =
          m.markPrice * moveOf(stresses[k]!, inst.underlying, stableAssets) * inst.contractSize;
      return;
    }
    let moves = movesOf.get(inst.underlying);
    if (!moves) {
      moves = relativeForwardMoves(stresses.map((st) => moveOf(st, inst.underlying, stableAssets)));
      movesOf.set(inst.underlying, moves);
    }
    const o = {
      isCall: inst.optionType === 'call',
      forward: m.forward!,
      strike: inst.strike,
      tYears: m.tYears!,
      rate: m.rate ?? 0,
    };
    const now = priceBlack76Kernel(o, m.vol!);
    for (let k = 0; k < K; k++) vol[k] = m.vol! * stresses[k]!.volMultiplier;
    repriceBlack76Scenarios(o, moves, vol, shocked, 0, K);
    for (let k = 0; k < K; k++) unitPnl[row * K + k] = (shocked[k]! - now) * inst.contractSize;
  });
  return { stresses, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
