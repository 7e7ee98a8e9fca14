import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initStablePrice, STABLE_PRICE_DEFAULTS, updateStablePrice } from './stable-price.js';

const RUNS = { seed: 9_001, numRuns: 200 };
const P = STABLE_PRICE_DEFAULTS;
const T0 = Date.UTC(2025, 0, 1);
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A path of (elapsed ms, oracle price) steps, from seconds to hours apart, prices from 1 to 1e5. */
const path = fc.array(fc.record({ dtMs: fc.integer({ min: 0, max: 3 * 3_600_000 }), oracle: num(1, 1e5) }), {
  minLength: 1,
  maxLength: 60,
});

describe('stable price properties', () => {
  it('each update moves S by at most S·growthLimitPerSec·Δt, toward the oracle, never past it', () => {
    fc.assert(
      fc.property(num(1, 1e5), path, (p0, steps) => {
        let s = initStablePrice(p0, T0, P);
        let t = T0;
        for (const { dtMs, oracle } of steps) {
          t += dtMs;
          const next = updateStablePrice(s, oracle, t, P);
          const prev = s.stablePrice;
          const moved = Math.abs(next.stablePrice - prev);
          expect(moved).toBeLessThanOrEqual(prev * P.growthLimitPerSec * (dtMs / 1000) + prev * 1e-14);
          expect(next.stablePrice).toBeGreaterThanOrEqual(Math.min(prev, oracle));
          expect(next.stablePrice).toBeLessThanOrEqual(Math.max(prev, oracle));
          expect(next.stablePrice).toBeGreaterThan(0);
          expect(next.delayPrices).toHaveLength(P.delayIntervals);
          s = next;
        }
      }),
      RUNS,
    );
  });

  it('delay entries move at most delayGrowthLimit per interval', () => {
    fc.assert(
      fc.property(num(1, 1e5), path, (p0, steps) => {
        let s = initStablePrice(p0, T0, P);
        let t = T0;
        for (const { dtMs, oracle } of steps) {
          t += dtMs;
          s = updateStablePrice(s, oracle, t, P);
          for (let i = 1; i < s.delayPrices.length; i++) {
            const ratio = s.delayPrices[i]! / s.delayPrices[i - 1]!;
            expect(ratio).toBeLessThanOrEqual((1 + P.delayGrowthLimit) * (1 + 1e-12));
            expect(ratio).toBeGreaterThanOrEqual((1 - P.delayGrowthLimit) * (1 - 1e-12));
          }
        }
      }),
      RUNS,
    );
  });

  it('after any history, a constant oracle is reached exactly', () => {
    fc.assert(
      fc.property(num(1, 1e5), path, num(10, 1e4), (p0, steps, target) => {
        let s = initStablePrice(p0, T0, P);
        let t = T0;
        for (const { dtMs, oracle } of steps) {
          t += dtMs;
          s = updateStablePrice(s, oracle, t, P);
        }
        // hourly updates: the slow limit alone moves ≥ 6%/h, enough for any ratio up to 1e5 in 10 days
        for (let h = 0; h < 240 && s.stablePrice !== target; h++) {
          t += 3_600_000;
          s = updateStablePrice(s, target, t, P);
        }
        expect(s.stablePrice).toBe(target);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});
