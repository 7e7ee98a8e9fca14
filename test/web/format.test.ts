/**
 * The dashboard's number formatting (web/src/format.ts). Expected strings are written out by hand:
 * en-US grouping, a leading ASCII minus, an em dash for anything missing or non-finite.
 */
import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatDecimalString,
  formatHealth,
  formatNumber,
  formatPct,
  formatPrice,
  formatShock,
  formatSize,
  formatTime,
  formatUsd,
  formatUsdCompact,
} from '../../web/src/format.js';

describe('formatUsd', () => {
  it.each<[string, number | null | undefined, boolean, string]>([
    ['grouping and cents', 1234567.891, false, '$1,234,567.89'],
    ['negative: minus before the dollar', -1234.5, false, '-$1,234.50'],
    ['zero', 0, false, '$0.00'],
    ['small', 0.004, false, '$0.00'],
    ['negative that rounds to zero has no sign', -0.004, false, '$0.00'],
    ['half a cent rounds away from zero', 2.675 + 1e-9, false, '$2.68'],
    ['signed positive', 1200, true, '+$1,200.00'],
    ['signed negative', -300, true, '-$300.00'],
    ['signed zero has no sign', 0, true, '$0.00'],
    ['billions', 12_345_678_901.2, false, '$12,345,678,901.20'],
    ['null', null, false, MISSING],
    ['undefined', undefined, false, MISSING],
    ['NaN', NaN, false, MISSING],
    ['Infinity', Infinity, false, MISSING],
  ])('%s', (_name, x, signed, expected) => {
    expect(formatUsd(x, signed)).toBe(expected);
  });
});

describe('formatUsdCompact', () => {
  it.each<[number | null, string]>([
    [1234567, '$1.2M'],
    [-950, '-$950'],
    [0, '$0'],
    [25_000, '$25K'],
    [3_500_000_000, '$3.5B'],
    [null, '—'],
  ])('%s → %s', (x, expected) => {
    expect(formatUsdCompact(x)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each<[number, number, boolean, string]>([
    [1234.5, 2, false, '1,234.50'],
    [1234.5, 0, false, '1,235'],
    [-0.001, 2, false, '0.00'],
    [42, 0, true, '+42'],
    [-42, 1, true, '-42.0'],
  ])('(%s, %s digits, signed %s) → %s', (x, digits, signed, expected) => {
    expect(formatNumber(x, digits, signed)).toBe(expected);
  });
});

describe('formatPct', () => {
  it.each<[number | null, number, boolean, string]>([
    [0.4123, 1, false, '41.2%'],
    [-0.05, 1, false, '-5.0%'],
    [1, 0, false, '100%'],
    [0.4123, 1, true, '+41.2%'],
    [0, 1, true, '0.0%'],
    [null, 1, false, '—'],
  ])('(%s, %s, %s) → %s', (x, digits, signed, expected) => {
    expect(formatPct(x, digits, signed)).toBe(expected);
  });
});

describe('formatShock', () => {
  it.each<[number, string]>([
    [-0.2, '-20%'],
    [0.15, '+15%'],
    [0, '0%'],
    [0.025, '+2.5%'],
    [-0.3, '-30%'],
  ])('%s → %s', (x, expected) => {
    expect(formatShock(x)).toBe(expected);
  });
});

describe('formatHealth', () => {
  it('two decimals; null (MM = 0) is ∞; missing is a dash', () => {
    expect(formatHealth(1.2345)).toBe('1.23');
    expect(formatHealth(0.987)).toBe('0.99');
    expect(formatHealth(12345.6)).toBe('12,345.60');
    expect(formatHealth(null)).toBe('∞');
    expect(formatHealth(undefined)).toBe('—');
  });
});

describe('formatPrice', () => {
  it.each<[number, string]>([
    [65000.1, '65,000.10'],
    [1, '1.00'],
    [0.0123456, '0.01235'],
    [0, '0.00'],
  ])('%s → %s', (x, expected) => {
    expect(formatPrice(x)).toBe(expected);
  });
});

describe('formatSize', () => {
  it.each<[number, boolean, string]>([
    [-1.5, false, '-1.5'],
    [12000, false, '12,000'],
    [0.123456789, false, '0.12345679'],
    [2, true, '+2'],
    [0, true, '0'],
  ])('%s (signed %s) → %s', (x, signed, expected) => {
    expect(formatSize(x, signed)).toBe(expected);
  });
});

describe('formatDecimalString', () => {
  it.each<[string, string]>([
    ['1234567.123456789', '1,234,567.123456789'],
    ['-0.5', '-0.5'],
    ['999', '999'],
    ['1000', '1,000'],
    ['-12345678901234567890.00000001', '-12,345,678,901,234,567,890.00000001'],
    ['not a number', 'not a number'],
  ])('%s → %s', (x, expected) => {
    expect(formatDecimalString(x)).toBe(expected);
  });
});

describe('formatTime', () => {
  it('UTC to the second', () => {
    expect(formatTime(Date.UTC(2026, 2, 1, 12, 0, 0))).toBe('2026-03-01 12:00:00');
    expect(formatTime(0)).toBe('1970-01-01 00:00:00');
    expect(formatTime(null)).toBe('—');
  });
});
