/**
 * Joint historical risk arrays: every option row equals an independent scalar revaluation,
 * (B76(F·e^{r}, K, t, σ·e^{Δln σ}) − B76(F, K, t, σ))·contractSize, whether scenarios repeat
 * (priced once, scattered) and whether a call and its put share their inputs (one evaluation).
 */
import { describe, expect, it } from 'vitest';
import { buildJointRiskArrays } from './historical-risk-arrays.js';
import { buildRiskArrays } from './risk-arrays.js';
import { priceBlack76 } from '../pricing/black76.js';
import { smallMarket, smallMarketDoc } from '../../../test/support/margin-fixtures.js';
import { buildGridScenarios, evenMoves } from '../scenarios/grid.js';
import { DEFAULT_PORTFOLIO_PARAMS } from '../margin/portfolio-params.js';

const doc = smallMarketDoc();
// A put on the call's inputs (same strike, expiry and vol): the pair shares one evaluation.
const market = smallMarket({
  instruments: [
    ...doc.instruments,
    { ...doc.instruments.find((i) => i.id === 'BTC-C66')!, id: 'BTC-P66', optionType: 'put' },
  ],
});

// BTC and ETH; scenarios 3 and 4 repeat 0 and 1 exactly (as stressed sets repeat windows).
const pairs = [
  [0.05, -0.02, 0.1, 0.03],
  [-0.12, 0.3, -0.2, 0.4],
  [0, 0, 0, 0],
  [0.05, -0.02, 0.1, 0.03],
  [-0.12, 0.3, -0.2, 0.4],
  [0.4, -0.25, 0.01, 0],
];
const set = {
  nScenarios: pairs.length,
  returns: Float64Array.from(pairs.flatMap((p) => [p[0]!, p[2]!])),
  volMoves: Float64Array.from(pairs.flatMap((p) => [p[1]!, p[3]!])),
  endTimesMs: new Float64Array(pairs.length),
};

describe('joint historical risk arrays', () => {
  const a = buildJointRiskArrays(market, ['BTC', 'ETH'], set);

  it('option rows equal the scalar pricer, scenario by scenario', () => {
    for (const id of ['BTC-C66', 'BTC-P66', 'BTC-P54', 'BTC-C60']) {
      const m = market.instruments.get(id)!;
      const inst = m.instrument;
      if (inst.kind !== 'option') throw new Error('fixture');
      const args = { type: inst.optionType, strike: inst.strike, tYears: m.tYears!, rate: m.rate ?? 0 };
      const now = priceBlack76({ ...args, forward: m.forward!, vol: m.vol! });
      for (let s = 0; s < set.nScenarios; s++) {
        const shocked = priceBlack76({
          ...args,
          forward: m.forward! * Math.exp(set.returns[s * 2]!),
          vol: m.vol! * Math.exp(set.volMoves[s * 2]!),
        });
        const got = a.unitPnl[a.rowOf.get(id)! * set.nScenarios + s]!;
        expect(Math.abs(got - (shocked - now) * inst.contractSize), `${id} s=${s}`).toBeLessThan(1e-9);
      }
    }
  });

  it('repeated scenarios have identical rows; the zero scenario is exactly 0; put-call parity holds', () => {
    for (const key of a.keys) {
      const r = a.rowOf.get(key)! * set.nScenarios;
      expect(a.unitPnl[r + 3]).toBe(a.unitPnl[r + 0]);
      expect(a.unitPnl[r + 4]).toBe(a.unitPnl[r + 1]);
      expect(a.unitPnl[r + 2]).toBe(0);
    }
    // C − P moves like the forward, discounted: Δ(C − P) = e^{−rt}·F·(e^{r} − 1).
    const m = market.instruments.get('BTC-C66')!;
    const df = Math.exp(-(m.rate ?? 0) * m.tYears!);
    for (let s = 0; s < set.nScenarios; s++) {
      const c = a.unitPnl[a.rowOf.get('BTC-C66')! * set.nScenarios + s]!;
      const p = a.unitPnl[a.rowOf.get('BTC-P66')! * set.nScenarios + s]!;
      expect(c - p).toBeCloseTo(df * m.forward! * Math.expm1(set.returns[s * 2]!), 8);
    }
  });

  it('grid arrays: a call and its put (shared evaluation) keep put-call parity in every scenario', () => {
    const scenarios = buildGridScenarios({
      spotMoves: evenMoves(0.15, 7),
      extendedMoves: [-0.5, 2],
      extendedWeight: 0.16,
      skew: { cap: 0.15, kScale: 2.4, kMin: 0.01 },
    });
    const g = buildRiskArrays(market, 'BTC', scenarios, {
      volShock: DEFAULT_PORTFOLIO_PARAMS.volShock,
      skew: { cap: 0.15, kScale: 2.4, kMin: 0.01 },
    });
    const m = market.instruments.get('BTC-C66')!;
    const df = Math.exp(-(m.rate ?? 0) * m.tYears!);
    scenarios.forEach((sc, s) => {
      const c = g.unitPnl[g.rowOf.get('BTC-C66')! * g.nScenarios + s]!;
      const p = g.unitPnl[g.rowOf.get('BTC-P66')! * g.nScenarios + s]!;
      expect(c - p).toBeCloseTo(df * m.forward! * sc.spotMove * sc.weight, 8);
    });
  });
});
