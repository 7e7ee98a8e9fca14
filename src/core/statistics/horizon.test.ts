import { describe, expect, it } from 'vitest';
import { computeOverlappingReturns, scaleReturnsSqrtTime } from './horizon.js';
import { computeLogReturns, toSimpleReturns } from './log-returns.js';
import { computeSampleMoments } from './sample-moments.js';
import { SeededRng } from './seeded-rng.js';
import type { PriceHistory } from '../history/price-history.js';

describe('computeOverlappingReturns', () => {
  it('h = 2 on one asset: every window of two consecutive returns', () => {
    const r = Float64Array.of(0.01, 0.02, -0.01, 0.03);
    const out = computeOverlappingReturns(r, 1, 2);
    // [0.01 + 0.02, 0.02 − 0.01, −0.01 + 0.03]
    expect(Array.from(out)).toEqual([0.01 + 0.02, 0.02 + -0.01, -0.01 + 0.03]);
  });

  it('two assets keep their columns; h = 1 is the identity, h = T one window', () => {
    const r = Float64Array.of(1, 10, 2, 20, 3, 30);
    expect(Array.from(computeOverlappingReturns(r, 2, 2))).toEqual([3, 30, 5, 50]);
    expect(Array.from(computeOverlappingReturns(r, 2, 1))).toEqual(Array.from(r));
    expect(Array.from(computeOverlappingReturns(r, 2, 3))).toEqual([6, 60]);
  });

  it('a missing return spoils exactly the windows that contain it', () => {
    const r = Float64Array.of(1, 2, Number.NaN, 4, 5, 6);
    const out = computeOverlappingReturns(r, 1, 2);
    expect(Array.from(out)).toEqual([3, Number.NaN, Number.NaN, 9, 11]);
  });

  it('sums of log returns are log price ratios over h periods', () => {
    const prices = [100, 101.5, 99.2, 103.7, 104.1, 98.6, 97.0, 102.3];
    const history: PriceHistory = {
      assets: ['BTC'],
      timesMs: Float64Array.from(prices, (_, i) => i * 3_600_000),
      stepMs: 3_600_000,
      close: Float64Array.from(prices),
    };
    const h = 3;
    const out = computeOverlappingReturns(computeLogReturns(history), 1, h);
    for (let t = 0; t < out.length; t++)
      expect(out[t]).toBeCloseTo(Math.log(prices[t + h]! / prices[t]!), 15);
  });

  it('on i.i.d. returns, the variance of h-period windows is h times the one-period variance (√h rule)', () => {
    // T = 40,000 normal returns, h = 10: overlapping windows share 9 periods, so the effective
    // sample is ~T/h; SE of a variance over T/h independent windows is √(2/(T/h)).
    const T = 40_000;
    const h = 10;
    const r = new Float64Array(T);
    new SeededRng(8).fillNormal(r);
    const m = computeSampleMoments(computeOverlappingReturns(r, 1, h));
    expect(Math.abs(m.variance / h - 1)).toBeLessThan(5 * Math.sqrt(2 / (T / h)));
  });

  it('rejects horizons outside [1, T] and mis-shaped output', () => {
    const r = Float64Array.of(1, 2, 3);
    for (const h of [0, 4, 1.5, Number.NaN]) {
      expect(() => computeOverlappingReturns(r, 1, h), String(h)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
    expect(() => computeOverlappingReturns(r, 1, 2, new Float64Array(3))).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});

describe('scaleReturnsSqrtTime', () => {
  it('multiplies by √h, in place if asked; NaN stays NaN', () => {
    expect(Array.from(scaleReturnsSqrtTime(Float64Array.of(0.01, -0.03), 4))).toEqual([0.02, -0.06]);
    const x = Float64Array.of(0.01, Number.NaN);
    expect(scaleReturnsSqrtTime(x, 2.25, x)).toBe(x);
    expect(x[0]).toBeCloseTo(0.015, 16);
    expect(x[1]).toBeNaN();
    expect(() => scaleReturnsSqrtTime(x, 0)).toThrow(/horizonSteps/);
  });
});

describe('computeLogReturns and toSimpleReturns', () => {
  const history: PriceHistory = {
    assets: ['BTC', 'ETH'],
    timesMs: Float64Array.of(0, 3_600_000, 7_200_000),
    stepMs: 3_600_000,
    close: Float64Array.of(100, Number.NaN, 110, 2000, 99, 1900),
  };

  it('ln(close_{t+1}/close_t) per asset; NaN where a close is missing', () => {
    const r = computeLogReturns(history);
    expect(r.length).toBe(4);
    expect(r[0]).toBe(Math.log(110 / 100));
    expect(r[1]).toBeNaN();
    expect(r[2]).toBe(Math.log(99 / 110));
    expect(r[3]).toBe(Math.log(1900 / 2000));
  });

  it('refuses non-positive prices, naming the bar and asset', () => {
    const bad: PriceHistory = { ...history, close: Float64Array.of(100, 2000, 0, 2000, 99, 1900) };
    expect(() => computeLogReturns(bad)).toThrow(/close\[1\]\[BTC\]/);
  });

  it('simple returns are e^r − 1', () => {
    const m = toSimpleReturns(Float64Array.of(Math.log(1.1), 0, Math.log(0.5), 1e-17));
    expect(m[0]).toBeCloseTo(0.1, 15);
    expect(m[1]).toBe(0);
    expect(m[2]).toBeCloseTo(-0.5, 15);
    expect(m[3]).toBe(1e-17); // expm1 keeps tiny moves exact
  });
});
