import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { divideRounded, isRoundingMode, ROUNDING_MODES } from './rounding.js';
import type { RoundingMode } from './rounding.js';

// Golden source: the summary table of the Javadoc of java.math.RoundingMode (Java SE 8+),
// "Summary of Rounding Operations Under Different Rounding Modes". Each input x is written
// as the exact ratio n/10 (5.5 = 55/10). Java's UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN,
// HALF_EVEN map to our 'up', 'down', 'ceil', 'floor', 'halfUp', 'halfDown', 'halfEven'.
// prettier-ignore
const JAVA_TABLE: readonly {
  name: string;
  n: bigint;
  d: bigint;
  expected: Record<RoundingMode, bigint>;
}[] = [
  { name: '5.5', n: 55n, d: 10n, expected: { up: 6n, down: 5n, ceil: 6n, floor: 5n, halfUp: 6n, halfDown: 5n, halfEven: 6n } },
  { name: '2.5', n: 25n, d: 10n, expected: { up: 3n, down: 2n, ceil: 3n, floor: 2n, halfUp: 3n, halfDown: 2n, halfEven: 2n } },
  { name: '1.6', n: 16n, d: 10n, expected: { up: 2n, down: 1n, ceil: 2n, floor: 1n, halfUp: 2n, halfDown: 2n, halfEven: 2n } },
  { name: '1.1', n: 11n, d: 10n, expected: { up: 2n, down: 1n, ceil: 2n, floor: 1n, halfUp: 1n, halfDown: 1n, halfEven: 1n } },
  { name: '1.0', n: 10n, d: 10n, expected: { up: 1n, down: 1n, ceil: 1n, floor: 1n, halfUp: 1n, halfDown: 1n, halfEven: 1n } },
  { name: '-1.0', n: -10n, d: 10n, expected: { up: -1n, down: -1n, ceil: -1n, floor: -1n, halfUp: -1n, halfDown: -1n, halfEven: -1n } },
  { name: '-1.1', n: -11n, d: 10n, expected: { up: -2n, down: -1n, ceil: -1n, floor: -2n, halfUp: -1n, halfDown: -1n, halfEven: -1n } },
  { name: '-1.6', n: -16n, d: 10n, expected: { up: -2n, down: -1n, ceil: -1n, floor: -2n, halfUp: -2n, halfDown: -2n, halfEven: -2n } },
  { name: '-2.5', n: -25n, d: 10n, expected: { up: -3n, down: -2n, ceil: -2n, floor: -3n, halfUp: -3n, halfDown: -2n, halfEven: -2n } },
  { name: '-5.5', n: -55n, d: 10n, expected: { up: -6n, down: -5n, ceil: -5n, floor: -6n, halfUp: -6n, halfDown: -5n, halfEven: -6n } },
];

describe('divideRounded: java.math.RoundingMode table', () => {
  for (const row of JAVA_TABLE) {
    for (const mode of ROUNDING_MODES) {
      it(`${row.name} ${mode}`, () => {
        expect(divideRounded(row.n, row.d, mode)).toBe(row.expected[mode]);
        // The same rational with both signs flipped, n/d = (−n)/(−d), must round the same.
        expect(divideRounded(-row.n, -row.d, mode)).toBe(row.expected[mode]);
      });
    }
  }
});

describe('divideRounded: named cases', () => {
  const cases: { name: string; n: bigint; d: bigint; mode: RoundingMode; expected: bigint }[] = [
    // 3.5 is a tie between 3 and 4; 4 is even.
    { name: 'halfEven 7/2 → 4', n: 7n, d: 2n, mode: 'halfEven', expected: 4n },
    // 1/3 of a unit of fee is charged as one whole unit when rounding up.
    { name: 'ceil 1/3 → 1', n: 1n, d: 3n, mode: 'ceil', expected: 1n },
    { name: 'floor -1/3 → -1', n: -1n, d: 3n, mode: 'floor', expected: -1n },
    { name: 'down -1/3 → 0', n: -1n, d: 3n, mode: 'down', expected: 0n },
    // Negative denominator only: 7/−2 = −3.5, tie, even neighbour −4.
    { name: 'halfEven 7/-2 → -4', n: 7n, d: -2n, mode: 'halfEven', expected: -4n },
    { name: 'floor 7/-2 → -4', n: 7n, d: -2n, mode: 'floor', expected: -4n },
    { name: 'ceil 7/-2 → -3', n: 7n, d: -2n, mode: 'ceil', expected: -3n },
    { name: 'zero numerator', n: 0n, d: -7n, mode: 'up', expected: 0n },
    // Far beyond 2^53: 10^40 + 1 over 2 is 5·10^39 + 0.5, a tie; 5·10^39 is even.
    { name: 'big tie halfEven', n: 10n ** 40n + 1n, d: 2n, mode: 'halfEven', expected: 5n * 10n ** 39n },
    { name: 'big tie halfUp', n: 10n ** 40n + 1n, d: 2n, mode: 'halfUp', expected: 5n * 10n ** 39n + 1n },
  ];
  for (const c of cases) {
    it(c.name, () => expect(divideRounded(c.n, c.d, c.mode)).toBe(c.expected));
  }
});

describe('divideRounded: errors', () => {
  it('refuses a zero denominator with ERR_INVALID_INPUT naming the field', () => {
    expect(() => divideRounded(1n, 0n, 'floor')).toThrow(XmarginError);
    try {
      divideRounded(1n, 0n, 'floor');
    } catch (e) {
      expect((e as XmarginError).code).toBe('ERR_INVALID_INPUT');
      expect((e as XmarginError).message).toBe('denominator must be non-zero; got 0');
    }
  });
  it('refuses an unknown mode from untyped callers', () => {
    expect(() => divideRounded(1n, 2n, 'nearest' as RoundingMode)).toThrow(/mode must be one of/);
  });
  it('isRoundingMode recognises exactly the seven modes', () => {
    expect(ROUNDING_MODES).toHaveLength(7);
    for (const m of ROUNDING_MODES) expect(isRoundingMode(m)).toBe(true);
    expect(isRoundingMode('HALF_EVEN')).toBe(false);
    expect(isRoundingMode(undefined)).toBe(false);
  });
});
