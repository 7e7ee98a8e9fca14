import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import {
  addAmounts,
  amountOf,
  compareAmounts,
  isZero,
  negateAmount,
  scaleAmount,
  subtractAmounts,
  sumAmounts,
} from './amount.js';
import { defineAsset } from './asset.js';

const usdc = defineAsset('USDC', 6);
const btc = defineAsset('BTC', 8);
/** One whole USDC in base units: 10^6. */
const USDC = 10n ** 6n;

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

describe('amount arithmetic', () => {
  it('amountOf keeps asset and units', () => {
    expect(amountOf(usdc, 3n * USDC)).toEqual({ asset: usdc, units: 3n * USDC });
  });

  it('refuses non-bigint units from untyped callers', () => {
    const e = caught(() => amountOf(usdc, 1 as unknown as bigint));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.details['field']).toBe('units');
  });

  it('add, subtract and negate are exact', () => {
    const a = amountOf(usdc, 1n * USDC + 1n); // 1.000001 USDC
    const b = amountOf(usdc, 2n * USDC); // 2 USDC
    expect(addAmounts(a, b).units).toBe(3n * USDC + 1n);
    expect(subtractAmounts(a, b).units).toBe(-(1n * USDC) + 1n); // −0.999999 USDC
    expect(negateAmount(a).units).toBe(-(1n * USDC + 1n));
    expect(negateAmount(amountOf(usdc, 0n)).units).toBe(0n);
  });

  it('compare orders by units and isZero detects zero', () => {
    const one = amountOf(usdc, 1n);
    const two = amountOf(usdc, 2n);
    expect(compareAmounts(one, two)).toBe(-1);
    expect(compareAmounts(two, one)).toBe(1);
    expect(compareAmounts(one, amountOf(usdc, 1n))).toBe(0);
    expect(isZero(amountOf(usdc, 0n))).toBe(true);
    expect(isZero(one)).toBe(false);
  });

  it('sum of an empty list is zero of the asset', () => {
    expect(sumAmounts(usdc, [])).toEqual({ asset: usdc, units: 0n });
  });

  it('sum adds every amount', () => {
    const parts = [1n, -2n, 3n * USDC].map((u) => amountOf(usdc, u));
    expect(sumAmounts(usdc, parts).units).toBe(1n - 2n + 3n * USDC);
  });

  const mismatches: { name: string; run: () => unknown; operation: string }[] = [
    { name: 'add', run: () => addAmounts(amountOf(usdc, 1n), amountOf(btc, 1n)), operation: 'add' },
    {
      name: 'subtract',
      run: () => subtractAmounts(amountOf(usdc, 1n), amountOf(btc, 1n)),
      operation: 'subtract',
    },
    {
      name: 'compare',
      run: () => compareAmounts(amountOf(usdc, 1n), amountOf(btc, 1n)),
      operation: 'compare',
    },
    { name: 'sum', run: () => sumAmounts(usdc, [amountOf(usdc, 1n), amountOf(btc, 1n)]), operation: 'sum' },
  ];
  for (const m of mismatches) {
    it(`${m.name} of different assets throws ERR_ASSET_MISMATCH with both symbols`, () => {
      const e = caught(m.run);
      expect(e.code).toBe('ERR_ASSET_MISMATCH');
      expect(e.details['leftSymbol']).toBe('USDC');
      expect(e.details['rightSymbol']).toBe('BTC');
      expect(e.details['operation']).toBe(m.operation);
    });
  }

  it('same symbol with different decimals is a mismatch too', () => {
    const usdc18 = defineAsset('USDC', 18);
    expect(caught(() => addAmounts(amountOf(usdc, 1n), amountOf(usdc18, 1n))).code).toBe(
      'ERR_ASSET_MISMATCH',
    );
  });
});

describe('scaleAmount', () => {
  const cases: {
    name: string;
    units: bigint;
    num: bigint;
    den: bigint;
    mode: 'ceil' | 'floor' | 'halfEven' | 'down';
    expected: bigint;
  }[] = [
    // 5 bps fee on 1,000.000001 USDC: 1_000_000_001 × 5 / 10_000 = 500_000.0005 → ceil 500_001.
    {
      name: '5 bps fee rounds up',
      units: 1000n * USDC + 1n,
      num: 5n,
      den: 10_000n,
      mode: 'ceil',
      expected: 500_001n,
    },
    {
      name: '5 bps credit rounds down',
      units: 1000n * USDC + 1n,
      num: 5n,
      den: 10_000n,
      mode: 'floor',
      expected: 500_000n,
    },
    // Halving 3 units: 1.5 → even neighbour 2.
    { name: 'half of 3 units, halfEven', units: 3n, num: 1n, den: 2n, mode: 'halfEven', expected: 2n },
    // −1/3 of 10 units: −3.33… → toward −∞ is −4, toward zero is −3.
    { name: 'negative ratio, floor', units: 10n, num: -1n, den: 3n, mode: 'floor', expected: -4n },
    { name: 'negative ratio, down', units: 10n, num: -1n, den: 3n, mode: 'down', expected: -3n },
    // Exact ratio: 7 × 6/3 = 14, no rounding in any mode.
    { name: 'exact ratio', units: 7n, num: 6n, den: 3n, mode: 'ceil', expected: 14n },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const scaled = scaleAmount(amountOf(usdc, c.units), c.num, c.den, c.mode);
      expect(scaled.units).toBe(c.expected);
      expect(scaled.asset).toBe(usdc);
    });
  }

  it('refuses a zero denominator', () => {
    const e = caught(() => scaleAmount(amountOf(usdc, 1n), 1n, 0n, 'floor'));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.details['field']).toBe('denominator');
  });
});
