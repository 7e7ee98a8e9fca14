import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBlack76Greeks, priceBlack76 } from './black76.js';
import { impliedVolBlack76 } from './implied-vol.js';
import { TOL } from '../numeric/tolerances.js';

/**
 * Round-trip tolerance from the conditioning of the problem: a price known to relative
 * precision ε (the price's own rounding, ~ε·max(price, intrinsic) absolute) determines σ only
 * to ε·price/vega. The solver must do no worse than that plus 1e-9 relative.
 */
function allowedVolError(vol: number, price: number, intrinsicValue: number, vega: number): number {
  return 1e-9 * vol + (16 * TOL.EPS * Math.max(price, intrinsicValue)) / vega;
}

/**
 * A market price as a venue would quote it: the out-of-the-money option's Black-76 value, plus
 * the discounted intrinsic value for an in-the-money one (put-call parity). Computing an
 * in-the-money price directly as F·N(d1) − K·N(d2) would carry rounding of order ε·F, which
 * is the pricer's precision, not the solver's.
 */
function marketPrice(o: {
  type: 'call' | 'put';
  forward: number;
  strike: number;
  tYears: number;
  vol: number;
  rate: number;
}) {
  const df = Math.exp(-o.rate * o.tYears);
  const otmType = o.strike >= o.forward ? 'call' : 'put';
  const otm = computeBlack76Greeks({ ...o, type: otmType });
  const intrinsicValue = df * Math.max(o.type === 'call' ? o.forward - o.strike : o.strike - o.forward, 0);
  return { price: otm.price + intrinsicValue, intrinsicValue, vega: otm.vega };
}

describe('impliedVolBlack76: round trip over a wide grid', () => {
  const tYears = [1 / (365 * 24), 1 / 365, 7 / 365, 0.1, 0.5, 1, 3, 10];
  const vols = [0.01, 0.05, 0.2, 0.5, 1, 2, 4];
  const moneyness = [-3, -1.5, -0.7, -0.3, -0.1, -0.01, 0, 0.01, 0.1, 0.3, 0.7, 1.5, 3]; // ln(F/K)
  const cases: [string, number, number, number][] = [];
  for (const type of ['call', 'put'])
    for (const t of tYears) for (const v of vols) for (const m of moneyness) cases.push([type, t, v, m]);

  it(`recovers σ for ${cases.length} options with representable time value`, () => {
    let checked = 0;
    for (const [type, t, vol, m] of cases) {
      const forward = 100;
      const strike = forward * Math.exp(-m);
      const o = { type: type as 'call' | 'put', forward, strike, tYears: t, vol, rate: 0.03 };
      const { price, intrinsicValue, vega } = marketPrice(o);
      // Skip options whose time value is lost in the price's rounding: no σ is identifiable.
      if (price - intrinsicValue <= 1e-12 * price || vega === 0) continue;
      const iv = impliedVolBlack76({ ...o, price });
      const err = Math.abs(iv - vol);
      expect(err, `σ=${vol} t=${t} ln(F/K)=${m} ${type}: got ${iv}`).toBeLessThanOrEqual(
        allowedVolError(vol, price, intrinsicValue, vega),
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(1000); // 1,032 of the 1,456 grid points have identifiable time value
  });

  it('property: round trip on random inputs (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 1 / 365, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.constantFrom('call' as const, 'put' as const),
        (m, t, vol, type) => {
          const o = { type, forward: 50_000, strike: 50_000 * Math.exp(-m), tYears: t, vol, rate: 0 };
          const { price, intrinsicValue, vega } = marketPrice(o);
          if (price - intrinsicValue <= 1e-12 * price || vega === 0) return true;
          const iv = impliedVolBlack76({ ...o, price });
          return Math.abs(iv - vol) <= allowedVolError(vol, price, intrinsicValue, vega);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('a price at intrinsic value has zero implied vol', () => {
    expect(
      impliedVolBlack76({
        type: 'call',
        price: 10 * Math.exp(-0.05),
        forward: 110,
        strike: 100,
        tYears: 1,
        rate: 0.05,
      }),
    ).toBe(0);
    expect(impliedVolBlack76({ type: 'put', price: 0, forward: 110, strike: 100, tYears: 1 })).toBe(0);
  });

  it('Haug p. 2 example, inverted: the 65-strike call worth 2.1334 has σ ≈ 0.30', () => {
    // S = 60, r = 8%, q = 0, t = 0.25: F = 60·e^{0.02}. Haug prints the price to 4 decimals,
    // so σ is recovered to about 1e-4 / vega.
    const forward = 60 * Math.exp(0.08 * 0.25);
    const iv = impliedVolBlack76({
      type: 'call',
      price: 2.1334,
      forward,
      strike: 65,
      tYears: 0.25,
      rate: 0.08,
    });
    expect(Math.abs(iv - 0.3)).toBeLessThan(1e-4);
  });
});

describe('impliedVolBlack76: out-of-bounds prices are clear errors', () => {
  const o = { forward: 100, strike: 90, tYears: 1, rate: 0 } as const;
  it.each([
    ['below intrinsic', 'call', 9.5],
    ['at the upper bound DF·F', 'call', 100],
    ['above DF·K for a put', 'put', 95],
    ['negative', 'put', -1],
  ] as const)('%s → ERR_PRICE_OUT_OF_BOUNDS with the bounds in the message', (_name, type, price) => {
    try {
      impliedVolBlack76({ ...o, type, price });
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; message: string; details: Record<string, unknown> };
      expect(err.code).toBe('ERR_PRICE_OUT_OF_BOUNDS');
      expect(err.message).toContain(`got ${price}`);
      expect(err.details.field).toBe('price');
    }
  });

  it('tYears must be > 0', () => {
    expect(() => impliedVolBlack76({ ...o, type: 'call', price: 12, tYears: 0 })).toThrow(
      'tYears must be finite and > 0; got 0',
    );
  });

  it('price just below intrinsic by rounding (within 8 ulps of DF·max(F, K)) is treated as intrinsic', () => {
    const intrinsicValue = 10;
    const price = intrinsicValue - 4 * TOL.EPS * 100;
    expect(impliedVolBlack76({ ...o, type: 'call', price })).toBe(0);
  });

  it('price of an extremely deep OTM option with tiny time value still inverts', () => {
    const x = { type: 'call' as const, forward: 100, strike: 400, tYears: 0.02, vol: 0.9, rate: 0 };
    const price = priceBlack76(x);
    expect(price).toBeLessThan(1e-20);
    expect(impliedVolBlack76({ ...x, price })).toBeCloseTo(0.9, 12);
  });
});
