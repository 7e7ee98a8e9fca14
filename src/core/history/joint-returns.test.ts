import { describe, expect, it } from 'vitest';
import { jointReturns } from './joint-returns.js';
import type { PriceHistory } from './price-history.js';

const D = 86_400_000;

/** A 3-asset daily history from per-asset close columns (NaN = no data). */
function history(cols: Record<string, number[]>): PriceHistory {
  const assets = Object.keys(cols);
  const T = cols[assets[0]!]!.length;
  const close = new Float64Array(T * assets.length);
  assets.forEach((a, j) => cols[a]!.forEach((x, t) => (close[t * assets.length + j] = x)));
  return { assets, timesMs: Float64Array.from({ length: T }, (_, t) => t * D), stepMs: D, close };
}

const X = [100, 110, 99, 120, 130, 125];
const Y = [10, NaN, 12, 11, NaN, 14];
const Z = [NaN, 2, 3, 4, 5, 6];
const h = history({ X, Y, Z });

describe('jointReturns', () => {
  it('equals ln(p[t+h]/p[t]) for every overlapping window of one asset', () => {
    const r = jointReturns(h, { horizonSteps: 2, assets: ['X'] });
    expect(Array.from(r.startTimesMs)).toEqual([0, 1, 2, 3].map((t) => t * D));
    expect(Array.from(r.endTimesMs)).toEqual([2, 3, 4, 5].map((t) => t * D));
    [0, 1, 2, 3].forEach((t, k) => expect(r.logReturns[k]).toBe(Math.log(X[t + 2]! / X[t]!)));
    expect(r.horizonMs).toBe(2 * D);
  });

  it('skips windows where any requested asset has NaN at either end', () => {
    // h = 1: X,Y both present at (0,1)? Y[1] NaN → skip; (2,3) ok; (3,4) Y[4] NaN; (4,5) Y[4] NaN.
    const r = jointReturns(h, { horizonSteps: 1, assets: ['Y', 'X'] });
    expect(r.assets).toEqual(['Y', 'X']);
    expect(Array.from(r.startTimesMs)).toEqual([2 * D]);
    expect(Array.from(r.logReturns)).toEqual([Math.log(11 / 12), Math.log(120 / 99)]);
  });

  it('only the ends matter: a NaN strictly inside the window does not drop it', () => {
    const r = jointReturns(h, { horizonSteps: 2, assets: ['Y'] });
    // windows (0,2) kept; (1,3) and (2,4) skipped (Y[1], Y[4] NaN); (3,5) kept
    expect(Array.from(r.startTimesMs)).toEqual([0, 3 * D]);
    expect(Array.from(r.logReturns)).toEqual([Math.log(12 / 10), Math.log(14 / 11)]);
  });

  it('all assets by default, in history order; T × A row-major', () => {
    const r = jointReturns(h, { horizonSteps: 3 });
    // (0,3): Z[0] NaN; (1,4): Y NaN; (2,5): all present
    expect(Array.from(r.startTimesMs)).toEqual([2 * D]);
    expect(Array.from(r.logReturns)).toEqual([Math.log(125 / 99), Math.log(14 / 12), Math.log(6 / 3)]);
  });

  it('non-overlapping windows start at 0, h, 2h, … on the grid', () => {
    const r = jointReturns(h, { horizonSteps: 2, overlapping: false, assets: ['X', 'Z'] });
    // starts 0 (Z NaN → skipped), 2, (4 has no end)
    expect(Array.from(r.startTimesMs)).toEqual([2 * D]);
    expect(Array.from(r.logReturns)).toEqual([Math.log(130 / 99), Math.log(5 / 3)]);
    const x = jointReturns(h, { horizonSteps: 1, overlapping: false, assets: ['X'] });
    expect(x.logReturns.length).toBe(5);
    // Log returns over consecutive disjoint windows add up to the whole-period log return.
    expect(x.logReturns.reduce((s, v) => s + v, 0)).toBeCloseTo(Math.log(125 / 100), 14);
  });

  it('returns no rows when the horizon is not shorter than the history', () => {
    const r = jointReturns(h, { horizonSteps: 6 });
    expect(r.logReturns.length).toBe(0);
    expect(r.endTimesMs.length).toBe(0);
  });

  it('rejects a bad horizon or asset', () => {
    expect(() => jointReturns(h, { horizonSteps: 0 })).toThrow(/horizonSteps must be an integer >= 1; got 0/);
    expect(() => jointReturns(h, { horizonSteps: 1.5 })).toThrow(/horizonSteps/);
    expect(() => jointReturns(h, { horizonSteps: 1, assets: ['W'] })).toThrow(
      /assets\[0\] must be one of the history's assets \(X, Y, Z\); got "W"/,
    );
    expect(() => jointReturns(h, { horizonSteps: 1, assets: ['X', 'X'] })).toThrow(
      /assets\[1\] must not repeat/,
    );
  });
});
