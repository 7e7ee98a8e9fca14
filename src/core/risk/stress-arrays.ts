/**
 * Joint stress arrays: the P&L of one unit of every instrument and every non-stable asset under
 * each named stress (scenarios/stress.ts), all underlyings moving together. Layout as risk arrays:
 * `unitPnl[row * nStresses + k]`. Options are repriced at F·(1 + move) and σ·volMultiplier.
 */
import { priceBlack76 } from '../pricing/black76.js';
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
  keys.forEach((key, row) => {
    for (let k = 0; k < K; k++) {
      const st = stresses[k]!;
      let pnl: number;
      if (key.startsWith('collateral:')) {
        const asset = key.slice('collateral:'.length);
        pnl = market.prices.get(asset)! * moveOf(st, asset, stableAssets);
      } else {
        const m = market.instruments.get(key)!;
        const inst = m.instrument;
        const move = moveOf(st, inst.underlying, stableAssets);
        if (inst.kind === 'option') {
          const base = { type: inst.optionType, strike: inst.strike, tYears: m.tYears!, rate: m.rate ?? 0 };
          const now = priceBlack76({ ...base, forward: m.forward!, vol: m.vol! });
          pnl =
            (priceBlack76({ ...base, forward: m.forward! * (1 + move), vol: m.vol! * st.volMultiplier }) -
              now) *
            inst.contractSize;
        } else {
          pnl = m.markPrice * move * inst.contractSize;
        }
      }
      unitPnl[row * K + k] = pnl;
    }
  });
  return { stresses, rowOf: new Map(keys.map((k, i) => [k, i])), unitPnl };
}
