import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDepthCurve, type BookLevel } from '../market/depth-curve.js';
import { computeDynamicHaircut, limitHaircutStep } from './dynamic-haircut.js';
import { DEFAULT_DYNAMIC_HAIRCUT_PARAMS as P } from './dynamic-haircut-params.js';
import { computeLiquidityCostFraction } from './liquidity-cost.js';

const RUNS = { seed: 515_151, numRuns: 300 };
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const asset = fc.constantFrom('BTC', 'ETH', 'SOL', 'XYZ');
const rise = fc.constantFrom<'phased' | 'immediate'>('phased', 'immediate');

describe('dynamic haircut properties', () => {
  it('is non-decreasing in volatility, per side, with IM ≥ MM', () => {
    fc.assert(
      fc.property(
        asset,
        num(0, 0.05),
        num(0, 0.05),
        num(0, 1e10),
        num(1e6, 1e11),
        (a, v1, v2, value, adv) => {
          const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
          const r1 = computeDynamicHaircut({ asset: a, hourlyVol: lo, valueUsd: value, advUsd: adv }, P);
          const r2 = computeDynamicHaircut({ asset: a, hourlyVol: hi, valueUsd: value, advUsd: adv }, P);
          expect(r2.im.haircut).toBeGreaterThanOrEqual(r1.im.haircut);
          expect(r2.mm.haircut).toBeGreaterThanOrEqual(r1.mm.haircut);
          for (const r of [r1, r2]) {
            expect(r.im.haircut).toBeGreaterThanOrEqual(r.mm.haircut);
            expect(r.mm.haircut).toBeGreaterThanOrEqual(0);
            expect(r.im.haircut).toBeLessThanOrEqual(1);
          }
        },
      ),
      RUNS,
    );
  });

  it('is non-decreasing in the held value', () => {
    fc.assert(
      fc.property(asset, num(0, 0.05), num(0, 1e10), num(0, 1e10), num(1e6, 1e11), (a, vol, x1, x2, adv) => {
        const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
        const r1 = computeDynamicHaircut({ asset: a, hourlyVol: vol, valueUsd: lo, advUsd: adv }, P);
        const r2 = computeDynamicHaircut({ asset: a, hourlyVol: vol, valueUsd: hi, advUsd: adv }, P);
        expect(r2.im.haircut).toBeGreaterThanOrEqual(r1.im.haircut);
        expect(r2.mm.haircut).toBeGreaterThanOrEqual(r1.mm.haircut);
      }),
      RUNS,
    );
  });

  it('liquidity part is non-decreasing in size: sqrt model', () => {
    fc.assert(
      fc.property(
        num(0, 0.01),
        num(0, 2),
        num(1e5, 1e11),
        num(0, 1e11),
        num(0, 1e11),
        (hs, k, adv, x1, x2) => {
          const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
          const a = { halfSpread: hs, impactCoefficient: k, advUsd: adv };
          const c1 = computeLiquidityCostFraction(lo, a).costFraction;
          const c2 = computeLiquidityCostFraction(hi, a).costFraction;
          expect(c2).toBeGreaterThanOrEqual(c1);
          expect(c2).toBeLessThanOrEqual(1);
        },
      ),
      RUNS,
    );
  });

  it('liquidity part is non-decreasing in size: order book with a penalty beyond depth', () => {
    const levels = fc.array(fc.tuple(num(0.0001, 0.05), num(0.01, 10)), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(levels, num(0, 1), num(0, 2000), num(0, 2000), (lv, penalty, x1, x2) => {
        const bids: BookLevel[] = [];
        let p = 99;
        for (const [step, qty] of lv) {
          bids.push({ price: p, qty });
          p *= 1 - step;
        }
        const curve = createDepthCurve({
          kind: 'book',
          asset: 'BTC',
          bids,
          asks: [{ price: 101, qty: 1 }],
          beyondDepth: { kind: 'penalty', penalty },
        });
        const a = { halfSpread: 0, impactCoefficient: 0, advUsd: 1 };
        const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
        const c1 = computeLiquidityCostFraction(lo, a, curve).costFraction;
        const c2 = computeLiquidityCostFraction(hi, a, curve).costFraction;
        expect(c2).toBeGreaterThanOrEqual(c1 - 1e-12);
      }),
      RUNS,
    );
  });

  it('speed limit: |h − prev| ≤ maxStep when phased; falls limited either way; IM ≥ MM kept', () => {
    fc.assert(
      fc.property(
        num(0, 0.05),
        num(0, 1e10),
        num(0, 1),
        num(0, 1),
        num(0.001, 0.2),
        rise,
        (vol, value, p1, p2, maxStep, mode) => {
          const prev = { im: Math.max(p1, p2), mm: Math.min(p1, p2) };
          const params = { ...P, maxStep, rise: mode };
          const r = computeDynamicHaircut(
            { asset: 'ETH', hourlyVol: vol, valueUsd: value, previous: prev },
            params,
          );
          for (const [h, q] of [
            [r.im.haircut, prev.im],
            [r.mm.haircut, prev.mm],
          ] as const) {
            expect(h).toBeGreaterThanOrEqual(q - maxStep - 1e-15);
            if (mode === 'phased') expect(h).toBeLessThanOrEqual(q + maxStep + 1e-15);
          }
          expect(r.im.haircut).toBeGreaterThanOrEqual(r.mm.haircut);
        },
      ),
      RUNS,
    );
  });

  it('speed limit is monotone in target and previous (why IM ≥ MM survives it)', () => {
    fc.assert(
      fc.property(
        num(0, 1),
        num(0, 1),
        num(0, 1),
        num(0, 1),
        num(0.001, 0.5),
        rise,
        (t1, t2, q1, q2, s, mode) => {
          const [tl, th] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const [ql, qh] = q1 <= q2 ? [q1, q2] : [q2, q1];
          expect(limitHaircutStep(th, qh, s, mode)).toBeGreaterThanOrEqual(limitHaircutStep(tl, ql, s, mode));
        },
      ),
      RUNS,
    );
  });
});
