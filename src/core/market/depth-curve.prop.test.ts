import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDepthCurve, type BookLevel, type DepthCurve } from './depth-curve.js';
import { computeExecutionCost } from './execution-cost.js';

const RUNS = { seed: 424_242, numRuns: 300 };
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Levels walking away from `best` by positive relative steps, best first. */
function side(best: number, steps: number[], qtys: number[], dir: 1 | -1): BookLevel[] {
  const out: BookLevel[] = [];
  let p = best;
  for (let i = 0; i < qtys.length; i++) {
    out.push({ price: p, qty: qtys[i]! });
    p = p * (1 + dir * steps[i]!);
  }
  return out;
}

/** A valid book with a penalty rule, so every quantity has a cost. */
const book: fc.Arbitrary<DepthCurve> = fc
  .record({
    mid: num(1, 1e5),
    halfSpread: num(1e-5, 0.05),
    n: fc.integer({ min: 1, max: 8 }),
    steps: fc.array(num(1e-4, 0.05), { minLength: 8, maxLength: 8 }),
    bidQty: fc.array(num(0.01, 100), { minLength: 8, maxLength: 8 }),
    askQty: fc.array(num(0.01, 100), { minLength: 8, maxLength: 8 }),
    penalty: num(0, 1),
  })
  .map(({ mid, halfSpread, n, steps, bidQty, askQty, penalty }) =>
    createDepthCurve({
      kind: 'book',
      asset: 'X',
      bids: side(mid * (1 - halfSpread), steps, bidQty.slice(0, n), -1),
      asks: side(mid * (1 + halfSpread), steps, askQty.slice(0, n), 1),
      beyondDepth: { kind: 'penalty', penalty },
    }),
  );

const sqrtCurve: fc.Arbitrary<DepthCurve> = fc
  .record({ p: num(1, 1e5), h: num(0, 0.01), k: num(0, 2), v: num(1, 1e7) })
  .map(({ p, h, k, v }) =>
    createDepthCurve({
      kind: 'sqrt',
      asset: 'X',
      referencePrice: p,
      halfSpread: h,
      impactCoefficient: k,
      dailyVolume: v,
    }),
  );

const cost = (c: DepthCurve, q: number) => computeExecutionCost(c, q).costUsd;
/** Slack for float rounding, relative to the notional of the largest order compared. */
const slack = (c: DepthCurve, q: number) => 1e-9 * Math.abs(q) * c.referencePrice * 2;

describe('execution cost properties', () => {
  for (const [name, curve] of [
    ['book', book],
    ['sqrt', sqrtCurve],
  ] as const) {
    it(`${name}: cost ≥ 0, 0 at q = 0, non-decreasing in |q| on each side`, () => {
      fc.assert(
        fc.property(curve, num(0, 500), num(0, 500), fc.constantFrom(1, -1), (c, a, b, sign) => {
          const [q1, q2] = a <= b ? [a, b] : [b, a];
          expect(cost(c, 0)).toBe(0);
          const c1 = cost(c, sign * q1);
          const c2 = cost(c, sign * q2);
          expect(c1).toBeGreaterThanOrEqual(0);
          expect(c2).toBeGreaterThanOrEqual(c1 - slack(c, q2));
        }),
        RUNS,
      );
    });
  }

  it('book: marginal cost is non-decreasing (cost convex in |q|), across the penalty too', () => {
    fc.assert(
      fc.property(book, num(0, 300), num(1e-3, 100), fc.constantFrom(1, -1), (c, q, h, sign) => {
        // second difference c(q) − 2c(q+h) + c(q+2h) ≥ 0 for a convex function
        const d2 = cost(c, sign * q) - 2 * cost(c, sign * (q + h)) + cost(c, sign * (q + 2 * h));
        expect(d2).toBeGreaterThanOrEqual(-slack(c, q + 2 * h) * 4);
      }),
      RUNS,
    );
  });

  it('book: the average fill price is no better than the touch', () => {
    fc.assert(
      fc.property(book, num(1e-6, 500), (c, q) => {
        if (c.kind !== 'book') return;
        expect(computeExecutionCost(c, q).avgPrice).toBeGreaterThanOrEqual(c.asks[0]!.price * (1 - 1e-12));
        expect(computeExecutionCost(c, -q).avgPrice).toBeLessThanOrEqual(c.bids[0]!.price * (1 + 1e-12));
      }),
      RUNS,
    );
  });
});
