import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { defineAsset } from './asset.js';
import type { Asset } from './asset.js';
import { AssetRegistry } from './asset-registry.js';

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

describe('AssetRegistry', () => {
  const usdc = defineAsset('USDC', 6);
  const btc = defineAsset('BTC', 8);
  const registry = new AssetRegistry([usdc, btc]);

  it('looks assets up by exact symbol', () => {
    expect(registry.getAsset('BTC')).toEqual(btc);
    expect(registry.hasAsset('USDC')).toBe(true);
    expect(registry.findAsset('usdc')).toBeUndefined();
    expect(registry.symbols).toEqual(['USDC', 'BTC']);
    expect(registry.size).toBe(2);
  });

  it('throws ERR_UNKNOWN_ASSET naming the symbol', () => {
    const e = caught(() => registry.getAsset('DOGE'));
    expect(e.code).toBe('ERR_UNKNOWN_ASSET');
    expect(e.message).toBe('unknown asset "DOGE"');
    expect(e.details['symbol']).toBe('DOGE');
    expect(e.details['known']).toEqual(['USDC', 'BTC']);
  });

  it('refuses a repeated symbol, also when it differs only in case', () => {
    expect(caught(() => new AssetRegistry([usdc, usdc])).code).toBe('ERR_INVALID_INPUT');
    const e = caught(() => new AssetRegistry([usdc, { symbol: 'usdc', decimals: 6 }]));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.details['field']).toBe('assets');
  });

  it('re-validates plain objects', () => {
    const bad: Asset = { symbol: 'X', decimals: 40 };
    expect(caught(() => new AssetRegistry([bad])).code).toBe('ERR_INVALID_INPUT');
  });

  it('is immutable: withAsset returns a new registry and leaves this one unchanged', () => {
    const eth = defineAsset('ETH', 18);
    const bigger = registry.withAsset(eth);
    expect(bigger.getAsset('ETH')).toEqual(eth);
    expect(registry.hasAsset('ETH')).toBe(false);
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.symbols)).toBe(true);
  });
});
