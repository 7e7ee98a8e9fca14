import { describe, expect, it } from 'vitest';
import { shockVol, volTermMultiplier } from './vol-shock.js';
import { buildGridScenarios, evenMoves, skewVol } from './grid.js';

// Derive PMRM_2 shape (ANCHORS §2.2): m = (30/DTE)^(DTE ≤ 30 ? 0.30 : 0.13), up 1 + 0.5m (min 40%), down max(0, 1 − 0.3m).
const derive = {
  up: 0.5,
  down: 0.3,
  pivotDays: 30,
  shortPower: 0.3,
  longPower: 0.13,
  minDays: 1,
  minShockedVol: 0.4,
};

describe('term-scaled vol shocks', () => {
  it.each([
    [7, (30 / 7) ** 0.3],
    [30, 1],
    [90, (30 / 90) ** 0.13],
    [0.2, 30 ** 0.3], // below the 1-day floor
  ])('m(%f days) = formula', (days, m) => {
    expect(volTermMultiplier(days / 365, derive)).toBeCloseTo(m, 12);
  });
  it('up/down at 30 days: σ·1.5 and σ·0.7; up floored at 40%', () => {
    expect(shockVol(0.6, 30 / 365, 'up', derive)).toBeCloseTo(0.9, 12);
    expect(shockVol(0.6, 30 / 365, 'down', derive)).toBeCloseTo(0.42, 12);
    expect(shockVol(0.2, 30 / 365, 'up', derive)).toBe(0.4);
    expect(shockVol(0.6, 1 / 365, 'down', derive)).toBeCloseTo(0.6 * (1 - 0.3 * 30 ** 0.3), 12); // DTE floor 1 day
    expect(shockVol(0.6, 1 / 365, 'down', { ...derive, down: 0.5 })).toBe(0); // 1 − 0.5·30^0.3 < 0: floored at 0
  });
});

describe('grids', () => {
  it('evenMoves: ±16% in 9 buckets is the Deribit grid', () => {
    expect(evenMoves(0.16, 9).map((m) => Math.round(m * 100))).toEqual([-16, -12, -8, -4, 0, 4, 8, 12, 16]);
  });
  it('core × 3 vols, extended vol-up only with weight c/|move|, two skew rotations', () => {
    const s = buildGridScenarios({
      spotMoves: evenMoves(0.1, 3),
      extendedMoves: [-0.5, 2],
      extendedWeight: 0.1386,
      skew: { cap: 0.1, kScale: 2, kMin: 0.01 },
    });
    expect(s).toHaveLength(3 * 3 + 2 + 2);
    expect(s.find((x) => x.id === 'ext-50%/up')!.weight).toBeCloseTo(0.1386 / 0.5, 12);
    expect(s.find((x) => x.id === 'ext+200%/up')!.weight).toBeCloseTo(0.1386 / 2, 12);
    expect(new Set(s.map((x) => x.id)).size).toBe(s.length);
  });
  it('rejects a move of −100% or worse, naming it', () => {
    expect(() =>
      buildGridScenarios({ spotMoves: [-1], extendedMoves: [], extendedWeight: 1, skew: undefined }),
    ).toThrow('spotMoves[0] must be finite and > -1; got -1');
  });
  it('skew rotation: put wing up, call wing down, ATM unchanged, capped', () => {
    const p = { cap: 0.15, kScale: 2.4, kMin: 0.01 };
    expect(skewVol(0.5, 100, 100, 0.25, 1, p)).toBe(0.5);
    // k* = √0.25·2.4 = 1.2; K = 50: ln(0.5)/1.2 = −0.578 → σ·(1 + 0.15·0.578)
    expect(skewVol(0.5, 50, 100, 0.25, 1, p)).toBeCloseTo(0.5 * (1 + (0.15 * Math.log(2)) / 1.2), 12);
    expect(skewVol(0.5, 20, 100, 0.25, 1, p)).toBeCloseTo(0.5 * 1.15, 12); // |ln 0.2|/1.2 > 1: capped at +15%
    expect(skewVol(0.5, 500, 100, 0.25, 1, p)).toBeCloseTo(0.5 * 0.85, 12);
    expect(skewVol(0.5, 500, 100, 0.25, -1, p)).toBeCloseTo(0.5 * 1.15, 12);
  });
});
