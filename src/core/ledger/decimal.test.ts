import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { amountOf } from './amount.js';
import { defineAsset } from './asset.js';
import { formatAmount, formatDecimal, parseAmount, parseDecimal } from './decimal.js';
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

describe('parseDecimal: exact values', () => {
  // Expected units = value × 10^decimals, written as that product.
  const cases: { text: string; decimals: number; expected: bigint }[] = [
    { text: '-12.345', decimals: 3, expected: -12_345n },
    { text: '-12.345', decimals: 6, expected: -12_345n * 10n ** 3n },
    { text: '0.1', decimals: 18, expected: 10n ** 17n },
    { text: '5', decimals: 6, expected: 5n * 10n ** 6n },
    { text: '+1.25', decimals: 2, expected: 125n },
    { text: '007.10', decimals: 2, expected: 710n },
    { text: '-0', decimals: 6, expected: 0n },
    { text: '-0.000', decimals: 2, expected: 0n },
    { text: '0.000001', decimals: 6, expected: 1n },
    // Trailing zeros beyond the decimals carry no value: exact, no mode needed.
    { text: '1.2300000', decimals: 2, expected: 123n },
    { text: '42.000', decimals: 0, expected: 42n },
    // 2^64 + 1 whole units at 36 decimals: far beyond any float.
    { text: '18446744073709551617', decimals: 36, expected: (2n ** 64n + 1n) * 10n ** 36n },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.text)} at ${c.decimals} decimals`, () => {
      expect(parseDecimal(c.text, c.decimals)).toBe(c.expected);
    });
  }
});

describe('parseDecimal: rounding of extra digits', () => {
  // 0.0000015 at 6 decimals is 1.5 units; −0.0000015 is −1.5 units.
  const cases: { text: string; mode: RoundingMode; expected: bigint }[] = [
    { text: '0.0000015', mode: 'floor', expected: 1n },
    { text: '0.0000015', mode: 'ceil', expected: 2n },
    { text: '0.0000015', mode: 'halfEven', expected: 2n },
    { text: '0.0000025', mode: 'halfEven', expected: 2n },
    { text: '-0.0000015', mode: 'floor', expected: -2n },
    { text: '-0.0000015', mode: 'ceil', expected: -1n },
    { text: '-0.0000015', mode: 'down', expected: -1n },
    { text: '-0.0000015', mode: 'up', expected: -2n },
    // 1.0000004999… units: halfUp stays at 1, ceil goes to 2.
    { text: '0.0000014999999999999', mode: 'halfUp', expected: 1n },
    { text: '0.0000010000000000001', mode: 'ceil', expected: 2n },
  ];
  for (const c of cases) {
    it(`${c.text} ${c.mode}`, () => expect(parseDecimal(c.text, 6, c.mode)).toBe(c.expected));
  }

  it('without a mode, extra significant digits throw ERR_INEXACT naming value and decimals', () => {
    const e = caught(() => parseDecimal('0.0000015', 6));
    expect(e.code).toBe('ERR_INEXACT');
    expect(e.details).toEqual({ field: 'text', value: '0.0000015', decimals: 6, fractionDigits: 7 });
    expect(e.message).toContain('"0.0000015"');
    expect(e.message).toContain('only 6 fit');
  });
});

describe('parseDecimal: refused input', () => {
  const garbage = [
    '1e5',
    '1E5',
    '',
    ' 1',
    '1 ',
    '1.2.3',
    'NaN',
    'Infinity',
    '0x10',
    '.5',
    '5.',
    '-',
    '+',
    '--1',
    '1_000',
    '1,5',
    '١',
    '+-1',
    '.',
    '-.5',
  ];
  for (const text of garbage) {
    it(`refuses ${JSON.stringify(text)} with ERR_INVALID_INPUT naming the field`, () => {
      const e = caught(() => parseDecimal(text, 6));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe('text');
      expect(e.message).toMatch(/^text must be a decimal string/);
      expect(e.message).toContain(`; got ${JSON.stringify(text)}`);
    });
  }

  it('refuses a non-string from untyped callers', () => {
    expect(caught(() => parseDecimal(5 as unknown as string, 6)).code).toBe('ERR_INVALID_INPUT');
  });

  it('refuses invalid decimals and modes', () => {
    expect(caught(() => parseDecimal('1', 37)).details['field']).toBe('decimals');
    expect(caught(() => parseDecimal('1', 2, 'nearest' as RoundingMode)).details['field']).toBe('mode');
  });
});

describe('formatDecimal', () => {
  const cases: { units: bigint; decimals: number; trim?: boolean; expected: string }[] = [
    { units: -500_000n, decimals: 6, expected: '-0.500000' },
    { units: -500_000n, decimals: 6, trim: true, expected: '-0.5' },
    { units: 12n * 10n ** 6n, decimals: 6, expected: '12.000000' },
    { units: 12n * 10n ** 6n, decimals: 6, trim: true, expected: '12' },
    { units: 0n, decimals: 6, expected: '0.000000' },
    { units: 0n, decimals: 6, trim: true, expected: '0' },
    { units: 1n, decimals: 18, expected: '0.000000000000000001' },
    { units: -1234n, decimals: 0, expected: '-1234' },
    { units: 10n ** 36n, decimals: 36, trim: true, expected: '1' },
  ];
  for (const c of cases) {
    it(`${c.units} at ${c.decimals}${c.trim === true ? ' trimmed' : ''} → ${c.expected}`, () => {
      const options = c.trim === true ? { trimZeros: true } : undefined;
      expect(formatDecimal(c.units, c.decimals, options)).toBe(c.expected);
    });
  }

  it('refuses non-bigint units', () => {
    expect(caught(() => formatDecimal(1 as unknown as bigint, 2)).details['field']).toBe('units');
  });
});

describe('parseAmount / formatAmount', () => {
  const usdc = defineAsset('USDC', 6);
  it('parses at the asset decimals', () => {
    expect(parseAmount(usdc, '1.5')).toEqual({ asset: usdc, units: 1_500_000n });
    expect(parseAmount(usdc, '0.0000015', 'floor').units).toBe(1n);
  });
  it('names the field "amount" in errors', () => {
    expect(caught(() => parseAmount(usdc, '1e5')).message).toMatch(/^amount must be a decimal string/);
    expect(caught(() => parseAmount(usdc, '0.0000001')).details['field']).toBe('amount');
  });
  it('formats without the symbol', () => {
    expect(formatAmount(amountOf(usdc, 1_500_000n))).toBe('1.500000');
    expect(formatAmount(amountOf(usdc, 1_500_000n), { trimZeros: true })).toBe('1.5');
  });
});
