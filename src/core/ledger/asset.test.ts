import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { defineAsset, isSameAsset, MAX_DECIMALS, requireSameAsset } from './asset.js';

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

describe('defineAsset', () => {
  const valid: { name: string; symbol: string; decimals: number }[] = [
    { name: 'USDC, 6 decimals', symbol: 'USDC', decimals: 6 },
    { name: 'ETH, 18 decimals', symbol: 'ETH', decimals: 18 },
    { name: 'mixed case', symbol: 'stETH', decimals: 18 },
    { name: 'dot suffix', symbol: 'USDC.e', decimals: 6 },
    { name: 'leading digit', symbol: '1INCH', decimals: 18 },
    { name: 'dash and underscore', symbol: 'BTC-PERP_X', decimals: 0 },
    { name: 'upper decimals bound', symbol: 'X', decimals: MAX_DECIMALS },
    { name: '32 characters', symbol: 'A'.repeat(32), decimals: 8 },
  ];
  for (const c of valid) {
    it(`accepts ${c.name}`, () => {
      const asset = defineAsset(c.symbol, c.decimals);
      expect(asset).toEqual({ symbol: c.symbol, decimals: c.decimals });
      expect(Object.isFrozen(asset)).toBe(true);
    });
  }

  const badSymbols = ['', ' USDC', 'USDC ', 'US DC', '.USDC', '-X', 'A'.repeat(33), 'U$DC', 'ÜSD'];
  for (const symbol of badSymbols) {
    it(`refuses symbol ${JSON.stringify(symbol)}`, () => {
      const e = caught(() => defineAsset(symbol, 6));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe('symbol');
      expect(e.message).toContain(`; got ${JSON.stringify(symbol)}`);
    });
  }

  const badDecimals = [-1, 37, 1.5, Number.NaN, Number.POSITIVE_INFINITY];
  for (const decimals of badDecimals) {
    it(`refuses decimals ${decimals}`, () => {
      const e = caught(() => defineAsset('USDC', decimals));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.message).toBe(`decimals must be an integer in [0, 36]; got ${decimals}`);
    });
  }
});

describe('isSameAsset / requireSameAsset', () => {
  const usdc = defineAsset('USDC', 6);
  it('equal symbol and decimals are the same asset, even as distinct objects', () => {
    expect(isSameAsset(usdc, { symbol: 'USDC', decimals: 6 })).toBe(true);
  });
  it('same symbol with other decimals is a different asset', () => {
    expect(isSameAsset(usdc, defineAsset('USDC', 18))).toBe(false);
  });
  it('mismatch names both symbols and decimals', () => {
    const e = caught(() => requireSameAsset(usdc, defineAsset('BTC', 8), 'add'));
    expect(e.code).toBe('ERR_ASSET_MISMATCH');
    expect(e.details).toEqual({
      operation: 'add',
      leftSymbol: 'USDC',
      leftDecimals: 6,
      rightSymbol: 'BTC',
      rightDecimals: 8,
    });
  });
});
