import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_DECIMALS } from './asset.js';
import { formatDecimal, parseDecimal } from './decimal.js';
import { divideRounded, ROUNDING_MODES } from './rounding.js';

const NUM_RUNS = 2000;

const decimals = fc.integer({ min: 0, max: MAX_DECIMALS });
// fc.bigInt() without bounds spans huge magnitudes; mix in small values around zero.
const units = fc.oneof(fc.bigInt(), fc.bigInt({ min: -1000n, max: 1000n }));

/** A canonical decimal string: no "+", no leading zeros, "-" only when non-zero. */
const canonical = fc
  .record({
    negative: fc.boolean(),
    intPart: fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,40}$/)),
    decimals,
    fracSeed: fc.stringMatching(/^[0-9]{0,36}$/),
  })
  .map(({ negative, intPart, decimals: d, fracSeed }) => {
    const frac = fracSeed.padEnd(d, '0').slice(0, d);
    const body = d > 0 ? `${intPart}.${frac}` : intPart;
    const isZero = /^[0.]*$/.test(body);
    return { text: negative && !isZero ? `-${body}` : body, decimals: d };
  });

describe('decimal round trips', () => {
  it('format → parse is lossless for any bigint and decimals 0..36', () => {
    fc.assert(
      fc.property(units, decimals, fc.boolean(), (u, d, trimZeros) => {
        expect(parseDecimal(formatDecimal(u, d, { trimZeros }), d)).toBe(u);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parse → format is the identity on canonical strings (untrimmed)', () => {
    fc.assert(
      fc.property(canonical, ({ text, decimals: d }) => {
        expect(formatDecimal(parseDecimal(text, d), d)).toBe(text);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parse → format is the identity on canonical trimmed strings', () => {
    fc.assert(
      fc.property(canonical, ({ text, decimals: d }) => {
        const trimmed = formatDecimal(parseDecimal(text, d), d, { trimZeros: true });
        // Trimming is itself canonical, so it must survive another round trip.
        expect(formatDecimal(parseDecimal(trimmed, d), d, { trimZeros: true })).toBe(trimmed);
        expect(trimmed.endsWith('.') || (trimmed.includes('.') && trimmed.endsWith('0'))).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parsing with extra digits equals one rounding of the exact value', () => {
    // text = u / 10^(d + k) exactly; parsing at d decimals must equal round(u / 10^k).
    fc.assert(
      fc.property(
        units,
        fc.integer({ min: 0, max: 16 }), // d + k ≤ 36 = MAX_DECIMALS
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(...ROUNDING_MODES),
        (u, d, k, mode) => {
          const text = formatDecimal(u, d + k);
          expect(parseDecimal(text, d, mode)).toBe(divideRounded(u, 10n ** BigInt(k), mode));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('leading zeros, "+" and trailing zeros do not change the value', () => {
    fc.assert(
      fc.property(units, decimals, fc.nat({ max: 5 }), fc.nat({ max: 5 }), (u, d, lead, trail) => {
        const text = formatDecimal(u, d);
        const negative = text.startsWith('-');
        const body = negative ? text.slice(1) : text;
        const padded = '0'.repeat(lead) + body + (d > 0 ? '0'.repeat(trail) : '');
        expect(parseDecimal((negative ? '-' : '+') + padded, d)).toBe(u);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
