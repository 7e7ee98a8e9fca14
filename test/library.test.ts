/** The package's public entry point exposes the core API under one import (`xmargin`). */
import { describe, expect, it } from 'vitest';
import * as xmargin from '../src/index.js';

describe('library entry point', () => {
  it('exports the foundation API', () => {
    for (const name of [
      'priceBlack76',
      'computeBlack76Greeks',
      'impliedVolBlack76',
      'priceBlack76Batch',
      'normCdf',
      'findRoot',
      'parseDecimal',
      'formatDecimal',
      'allocate',
      'toUnits',
      'resolveInstrument',
      'createMarketSnapshot',
      'aggregateOracle',
      'updateStablePrice',
      'XmarginError',
      'ERROR_CATALOGUE',
    ]) {
      expect(typeof (xmargin as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('works end to end through the entry point: price, invert, book exactly', () => {
    const price = xmargin.priceBlack76({
      type: 'put',
      forward: 19,
      strike: 19,
      tYears: 0.75,
      vol: 0.28,
      rate: 0.1,
    });
    expect(Math.abs(price - 1.7011)).toBeLessThan(1e-4); // Haug p. 3
    const vol = xmargin.impliedVolBlack76({
      type: 'put',
      price,
      forward: 19,
      strike: 19,
      tYears: 0.75,
      rate: 0.1,
    });
    expect(vol).toBeCloseTo(0.28, 12);
    // A requirement in USD becomes exact USDC base units, rounded up (against the account).
    expect(xmargin.requirementToUnits(price, 6)).toBe(1_701_051n);
  });
});
