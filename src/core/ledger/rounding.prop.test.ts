import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { divideRounded, ROUNDING_MODES } from './rounding.js';

const NUM_RUNS = 2000;

// Numerators and denominators well beyond 2^64, both signs; denominators never zero.
const numerator = fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n });
const denominator = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).filter((d) => d !== 0n);
const mode = fc.constantFrom(...ROUNDING_MODES);

/** |x| for bigint. */
const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** Sign-normalised form with a positive denominator: n/d = (s·n)/(s·d), s = sign(d). */
const normalise = (n: bigint, d: bigint): [bigint, bigint] => (d < 0n ? [-n, -d] : [n, d]);

describe('divideRounded properties', () => {
  it('every mode lands within 1 of the exact quotient: |q·d − n| < |d|', () => {
    fc.assert(
      fc.property(numerator, denominator, mode, (n, d, m) => {
        const q = divideRounded(n, d, m);
        expect(abs(q * d - n) < abs(d)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('floor ≤ n/d ≤ ceil, and ceil − floor is 0 (exact) or 1 (inexact)', () => {
    fc.assert(
      fc.property(numerator, denominator, (n0, d0) => {
        const [n, d] = normalise(n0, d0);
        const lo = divideRounded(n0, d0, 'floor');
        const hi = divideRounded(n0, d0, 'ceil');
        // Cross-multiplied with d > 0: lo ≤ n/d ⇔ lo·d ≤ n.
        expect(lo * d <= n).toBe(true);
        expect(hi * d >= n).toBe(true);
        expect(hi - lo).toBe(n % d === 0n ? 0n : 1n);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every mode returns floor or ceil', () => {
    fc.assert(
      fc.property(numerator, denominator, mode, (n, d, m) => {
        const q = divideRounded(n, d, m);
        const lo = divideRounded(n, d, 'floor');
        expect(q === lo || q === lo + 1n).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('half modes are nearest: |2(q·d − n)| ≤ |d|', () => {
    fc.assert(
      fc.property(
        numerator,
        denominator,
        fc.constantFrom('halfUp', 'halfDown', 'halfEven' as const),
        (n, d, m) => {
          const q = divideRounded(n, d, m);
          expect(abs(2n * (q * d - n)) <= abs(d)).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('halfEven on an exact tie picks the even neighbour', () => {
    // n/d = (2k + 1)/2 exactly: d = 2m, n = (2k + 1)·m, so the neighbours are k and k + 1.
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
        fc.bigInt({ min: 1n, max: 2n ** 40n }),
        fc.boolean(),
        (k, m, flip) => {
          const n = (2n * k + 1n) * m;
          const d = 2n * m;
          const q = flip ? divideRounded(-n, -d, 'halfEven') : divideRounded(n, d, 'halfEven');
          expect(q === k || q === k + 1n).toBe(true);
          expect(q % 2n).toBe(0n);
          // The other tie rules, for contrast: halfUp away from zero, halfDown toward zero.
          const awayFromZero = k >= 0n ? k + 1n : k;
          expect(divideRounded(n, d, 'halfUp')).toBe(awayFromZero);
          expect(divideRounded(n, d, 'halfDown')).toBe(k >= 0n ? k : k + 1n);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('agrees with exact division when d divides n', () => {
    fc.assert(
      fc.property(numerator, denominator, mode, (q, d, m) => {
        expect(divideRounded(q * d, d, m)).toBe(q);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('symmetry under negation: down/up/half* are odd, floor(−x) = −ceil(x)', () => {
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        for (const m of ['down', 'up', 'halfUp', 'halfDown', 'halfEven'] as const) {
          expect(divideRounded(-n, d, m)).toBe(-divideRounded(n, d, m));
        }
        expect(divideRounded(-n, d, 'floor')).toBe(-divideRounded(n, d, 'ceil'));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('down never grows the magnitude, up never shrinks it', () => {
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        const exactMagnitudeTimesD = abs(n); // |n/d|·|d|
        expect(abs(divideRounded(n, d, 'down')) * abs(d) <= exactMagnitudeTimesD).toBe(true);
        expect(abs(divideRounded(n, d, 'up')) * abs(d) >= exactMagnitudeTimesD).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
