import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_DECIMALS } from './asset.js';
import { fromUnits, toUnits } from './convert.js';
import { formatDecimal, parseDecimal } from './decimal.js';
import { ROUNDING_MODES } from './rounding.js';

const NUM_RUNS = 2000;

const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const decimals = fc.integer({ min: 0, max: MAX_DECIMALS });
const mode = fc.constantFrom(...ROUNDING_MODES);

// Doubles whose exact decimal expansion has at most 100 fraction digits and no exponent in
// toFixed: |x| ∈ [2^-48, 1e21). (x = m·2^e with e ≥ -100 needs at most 100 digits.)
const toFixedExact = fc
  .tuple(fc.double({ min: 2 ** -48, max: 1e21, noNaN: true, maxExcluded: true }), fc.boolean())
  .map(([x, negative]) => (negative ? -x : x));

describe('toUnits properties', () => {
  it('agrees with an independent oracle: the exact expansion from Number#toFixed(100)', () => {
    // ECMA-262 toFixed picks n with n/10^f − x as close to zero as possible, computed on the
    // exact value of x; when x needs ≤ 100 fraction digits the string is exact, so parsing it
    // with the same mode must give the same units.
    fc.assert(
      fc.property(toFixedExact, decimals, mode, (x, d, m) => {
        expect(toUnits(x, d, m)).toBe(parseDecimal(x.toFixed(100), d, m));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('floor ≤ ceil ≤ floor + 1, and every mode lies between them', () => {
    fc.assert(
      fc.property(anyFinite, decimals, mode, (x, d, m) => {
        const lo = toUnits(x, d, 'floor');
        const hi = toUnits(x, d, 'ceil');
        expect(lo <= hi && hi <= lo + 1n).toBe(true);
        const q = toUnits(x, d, m);
        expect(lo <= q && q <= hi).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is monotone in the value for every mode', () => {
    fc.assert(
      fc.property(anyFinite, anyFinite, decimals, mode, (a, b, d, m) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(toUnits(x, d, m) <= toUnits(y, d, m)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('negation: toUnits(−x, floor) = −toUnits(x, ceil)', () => {
    fc.assert(
      fc.property(anyFinite, decimals, (x, d) => {
        expect(toUnits(-x, d, 'floor')).toBe(0n - toUnits(x, d, 'ceil'));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('fromUnits properties', () => {
  it('toUnits(fromUnits(u), halfEven) = u for |u| < 2^52, any decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 52n) + 1n, max: 2n ** 52n - 1n }), decimals, (u, d) => {
        expect(toUnits(fromUnits(u, d), d, 'halfEven')).toBe(u);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is exact for integers up to 2^53 at 0 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }), (u) => {
        expect(toUnits(fromUnits(u, 0), 0, 'floor')).toBe(u);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the fast path (one IEEE division) matches the correctly rounded string conversion', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
        fc.integer({ min: 0, max: 22 }),
        (u, d) => {
          expect(fromUnits(u, d)).toBe(Number(formatDecimal(u, d)));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('is monotone in the units', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), decimals, (a, b, d) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        // Values beyond the double range overflow (ERR_NUMERIC); fc.bigInt() stays far below.
        expect(fromUnits(lo, d) <= fromUnits(hi, d)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
