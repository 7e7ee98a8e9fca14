/**
 * The scenario kernel against (1) a 700-digit reference of the out-of-the-money value it
 * computes, (2) the scalar API `priceBlack76` on random options and scenarios, (3) its edge
 * cases, and (4) bad inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { otmPriceRelativeError } from '../../../test/support/high-precision.js';
import { normCdf } from '../numeric/normal.js';
import { InvalidInputError } from '../errors.js';
import { priceBlack76 } from './black76.js';
import {
  logForwardMoves,
  otmValue,
  priceBlack76Kernel,
  relativeForwardMoves,
  repriceBlack76Scenarios,
} from './black76-scenarios.js';

describe('otmValue against the high-precision reference', () => {
  it('relative error within the conditioning of the difference, over a grid of moneyness × σ√t', () => {
    // Same bound as the scalar pricer's test (black76.prop.test.ts): a difference of two terms
    // loses log10(terms/price) digits whatever evaluates it, and each term is sensitive to the
    // rounding of d (δ ln N(d) ≈ d·δd).
    let worst = 0;
    for (const absX of [1e-4, 0.003, 0.02, 0.1, 0.3, 0.7, 1.2, 2, 3]) {
      for (const s of [1e-3, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3]) {
        for (const callSide of [true, false]) {
          const f = 100;
          const k = callSide ? f * Math.exp(absX) : f * Math.exp(-absX);
          const a = Math.abs(Math.log(f / k));
          const v = otmValue(a, Math.min(f, k), Math.max(f, k), s);
          if (v < 1e-290) continue;
          const d1 = Math.log(f / k) / s + s / 2;
          const d2 = d1 - s;
          const rel = otmPriceRelativeError(callSide, f, k, d1, d2, v);
          const terms = callSide ? f * normCdf(d1) : k * normCdf(-d2);
          const dMax = Math.max(Math.abs(d1), Math.abs(d2));
          const bound = Math.max(1, terms / v) * (1e-14 + 4 * dMax * dMax * Number.EPSILON);
          expect(rel, `|x|=${absX} s=${s} call=${callSide} rel=${rel}`).toBeLessThanOrEqual(bound);
          if (terms / v < 10) worst = Math.max(worst, rel / (1 + dMax * dMax));
        }
      }
    }
    // Where the difference is well conditioned the kernel is within a few ulps.
    expect(worst).toBeLessThan(2e-14);
  });
});

describe('repriceBlack76Scenarios equals the scalar pricer', () => {
  const option = fc.record({
    isCall: fc.boolean(),
    forward: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    moneyness: fc.double({ min: -2, max: 2, noNaN: true }),
    tYears: fc.oneof(fc.constant(0), fc.double({ min: -0.1, max: 5, noNaN: true })),
    rate: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
  });
  const scenario = fc.record({
    move: fc.double({ min: -0.9, max: 4, noNaN: true }),
    vol: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  });

  it('within 4e-16·(F′ + K) (relative moves and log returns alike)', () => {
    fc.assert(
      fc.property(option, fc.array(scenario, { minLength: 1, maxLength: 12 }), (o, scs) => {
        const strike = o.forward * Math.exp(o.moneyness);
        const opt = { isCall: o.isCall, forward: o.forward, strike, tYears: o.tYears, rate: o.rate };
        const vol = Float64Array.from(scs, (s) => s.vol);
        const n = scs.length;
        for (const moves of [
          relativeForwardMoves(scs.map((s) => s.move)),
          logForwardMoves(
            scs.map((s) => Math.log1p(s.move)),
            n,
          ),
        ]) {
          const out = new Float64Array(n + 1);
          repriceBlack76Scenarios(opt, moves, vol, out, 1, n);
          for (let s = 0; s < n; s++) {
            const fs = o.forward * moves.growth[s]!;
            const ref = priceBlack76({
              type: o.isCall ? 'call' : 'put',
              forward: fs,
              strike,
              tYears: o.tYears,
              vol: vol[s]!,
              rate: o.rate,
            });
            const tol = 4e-16 * (fs + strike);
            if (!(Math.abs(out[1 + s]! - ref) <= tol)) return false;
          }
        }
        return true;
      }),
      { numRuns: 2000, seed: 12 },
    );
  });

  it('a scenario that moves nothing reprices to exactly priceBlack76Kernel', () => {
    const o = { isCall: false, forward: 66_000, strike: 61_000, tYears: 0.1, rate: 0.03 };
    const out = new Float64Array(1);
    repriceBlack76Scenarios(o, relativeForwardMoves([0]), Float64Array.of(0.55), out, 0, 1);
    expect(out[0]).toBe(priceBlack76Kernel(o, 0.55));
    expect(priceBlack76Kernel(o, 0.55)).toBeCloseTo(
      priceBlack76({ type: 'put', forward: 66_000, strike: 61_000, tYears: 0.1, vol: 0.55, rate: 0.03 }),
      10,
    );
  });

  it('a published value: put F = K = 19, t = 0.75, σ = 0.28, r = 0.1 is 1.7011 (Haug p. 3)', () => {
    const p = priceBlack76Kernel({ isCall: false, forward: 19, strike: 19, tYears: 0.75, rate: 0.1 }, 0.28);
    expect(p).toBeCloseTo(1.7011, 4);
  });

  it('edge cases: expired → intrinsic, zero vol → discounted intrinsic', () => {
    const out = new Float64Array(2);
    const moves = relativeForwardMoves([0.1, -0.1]);
    repriceBlack76Scenarios(
      { isCall: true, forward: 100, strike: 100, tYears: 0, rate: 0.05 },
      moves,
      Float64Array.of(0.5, 0.5),
      out,
      0,
      2,
    );
    expect(out[0]).toBeCloseTo(10, 12);
    expect(out[1]).toBe(0);
    repriceBlack76Scenarios(
      { isCall: false, forward: 100, strike: 100, tYears: 1, rate: 0.05 },
      moves,
      Float64Array.of(0, 0),
      out,
      0,
      2,
    );
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(10 * Math.exp(-0.05), 12);
  });

  it('bad inputs throw naming the field and change nothing after the bad scenario', () => {
    const o = { isCall: true, forward: 100, strike: 100, tYears: 1, rate: 0 };
    const moves = relativeForwardMoves([0, 0]);
    const out = new Float64Array(2);
    expect(() => repriceBlack76Scenarios(o, moves, Float64Array.of(0.5, NaN), out, 0, 2)).toThrow(/vol\[1\]/);
    expect(() =>
      repriceBlack76Scenarios({ ...o, strike: -1 }, moves, Float64Array.of(0.5, 0.5), out, 0, 2),
    ).toThrow(InvalidInputError);
    expect(() => priceBlack76Kernel(o, -0.1)).toThrow(/vol/);
    expect(() =>
      repriceBlack76Scenarios(o, relativeForwardMoves([-1, 0]), Float64Array.of(0.5, 0.5), out, 0, 2),
    ).toThrow(/growth\[0\]/);
  });
});
