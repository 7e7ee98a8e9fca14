/**
 * Properties of Black-76 that follow from the mathematics (STYLE §3.8, pricing):
 * put-call parity, price bounds, monotonicity in F, K and σ, greeks against central
 * finite differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBlack76Greeks, priceBlack76, undiscountedPrice } from './black76.js';
import { normCdf } from '../numeric/normal.js';
import { otmPriceRelativeError } from '../../../test/support/high-precision.js';
import { approxEqual } from '../numeric/tolerances.js';

const option = fc.record({
  forward: fc.double({ min: 1, max: 1e5, noNaN: true }),
  moneyness: fc.double({ min: -1.5, max: 1.5, noNaN: true }), // ln(F/K)
  tYears: fc.double({ min: 1 / 365, max: 5, noNaN: true }),
  vol: fc.double({ min: 0.02, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
});
const toInput = (o: { forward: number; moneyness: number; tYears: number; vol: number; rate: number }) => ({
  forward: o.forward,
  strike: o.forward * Math.exp(-o.moneyness),
  tYears: o.tYears,
  vol: o.vol,
  rate: o.rate,
});
const params = { numRuns: 2000, seed: 20261123 };

describe('Black-76 properties', () => {
  it('put-call parity: C − P = DF·(F − K)', () => {
    fc.assert(
      fc.property(option, (o) => {
        const i = toInput(o);
        const c = priceBlack76({ ...i, type: 'call' });
        const p = priceBlack76({ ...i, type: 'put' });
        const df = Math.exp(-i.rate * i.tYears);
        const scale = df * Math.max(i.forward, i.strike);
        return Math.abs(c - p - df * (i.forward - i.strike)) <= 1e-13 * scale;
      }),
      params,
    );
  });

  it('bounds: DF·max(F−K,0) ≤ C ≤ DF·F and DF·max(K−F,0) ≤ P ≤ DF·K', () => {
    fc.assert(
      fc.property(option, (o) => {
        const i = toInput(o);
        const df = Math.exp(-i.rate * i.tYears);
        const c = priceBlack76({ ...i, type: 'call' });
        const p = priceBlack76({ ...i, type: 'put' });
        const slack = 1e-13 * df * Math.max(i.forward, i.strike);
        return (
          c >= df * Math.max(i.forward - i.strike, 0) - slack &&
          c <= df * i.forward + slack &&
          p >= df * Math.max(i.strike - i.forward, 0) - slack &&
          p <= df * i.strike + slack
        );
      }),
      params,
    );
  });

  it('call increases with F and σ, decreases with K', () => {
    fc.assert(
      fc.property(option, fc.double({ min: 1.001, max: 1.5, noNaN: true }), (o, bump) => {
        const i = toInput(o);
        const c = priceBlack76({ ...i, type: 'call' });
        const upF = priceBlack76({ ...i, type: 'call', forward: i.forward * bump });
        const upVol = priceBlack76({ ...i, type: 'call', vol: i.vol * bump });
        const upK = priceBlack76({ ...i, type: 'call', strike: i.strike * bump });
        return upF >= c && upVol >= c && upK <= c;
      }),
      params,
    );
  });

  it('greeks match central finite differences (on the out-of-the-money twin)', () => {
    // An in-the-money price is intrinsic + time value, computed as a difference of O(K) terms;
    // its second differences would measure rounding, not gamma. Parity (C − P = DF·(F − K))
    // gives the in-the-money greeks from these, and is tested above and in black76.test.ts.
    fc.assert(
      fc.property(option, (o) => {
        const base = toInput(o);
        const i = { ...base, type: base.strike >= base.forward ? ('call' as const) : ('put' as const) };
        const g = computeBlack76Greeks(i);
        // Steps scale with the width of the distribution, s = σ√t, so truncation stays ~1e-6.
        const sd = i.vol * Math.sqrt(i.tYears);
        const hF = 1e-3 * sd * i.forward;
        const hV = 1e-4 * i.vol;
        const hT = 1e-4 * i.tYears;
        const hR = 1e-6;
        const p = (patch: Partial<typeof i>) => priceBlack76({ ...i, ...patch });
        const delta = (p({ forward: i.forward + hF }) - p({ forward: i.forward - hF })) / (2 * hF);
        const gamma =
          (p({ forward: i.forward + hF }) - 2 * g.price + p({ forward: i.forward - hF })) / (hF * hF);
        const vega = (p({ vol: i.vol + hV }) - p({ vol: i.vol - hV })) / (2 * hV);
        const theta = -(p({ tYears: i.tYears + hT }) - p({ tYears: i.tYears - hT })) / (2 * hT);
        const rho = (p({ rate: i.rate + hR }) - p({ rate: i.rate - hR })) / (2 * hR);
        // Tolerances scale with the price level: finite differences of prices of size ~F carry
        // rounding ~1e-16·F/h; each greek is compared with an absolute floor of that size.
        const level = Math.max(i.forward, i.strike);
        const ok = (a: number, b: number, abs: number) => approxEqual(a, b, { abs, rel: 1e-5 });
        expect(ok(g.delta, delta, 1e-9), `delta ${g.delta} vs ${delta}`).toBe(true);
        expect(
          approxEqual(g.gamma, gamma, { abs: 1e-6 / i.forward, rel: 1e-4 }),
          `gamma ${g.gamma} vs ${gamma}`,
        ).toBe(true);
        expect(ok(g.vega, vega, 1e-9 * level), `vega ${g.vega} vs ${vega}`).toBe(true);
        expect(
          ok(g.theta, theta, (1e-8 * level) / Math.min(i.tYears, 1)),
          `theta ${g.theta} vs ${theta}`,
        ).toBe(true);
        expect(ok(g.rho, rho, 1e-8 * level), `rho ${g.rho} vs ${rho}`).toBe(true);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('out-of-the-money prices against a high-precision reference', () => {
  // undiscountedPrice shares one Gaussian factor between N(d1) and N(d2) in the tails
  // (K·e^{−d2²/2} = F·e^{−d1²/2}). Its result is compared with the exact value of the same
  // difference, F·N(d1) − K·N(d2), evaluated in 100+ digit arithmetic (test/support/high-precision.ts).
  it('relative error within the conditioning of the difference, for prices above 1e-290', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 3, noNaN: true }), // |ln F/K|
        fc.double({ min: 1e-3, max: 3, noNaN: true }), // s = σ√t
        fc.boolean(),
        (absX, s, callSide) => {
          const f = 100;
          const k = callSide ? f * Math.exp(absX) : f * Math.exp(-absX); // out of the money
          const a = undiscountedPrice(callSide, f, k, s);
          if (a < 1e-290) return true; // underflow region, covered by the unit tests
          const d1 = Math.log(f / k) / s + s / 2;
          const d2 = d1 - s;
          // A difference of two terms loses log10(terms/price) digits whatever evaluates it, and
          // each term is sensitive to the rounding of d (δ ln N(d) ≈ d·δd, δd ≈ ε·|d|): the
          // identity K·e^{−d2²/2} = F·e^{−d1²/2} holds for the rounded d's only to ~4·d²·ε.
          const terms = callSide ? f * normCdf(d1) : k * normCdf(-d2);
          const rel = otmPriceRelativeError(callSide, f, k, d1, d2, a);
          const dMax = Math.max(Math.abs(d1), Math.abs(d2));
          return rel <= Math.max(1, terms / a) * (1e-14 + 4 * dMax * dMax * Number.EPSILON);
        },
      ),
      { numRuns: 300 },
    );
  });
});
