import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { allocate } from './allocate.js';

const NUM_RUNS = 1000;

const total = fc.oneof(fc.bigInt({ min: -(2n ** 96n), max: 2n ** 96n }), fc.bigInt({ min: -50n, max: 50n }));
// Ratios: small and large weights, with zeros; at least one positive.
const ratios = fc
  .array(
    fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 0n, max: 2n ** 64n })),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .filter((rs) => rs.some((r) => r > 0n));

const sumOf = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);
const abs = (x: bigint): bigint => (x < 0n ? -x : x);

describe('allocate properties', () => {
  it('parts sum to the total exactly', () => {
    fc.assert(
      fc.property(total, ratios, (t, rs) => {
        expect(sumOf(allocate(t, rs))).toBe(t);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('each part is within 1 unit of its exact share: |part·S − t·r| < S', () => {
    fc.assert(
      fc.property(total, ratios, (t, rs) => {
        const s = sumOf(rs);
        const parts = allocate(t, rs);
        rs.forEach((r, i) => {
          expect(abs(parts[i]! * s - t * r) < s).toBe(true);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is exactly proportional when every share is an integer', () => {
    // t = k·S makes every share t·r/S = k·r an integer.
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), ratios, (k, rs) => {
        const t = k * sumOf(rs);
        expect(allocate(t, rs)).toEqual(rs.map((r) => k * r));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('zero ratios get zero parts', () => {
    fc.assert(
      fc.property(total, ratios, (t, rs) => {
        const parts = allocate(t, rs);
        rs.forEach((r, i) => {
          if (r === 0n) expect(parts[i]).toBe(0n);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('negative totals split symmetrically: allocate(−t) = −allocate(t)', () => {
    fc.assert(
      fc.property(total, ratios, (t, rs) => {
        // `0n - x` rather than `-x` keeps -0 out of toEqual's view (bigint has no -0 anyway).
        expect(allocate(-t, rs)).toEqual(allocate(t, rs).map((p) => 0n - p));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('extra units go to the largest remainders, ties to the lower index', () => {
    // For T ≥ 0: whoever got ⌊share⌋ + 1 must not rank below anyone who got ⌊share⌋ with a
    // non-zero remainder, in the order (remainder desc, index asc).
    fc.assert(
      fc.property(total, ratios, (t0, rs) => {
        const t = abs(t0);
        const s = sumOf(rs);
        const parts = allocate(t, rs);
        const rem = rs.map((r) => (t * r) % s);
        const got = rs.map((r, i) => parts[i]! - (t * r) / s); // 0 or 1
        for (let i = 0; i < rs.length; i++) {
          for (let j = 0; j < rs.length; j++) {
            if (got[i] === 1n && got[j] === 0n) {
              const ranksAbove = rem[i]! > rem[j]! || (rem[i] === rem[j] && i < j);
              expect(ranksAbove).toBe(true);
            }
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(total, ratios, (t, rs) => {
        const copy = [...rs];
        expect(allocate(t, rs)).toEqual(allocate(t, rs));
        expect(rs).toEqual(copy);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
