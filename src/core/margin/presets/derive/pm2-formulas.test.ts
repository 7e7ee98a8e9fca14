import { describe, expect, it } from 'vitest';
import {
  basisFactor,
  PIVOT_SECONDS,
  shockedForward,
  skewMultiplier,
  skewShape,
  staticDiscounts,
  volShockMultipliers,
} from './pm2-formulas.js';
import { DEFAULT_DERIVE_PM2_PARAMS as D } from './pm2-params.js';

const DAY = 86_400;

describe('volShockMultipliers: m = (30d / max(DTE, floor))^(DTE ≤ 30d ? 0.30 : 0.13)', () => {
  const cases: [string, number, number][] = [
    // [name, DTE in seconds, m written out]
    ['DTE 7 days: short-term power', 7 * DAY, (30 / 7) ** 0.3],
    ['DTE 30 days: pivot, m = 1', 30 * DAY, 1],
    ['DTE 90 days: long-term power', 90 * DAY, (30 / 90) ** 0.13],
    ['DTE 12 hours: floored at 1 day', 0.5 * DAY, 30 ** 0.3],
    ['DTE 0 (expiring): floored at 1 day', 0, 30 ** 0.3],
  ];
  for (const [name, sec, m] of cases) {
    it(name, () => {
      const s = volShockMultipliers(sec, D.volShock);
      expect(s.m).toBeCloseTo(m, 14);
      expect(s.up).toBeCloseTo(1 + 0.5 * m, 14); // volUp = 1 + 0.5·m
      expect(s.down).toBeCloseTo(Math.max(0, 1 - 0.3 * m), 14); // volDown = max(0, 1 − 0.3·m)
    });
  }
  it('the pivot is exactly 30 days, and DTE = 30 days still uses the short-term power', () => {
    expect(PIVOT_SECONDS).toBe(30 * DAY);
    const p = { ...D.volShock, shortTermPower: 1, longTermPower: 5 };
    expect(volShockMultipliers(15 * DAY, p).m).toBeCloseTo(2, 14); // (30/15)^1
  });
  it('volDown floors at 0 when volRangeDown·m > 1', () => {
    expect(volShockMultipliers(DAY, { ...D.volShock, volRangeDown: 2 }).down).toBe(0);
  });
});

describe('default scenario grid (ANCHORS §2.2)', () => {
  const tails = D.scenarios.filter(
    (s) => s.volShock === 'up' && Math.abs(s.spotShock - 1) > 0.2 && s.spotShock !== 0.82,
  );
  it('33 scenarios: 23 core, 8 dampened tails, one linear and one abs skew', () => {
    expect(D.scenarios).toHaveLength(33);
    expect(tails).toHaveLength(8);
    expect(D.scenarios.filter((s) => s.volShock === 'linear')).toHaveLength(1);
    expect(D.scenarios.filter((s) => s.volShock === 'abs')).toHaveLength(1);
    expect(D.scenarios.filter((s) => s.dampening === 1)).toHaveLength(25);
  });
  it('tail dampening d = 0.1386/|S − 1| (published to 4 significant digits)', () => {
    for (const s of tails) expect(s.dampening).toBeCloseTo(0.1386 / Math.abs(s.spotShock - 1), 4);
  });
  it('core spot moves are ±4.5%, ±9%, ±13.5% × up/none/down, and ±18% vol up', () => {
    const core = D.scenarios.filter(
      (s) => s.dampening === 1 && s.volShock !== 'linear' && s.volShock !== 'abs',
    );
    const moves = [...new Set(core.map((s) => Math.round((s.spotShock - 1) * 1000) / 1000))].sort(
      (a, b) => a - b,
    );
    expect(moves).toEqual([-0.18, -0.135, -0.09, -0.045, 0, 0.045, 0.09, 0.135, 0.18]);
  });
});

describe('staticDiscounts', () => {
  const m = {
    ...D.margin,
    longBaseStaticDiscount: 0.95,
    shortBaseStaticDiscount: 1.04,
    longRateMultScale: 1,
    longRateAddScale: 0.08,
    shortRateMultScale: 0.5,
    shortRateAddScale: 0.08,
  };
  it('pos = longBase·e^(−τ(r·mult + add)); neg = min(1/DF, shortBase·e^(τ(r·mult + add)))', () => {
    const t = 0.5;
    const r = 0.05;
    const d = staticDiscounts(t, r, m);
    expect(d.pos).toBeCloseTo(0.95 * Math.exp(-t * (r + 0.08)), 15);
    expect(d.neg).toBeCloseTo(Math.min(Math.exp(r * t), 1.04 * Math.exp(t * (0.5 * r + 0.08))), 15);
    expect(d.neg).toBeCloseTo(Math.exp(r * t), 15); // here the 1/DF cap binds
  });
  it('without the cap binding (short base below 1)', () => {
    const d = staticDiscounts(0.25, 0.1, { ...m, shortBaseStaticDiscount: 0.9 });
    expect(d.neg).toBeCloseTo(0.9 * Math.exp(0.25 * (0.05 + 0.08)), 15);
  });
});

describe('basis factor, skew multiplier, shocked forward', () => {
  it('basisFactor = add + mult·τ', () => {
    expect(basisFactor(0.25, { ...D.basisContingency, addFactor: 0.5, multFactor: 2 })).toBeCloseTo(1, 15);
  });
  it('skew: 1 at the money, ±cap beyond k*, linear is odd in k and abs is even', () => {
    const shape = skewShape(0.1, 'linear', D.skewShock);
    const sqrtT = Math.sqrt(0.1);
    expect(shape.cap).toBeCloseTo(-0.1 * sqrtT + 0.25, 15); // cap = cBase·√τ + baseCap
    expect(shape.kStar).toBeCloseTo(Math.max(0.01, sqrtT * 4 * 0.6), 15);
    expect(skewMultiplier(100, 100, 'linear', shape)).toBe(1);
    expect(skewMultiplier(1000, 100, 'linear', shape)).toBeCloseTo(1 + shape.cap, 15);
    expect(skewMultiplier(10, 100, 'linear', shape)).toBeCloseTo(1 - shape.cap, 15);
    const k = 0.1; // inside k*: 1 + k·cap/k*
    expect(skewMultiplier(100 * Math.exp(k), 100, 'linear', shape)).toBeCloseTo(
      1 + (k * shape.cap) / shape.kStar,
      14,
    );
    expect(skewMultiplier(100 * Math.exp(-k), 100, 'abs', shape)).toBeCloseTo(
      1 + (k * shape.cap) / shape.kStar,
      14,
    );
  });
  it('shocked forward: F·S outside the settlement window, part fixed inside it', () => {
    expect(shockedForward(2000, 3600, 1800, 1.1)).toBeCloseTo(2200, 12);
    expect(shockedForward(2000, 900, 1800, 1.1)).toBeCloseTo(1000 * 1.1 + 1000, 12); // half accrued
    expect(shockedForward(2000, 900, 0, 1.1)).toBeCloseTo(2200, 12); // window disabled
  });
});
