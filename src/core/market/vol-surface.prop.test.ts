import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approxEqual } from '../numeric/tolerances.js';
import { MS_PER_DAY, yearFraction } from '../numeric/year-fraction.js';
import { sviMinTotalVariance, sviTotalVariance, type SviParams } from './svi.js';
import { createVolSurface, volFor } from './vol-surface.js';

const RUNS = { seed: 20_250_101, numRuns: 300 };
const T0 = Date.UTC(2025, 0, 1);
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Valid raw SVI parameters: a ≥ −b·σ·√(1 − ρ²) so that min w ≥ 0. */
const sviParams: fc.Arbitrary<SviParams> = fc
  .record({ b: num(0, 2), rho: num(-0.99, 0.99), m: num(-1, 1), sigma: num(0.001, 2), lift: num(0, 0.5) })
  .map(({ b, rho, m, sigma, lift }) => ({
    a: -b * sigma * Math.sqrt(1 - rho * rho) + lift,
    b,
    rho,
    m,
    sigma,
  }));

describe('SVI properties', () => {
  it('w(k) ≥ 0 and ≥ its documented minimum for valid parameters', () => {
    fc.assert(
      fc.property(sviParams, num(-5, 5), (p, k) => {
        const w = sviTotalVariance(p, k);
        expect(w).toBeGreaterThanOrEqual(0);
        // min w = a + bσ√(1−ρ²); allow float rounding of a sum of O(1) terms
        expect(w).toBeGreaterThanOrEqual(sviMinTotalVariance(p) - 1e-12);
      }),
      RUNS,
    );
  });

  it('w(m) = a + b·σ', () => {
    fc.assert(
      fc.property(sviParams, (p) => {
        expect(approxEqual(sviTotalVariance(p, p.m), p.a + p.b * p.sigma, { abs: 1e-12, rel: 1e-12 })).toBe(
          true,
        );
      }),
      RUNS,
    );
  });

  it('ρ = 0 gives a smile symmetric around m', () => {
    fc.assert(
      fc.property(sviParams, num(0, 3), (p0, x) => {
        const p = { ...p0, rho: 0, a: Math.max(p0.a, 0) };
        expect(
          approxEqual(sviTotalVariance(p, p.m + x), sviTotalVariance(p, p.m - x), { abs: 1e-12, rel: 1e-12 }),
        ).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('smile properties', () => {
  const smile = fc.uniqueArray(fc.record({ strike: num(1, 1e6), vol: num(0, 3) }), {
    minLength: 1,
    maxLength: 12,
    selector: (p) => p.strike,
  });

  it('reproduces nodes and stays within [min, max] of node vols', () => {
    fc.assert(
      fc.property(smile, num(0.5, 2e6), (points, strike) => {
        const expiryMs = T0 + 30 * MS_PER_DAY;
        const s = createVolSurface({ underlying: 'X', slices: [{ expiryMs, kind: 'smile', points }] });
        const q = { forward: 100, expiryMs, valuationMs: T0 };
        for (const p of points) expect(volFor(s, { ...q, strike: p.strike })).toBe(p.vol);
        const v = volFor(s, { ...q, strike });
        const vols = points.map((p) => p.vol);
        expect(v).toBeGreaterThanOrEqual(Math.min(...vols) - 1e-15);
        expect(v).toBeLessThanOrEqual(Math.max(...vols) + 1e-15);
      }),
      RUNS,
    );
  });
});

describe('total-variance interpolation across expiries', () => {
  it('interpolated total variance lies between the bracketing slices', () => {
    fc.assert(
      fc.property(num(0, 3), num(0, 3), fc.integer({ min: 11, max: 89 }), (v1, v2, day) => {
        const e1 = T0 + 10 * MS_PER_DAY;
        const e2 = T0 + 90 * MS_PER_DAY;
        const e = T0 + day * MS_PER_DAY;
        const s = createVolSurface({
          underlying: 'X',
          expiryInterpolation: 'totalVariance',
          slices: [
            { expiryMs: e1, kind: 'flat', vol: v1 },
            { expiryMs: e2, kind: 'flat', vol: v2 },
          ],
        });
        const t = yearFraction(T0, e);
        const w = volFor(s, { strike: 100, forward: 100, expiryMs: e, valuationMs: T0 }) ** 2 * t;
        const w1 = v1 * v1 * yearFraction(T0, e1);
        const w2 = v2 * v2 * yearFraction(T0, e2);
        expect(w).toBeGreaterThanOrEqual(Math.min(w1, w2) * (1 - 1e-12) - 1e-15);
        expect(w).toBeLessThanOrEqual(Math.max(w1, w2) * (1 + 1e-12) + 1e-15);
      }),
      RUNS,
    );
  });
});
