import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addAmounts,
  amountOf,
  compareAmounts,
  negateAmount,
  scaleAmount,
  subtractAmounts,
  sumAmounts,
} from './amount.js';
import { defineAsset } from './asset.js';
import { divideRounded, ROUNDING_MODES } from './rounding.js';

const NUM_RUNS = 1000;
const eth = defineAsset('ETH', 18);
const units = fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n });
const amount = units.map((u) => amountOf(eth, u));

describe('amount algebra', () => {
  it('add and subtract are inverses', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(subtractAmounts(addAmounts(a, b), b).units).toBe(a.units);
        expect(addAmounts(subtractAmounts(a, b), b).units).toBe(a.units);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('add is commutative and associative; zero is neutral; a + (−a) = 0', () => {
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        expect(addAmounts(a, b).units).toBe(addAmounts(b, a).units);
        expect(addAmounts(addAmounts(a, b), c).units).toBe(addAmounts(a, addAmounts(b, c)).units);
        expect(addAmounts(a, amountOf(eth, 0n)).units).toBe(a.units);
        expect(addAmounts(a, negateAmount(a)).units).toBe(0n);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('compare is antisymmetric and consistent with subtraction', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        // Sum rather than `toBe(-x)`: −0 and 0 differ under Object.is when a = b.
        expect(compareAmounts(a, b) + compareAmounts(b, a)).toBe(0);
        const diff = subtractAmounts(a, b).units;
        expect(compareAmounts(a, b)).toBe(diff < 0n ? -1 : diff > 0n ? 1 : 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('sum equals the left fold of add, in any order', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 20 }), (list) => {
        let fold = amountOf(eth, 0n);
        for (const a of list) fold = addAmounts(fold, a);
        expect(sumAmounts(eth, list).units).toBe(fold.units);
        expect(sumAmounts(eth, [...list].reverse()).units).toBe(fold.units);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('scaling by d/d is the identity; scaling is one rounding of the exact product', () => {
    fc.assert(
      fc.property(
        amount,
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        fc.bigInt({ min: 1n, max: 2n ** 64n }),
        fc.constantFrom(...ROUNDING_MODES),
        (a, num, den, mode) => {
          expect(scaleAmount(a, den, den, mode).units).toBe(a.units);
          expect(scaleAmount(a, num, den, mode).units).toBe(divideRounded(a.units * num, den, mode));
          // floor ≤ any mode ≤ ceil
          const lo = scaleAmount(a, num, den, 'floor').units;
          const hi = scaleAmount(a, num, den, 'ceil').units;
          const q = scaleAmount(a, num, den, mode).units;
          expect(lo <= q && q <= hi).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
