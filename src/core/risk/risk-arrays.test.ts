import { describe, expect, it } from 'vitest';
import { buildRiskArrays } from './risk-arrays.js';
import { buildGridScenarios, evenMoves } from '../scenarios/grid.js';
import { shockVol } from '../scenarios/vol-shock.js';
import { priceBlack76 } from '../pricing/black76.js';
import { smallMarket } from '../../../test/support/margin-fixtures.js';

const volShock = {
  up: 0.5,
  down: 0.3,
  pivotDays: 30,
  shortPower: 0.3,
  longPower: 0.13,
  minDays: 1,
  minShockedVol: 0.4,
};

describe('risk arrays', () => {
  const market = smallMarket();
  const scenarios = buildGridScenarios({
    spotMoves: evenMoves(0.12, 5),
    extendedMoves: [2],
    extendedWeight: 0.16,
    skew: undefined,
  });
  const a = buildRiskArrays(market, 'BTC', scenarios, { volShock, skew: undefined });

  it('rows: the collateral asset and every BTC instrument', () => {
    expect(a.keys).toEqual(['collateral:BTC', 'BTC-PERP', 'BTC-F30', 'BTC-C66', 'BTC-P54', 'BTC-C60']);
    expect(a.unitPnl.length).toBe(a.keys.length * scenarios.length);
  });

  it('linear rows: price × move × weight', () => {
    scenarios.forEach((s, j) => {
      expect(a.unitPnl[a.rowOf.get('collateral:BTC')! * a.nScenarios + j]).toBeCloseTo(
        60_000 * s.spotMove * s.weight,
        9,
      );
      expect(a.unitPnl[a.rowOf.get('BTC-F30')! * a.nScenarios + j]).toBeCloseTo(
        60_300 * s.spotMove * s.weight,
        9,
      );
    });
  });

  it('option rows: full Black-76 revaluation, computed independently here with the scalar pricer', () => {
    const m = market.instruments.get('BTC-C66')!;
    const base = priceBlack76({
      type: 'call',
      forward: m.forward!,
      strike: 66_000,
      tYears: m.tYears!,
      vol: m.vol!,
    });
    scenarios.forEach((s, j) => {
      const shocked = priceBlack76({
        type: 'call',
        forward: m.forward! * (1 + s.spotMove),
        strike: 66_000,
        tYears: m.tYears!,
        vol: shockVol(m.vol!, m.tYears!, s.vol, volShock),
      });
      expect(a.unitPnl[a.rowOf.get('BTC-C66')! * a.nScenarios + j]).toBeCloseTo(
        (shocked - base) * s.weight,
        8,
      );
    });
  });

  it('the zero scenario (0%, vol unchanged) has zero P&L in every row', () => {
    const j = scenarios.findIndex((s) => s.spotMove === 0 && s.vol === 'none');
    for (let r = 0; r < a.keys.length; r++) expect(a.unitPnl[r * a.nScenarios + j]).toBe(0);
  });
});
