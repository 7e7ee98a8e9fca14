import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import {
  aggregateOracle,
  type OracleParams,
  type OracleQuote,
  type OracleResult,
} from './oracle-aggregate.js';

const RUNS = { seed: 7_331, numRuns: 400 };
const NOW = 1_735_689_600_000;
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Quotes around 100 with some stale, future, duplicated, outlying, invalid and unconfident ones. */
const quote: fc.Arbitrary<OracleQuote> = fc
  .record({
    source: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    price: fc.oneof(
      { weight: 8, arbitrary: num(90, 110) },
      { weight: 1, arbitrary: num(1, 1e6) },
      { weight: 1, arbitrary: fc.constantFrom(0, -1, Number.NaN) },
    ),
    ageMs: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5_000, max: 0 }) },
    ),
    confidence: fc.option(num(0, 1), { nil: undefined }),
  })
  .map(({ source, price, ageMs, confidence }) =>
    confidence === undefined
      ? { source, price, timestampMs: NOW - ageMs }
      : { source, price, timestampMs: NOW - ageMs, confidence },
  );

const params: fc.Arbitrary<OracleParams> = fc.record({
  method: fc.constantFrom('median' as const, 'cappedMedian' as const),
  capFraction: num(0, 0.05),
  maxAgeMs: fc.constantFrom(60_000, 180_000),
  maxDeviation: num(0.01, 0.3),
  minSources: fc.integer({ min: 1, max: 3 }),
  minConfidence: fc.constantFrom(0, 0.3),
});

type Outcome = { ok: true; r: OracleResult } | { ok: false; code: string; details: unknown };
function run(quotes: readonly OracleQuote[], p: OracleParams): Outcome {
  try {
    return { ok: true, r: aggregateOracle(quotes, p, NOW) };
  } catch (e) {
    if (e instanceof XmarginError) return { ok: false, code: e.code, details: e.details };
    throw e;
  }
}

describe('aggregateOracle properties', () => {
  it('is independent of input order, bit for bit', () => {
    const arb = fc
      .array(quote, { maxLength: 10 })
      .chain((qs) =>
        fc.tuple(fc.constant(qs), fc.shuffledSubarray(qs, { minLength: qs.length, maxLength: qs.length })),
      );
    fc.assert(
      fc.property(arb, params, ([qs, shuffled], p) => {
        const a = run(qs, p);
        const b = run(shuffled, p);
        expect(b).toEqual(a);
        if (a.ok && b.ok) {
          expect(Object.is(a.r.price, b.r.price)).toBe(true);
          expect(Object.is(a.r.median, b.r.median)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('price lies within [median·(1 − cap), median·(1 + cap)] and within [min, max] of used prices', () => {
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 10 }), params, (qs, p) => {
        const o = run(qs, p);
        if (!o.ok) return;
        const { r } = o;
        const usedPrices = qs.filter((x) => r.used.includes(x.source)).map((x) => x.price);
        expect(r.price).toBeGreaterThanOrEqual(Math.min(...usedPrices));
        expect(r.price).toBeLessThanOrEqual(Math.max(...usedPrices));
        const cap = p.method === 'cappedMedian' ? p.capFraction! : 0;
        expect(r.price).toBeGreaterThanOrEqual(r.median * (1 - cap));
        expect(r.price).toBeLessThanOrEqual(r.median * (1 + cap));
      }),
      RUNS,
    );
  });

  it('stale, future and invalid quotes never appear in used; used ≥ minSources', () => {
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 10 }), params, (qs, p) => {
        const o = run(qs, p);
        if (!o.ok) {
          expect(o.code).toBe('ERR_ORACLE_INSUFFICIENT_SOURCES');
          return;
        }
        expect(o.r.used.length).toBeGreaterThanOrEqual(p.minSources);
        for (const source of o.r.used) {
          const copies = qs.filter((x) => x.source === source);
          expect(copies).toHaveLength(1);
          const x = copies[0]!;
          expect(NOW - x.timestampMs).toBeLessThanOrEqual(p.maxAgeMs);
          expect(x.timestampMs - NOW).toBeLessThanOrEqual(1_000);
          expect(x.price).toBeGreaterThan(0);
        }
        expect(o.r.oldestUsedMs).toBe(
          Math.min(...qs.filter((x) => o.r.used.includes(x.source)).map((x) => x.timestampMs)),
        );
      }),
      RUNS,
    );
  });

  it('one wild source cannot move a capped median outside the honest range widened by the cap', () => {
    const honest = fc.uniqueArray(
      fc.record({ source: fc.constantFrom('h1', 'h2', 'h3', 'h4', 'h5', 'h6'), price: num(99, 101) }),
      { minLength: 2, maxLength: 6, selector: (x) => x.source },
    );
    fc.assert(
      fc.property(honest, num(1e-3, 1e9), num(0, 0.05), (hs, wild, cap) => {
        const quotes = [
          ...hs.map((h) => ({ ...h, timestampMs: NOW })),
          { source: 'wild', price: wild, timestampMs: NOW },
        ];
        // maxDeviation large enough to keep the wild source: only the cap protects the index
        const o = run(quotes, {
          method: 'cappedMedian',
          capFraction: cap,
          maxAgeMs: 60_000,
          maxDeviation: 1e12,
          minSources: 1,
        });
        if (!o.ok) throw new Error('unexpected failure');
        const lo = Math.min(...hs.map((h) => h.price));
        const hi = Math.max(...hs.map((h) => h.price));
        // with ≥ 2 honest sources the median of all lies within [lo, hi]
        expect(o.r.median).toBeGreaterThanOrEqual(lo);
        expect(o.r.median).toBeLessThanOrEqual(hi);
        expect(o.r.price).toBeGreaterThanOrEqual(lo * (1 - cap));
        expect(o.r.price).toBeLessThanOrEqual(hi * (1 + cap));
      }),
      RUNS,
    );
  });
});
