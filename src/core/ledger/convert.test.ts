import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { creditToUnits, fromUnits, liquidationSizeToUnits, requirementToUnits, toUnits } from './convert.js';
import { ROUNDING_MODES } from './rounding.js';
import type { RoundingMode } from './rounding.js';

/** Runs `fn`, expecting an XmarginError; returns it for further checks. */
function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

// Independent source: the exact decimal value of the double nearest to 0.1, i.e.
// 3602879701896397 / 2^55, as printed by Python's `decimal.Decimal(0.1)`.
const POINT_ONE_EXACT = '0.1000000000000000055511151231257827021181583404541015625';
const POINT_ONE_DIGITS = POINT_ONE_EXACT.slice(2); // the 55 fraction digits
// Likewise `decimal.Decimal(0.3)`: the double nearest to 0.3 lies just below it.
const POINT_THREE_EXACT = '0.299999999999999988897769753748434595763683319091796875';

describe('toUnits: exact binary value of the double', () => {
  it('0.1 at 18 decimals: floor/ceil are the neighbours of 100000000000000005.551…', () => {
    // 0.1 × 10^18 = first 18 fraction digits "100000000000000005", then ".5511…".
    const floor = BigInt(POINT_ONE_DIGITS.slice(0, 18));
    expect(floor).toBe(100000000000000005n);
    expect(toUnits(0.1, 18, 'floor')).toBe(floor);
    expect(toUnits(0.1, 18, 'ceil')).toBe(floor + 1n);
    expect(toUnits(0.1, 18, 'ceil')).toBe(100000000000000006n);
    // The discarded ".5511…" is above one half, so every half mode rounds up.
    for (const m of ['halfUp', 'halfDown', 'halfEven'] as const) expect(toUnits(0.1, 18, m)).toBe(floor + 1n);
  });

  it('0.1 at 36 decimals floors to its first 36 fraction digits', () => {
    expect(toUnits(0.1, 36, 'floor')).toBe(BigInt(POINT_ONE_DIGITS.slice(0, 36)));
  });

  it('0.1 matches the rational 3602879701896397 / 2^55', () => {
    expect(toUnits(0.1, 30, 'floor')).toBe((3602879701896397n * 10n ** 30n) / 2n ** 55n);
  });

  it('0.3 sits below 3/10: floor at 6 decimals is 299999', () => {
    // 0.2999999999999999888… × 10^6 = 299999.9999999999888…
    expect(toUnits(0.3, 6, 'floor')).toBe(BigInt(POINT_THREE_EXACT.slice(2, 8)));
    expect(toUnits(0.3, 6, 'ceil')).toBe(300_000n);
  });

  const cases: { name: string; value: number; decimals: number; mode: RoundingMode; expected: bigint }[] = [
    // Smallest subnormal 2^-1074 ≈ 4.9e-324: far below one unit at 36 decimals.
    { name: 'min subnormal floor', value: Number.MIN_VALUE, decimals: 36, mode: 'floor', expected: 0n },
    { name: 'min subnormal ceil', value: Number.MIN_VALUE, decimals: 36, mode: 'ceil', expected: 1n },
    { name: 'min subnormal halfEven', value: Number.MIN_VALUE, decimals: 36, mode: 'halfEven', expected: 0n },
    { name: '−min subnormal floor', value: -Number.MIN_VALUE, decimals: 36, mode: 'floor', expected: -1n },
    { name: '−min subnormal up', value: -Number.MIN_VALUE, decimals: 36, mode: 'up', expected: -1n },
    // Number.MAX_VALUE = (2^53 − 1) · 2^971 exactly.
    {
      name: 'MAX_VALUE',
      value: Number.MAX_VALUE,
      decimals: 0,
      mode: 'floor',
      expected: (2n ** 53n - 1n) * 2n ** 971n,
    },
    // 2^60 is an exact, non-safe integer double.
    {
      name: '2^60 at 6 decimals',
      value: 2 ** 60,
      decimals: 6,
      mode: 'floor',
      expected: 2n ** 60n * 10n ** 6n,
    },
    // 10^21 = 2^21 · 5^21 with 5^21 < 2^53: exactly representable.
    { name: '1e21', value: 1e21, decimals: 0, mode: 'ceil', expected: 10n ** 21n },
    { name: '−0 is zero', value: -0, decimals: 6, mode: 'up', expected: 0n },
    // Exact dyadic ties: 2.5 and 3.5 are exact doubles.
    { name: '2.5 halfEven', value: 2.5, decimals: 0, mode: 'halfEven', expected: 2n },
    { name: '3.5 halfEven', value: 3.5, decimals: 0, mode: 'halfEven', expected: 4n },
    { name: '−2.5 halfEven', value: -2.5, decimals: 0, mode: 'halfEven', expected: -2n },
    { name: '2.5 halfUp', value: 2.5, decimals: 0, mode: 'halfUp', expected: 3n },
    { name: '−2.5 halfDown', value: -2.5, decimals: 0, mode: 'halfDown', expected: -2n },
    { name: '−2.5 floor', value: -2.5, decimals: 0, mode: 'floor', expected: -3n },
  ];
  for (const c of cases) {
    it(c.name, () => expect(toUnits(c.value, c.decimals, c.mode)).toBe(c.expected));
  }

  it('exact values need no rounding: 1.5 at 6 decimals in every mode', () => {
    // 1.5 = 3/2 and 10^6 is even, so 1.5 × 10^6 = 1_500_000 exactly.
    for (const m of ROUNDING_MODES) expect(toUnits(1.5, 6, m)).toBe(1_500_000n);
  });

  const bad: { name: string; value: unknown }[] = [
    { name: 'NaN', value: Number.NaN },
    { name: '+Infinity', value: Number.POSITIVE_INFINITY },
    { name: '−Infinity', value: Number.NEGATIVE_INFINITY },
    { name: 'a string', value: '1' },
  ];
  for (const b of bad) {
    it(`refuses ${b.name} with ERR_INVALID_INPUT naming "value"`, () => {
      const e = caught(() => toUnits(b.value as number, 6, 'floor'));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe('value');
    });
  }

  it('refuses invalid decimals and mode', () => {
    expect(caught(() => toUnits(1, 37, 'floor')).details['field']).toBe('decimals');
    expect(caught(() => toUnits(1.5, 6, 'round' as RoundingMode)).details['field']).toBe('mode');
  });
});

describe('policy helpers', () => {
  it('requirementToUnits rounds toward +∞: 0.1 USD (just above 1/10) → 100001 units of 6 decimals', () => {
    // 0.1000000000000000055… × 10^6 = 100000.0000000000055… → ceil 100001
    expect(requirementToUnits(0.1, 6)).toBe(100_001n);
    // 0.2999999999999999888… × 10^6 → ceil 300000
    expect(requirementToUnits(0.3, 6)).toBe(300_000n);
    // A rebate (negative fee) moves toward +∞ as well: it shrinks.
    expect(requirementToUnits(-0.3, 6)).toBe(-299_999n);
  });

  it('creditToUnits rounds toward −∞: 0.3 (just below 3/10) → 299999 units', () => {
    expect(creditToUnits(0.3, 6)).toBe(299_999n);
    expect(creditToUnits(0.1, 6)).toBe(100_000n);
    // A debit grows in magnitude.
    expect(creditToUnits(-0.1, 6)).toBe(-100_001n);
  });

  it('liquidationSizeToUnits rounds away from zero on both sides', () => {
    // ±0.123456789 BTC at 8 decimals = ±12345678.9… units → ±12345679
    expect(liquidationSizeToUnits(0.123456789, 8)).toBe(12_345_679n);
    expect(liquidationSizeToUnits(-0.123456789, 8)).toBe(-12_345_679n);
  });

  it('requirement ≥ credit for the same value, by at most one unit', () => {
    for (const v of [0.1, 0.3, 1 / 3, -2 / 3, 1e-7, 12345.678]) {
      const up = requirementToUnits(v, 6);
      const down = creditToUnits(v, 6);
      expect(up - down === 0n || up - down === 1n).toBe(true);
    }
  });
});

describe('fromUnits', () => {
  const cases: { name: string; units: bigint; decimals: number; expected: number }[] = [
    { name: '1.5 USDC', units: 1_500_000n, decimals: 6, expected: 1.5 },
    { name: 'one wei', units: 1n, decimals: 18, expected: 1e-18 },
    { name: 'negative', units: -25n, decimals: 1, expected: -2.5 },
    // 2^53 + 1 lies halfway between the doubles 2^53 and 2^53 + 2: ties to even → 2^53.
    { name: '2^53 + 1 ties to even', units: 2n ** 53n + 1n, decimals: 0, expected: 2 ** 53 },
    // Beyond the fast path (decimals > 22): 1 at 36 decimals is 1e-36.
    { name: '36 decimals', units: 1n, decimals: 36, expected: 1e-36 },
    { name: 'large via string', units: 10n ** 340n, decimals: 36, expected: 1e304 },
  ];
  for (const c of cases) {
    it(c.name, () => expect(fromUnits(c.units, c.decimals)).toBe(c.expected));
  }

  it('overflow of a double is ERR_NUMERIC', () => {
    expect(caught(() => fromUnits(10n ** 400n, 0)).code).toBe('ERR_NUMERIC');
  });

  it('refuses non-bigint units', () => {
    expect(caught(() => fromUnits(1 as unknown as bigint, 0)).details['field']).toBe('units');
  });

  it('round trip can miss by one unit just below 2^53 (documented limit: exact for |u| < 2^52)', () => {
    // u = 10·2^49 + 7 < 2^53. u/10 = 2^49 + 0.7 lies in a binade where doubles are 1/8 apart,
    // so the nearest double is 2^49 + 0.75; back at 1 decimal that is 10·2^49 + 7.5, a tie
    // that halfEven resolves to the even 10·2^49 + 8.
    const u = 10n * 2n ** 49n + 7n;
    expect(fromUnits(u, 1)).toBe(2 ** 49 + 0.75);
    expect(toUnits(fromUnits(u, 1), 1, 'halfEven')).toBe(u + 1n);
  });
});
