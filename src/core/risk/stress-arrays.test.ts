/** Stress arrays: option rows equal an independent scalar revaluation under each named stress. */
import { describe, expect, it } from 'vitest';
import { buildStressArrays } from './stress-arrays.js';
import { NAMED_STRESSES } from '../scenarios/stress.js';
import { priceBlack76 } from '../pricing/black76.js';
import { smallMarket } from '../../../test/support/margin-fixtures.js';

describe('stress arrays', () => {
  const market = smallMarket();
  const stable = new Set(['USDC', 'USDT']);
  const a = buildStressArrays(market, NAMED_STRESSES, stable);
  const K = NAMED_STRESSES.length;

  it('options: (B76(F·(1 + move), σ·volMultiplier) − B76(F, σ))·contractSize, scalar pricer', () => {
    for (const id of ['BTC-C66', 'BTC-P54', 'BTC-C60']) {
      const m = market.instruments.get(id)!;
      const inst = m.instrument;
      if (inst.kind !== 'option') throw new Error('fixture');
      const args = { type: inst.optionType, strike: inst.strike, tYears: m.tYears!, rate: m.rate ?? 0 };
      const now = priceBlack76({ ...args, forward: m.forward!, vol: m.vol! });
      NAMED_STRESSES.forEach((st, k) => {
        const move = st.moves.BTC ?? st.otherMove;
        const shocked = priceBlack76({
          ...args,
          forward: m.forward! * (1 + move),
          vol: m.vol! * st.volMultiplier,
        });
        const got = a.unitPnl[a.rowOf.get(id)! * K + k]!;
        expect(Math.abs(got - (shocked - now) * inst.contractSize), `${id} ${st.id}`).toBeLessThan(1e-9);
      });
    }
  });

  it('stable collateral never moves; other assets move by the stress', () => {
    NAMED_STRESSES.forEach((st, k) => {
      expect(a.unitPnl[a.rowOf.get('collateral:USDC')! * K + k]).toBe(0);
      expect(a.unitPnl[a.rowOf.get('collateral:ETH')! * K + k]).toBeCloseTo(
        2_000 * (st.moves.ETH ?? st.otherMove),
        9,
      );
    });
  });
});
