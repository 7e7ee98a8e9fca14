/**
 * The position builder's book in the URL: a round trip and tolerant decoding (the hash route
 * itself, web/src/route.ts, needs a window: the browser test opens a shared link).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeBuilderQuery,
  encodeBuilderQuery,
  EMPTY_BUILDER,
  toBuilderHash,
} from '../../web/src/builder-state.js';

describe('builder state in the URL', () => {
  const book = {
    base: 'alice/main',
    model: 'portfolio',
    legs: [
      { instrument: 'BTC-PERP', size: 1.5 },
      { instrument: 'BTC-30D-21000-C', size: -2 },
    ],
    collateral: [{ asset: 'USDC', amount: '10000.25' }],
  };

  it('round-trips through the hash', () => {
    const hash = toBuilderHash(book);
    expect(hash).toBe(
      '#/builder?base=alice%2Fmain&model=portfolio&leg=BTC-PERP%3A1.5&leg=BTC-30D-21000-C%3A-2&cash=USDC%3A10000.25',
    );
    expect(decodeBuilderQuery(hash.slice('#/builder'.length))).toEqual(book);
    expect(toBuilderHash(EMPTY_BUILDER)).toBe('#/builder');
  });

  it('drops malformed entries instead of failing: a link typed by hand still opens', () => {
    const s = decodeBuilderQuery(
      '?base=nobody&model=Bad!&leg=BTC-PERP:abc&leg=:1&leg=ETH-PERP:0&leg=ETH-PERP:3&cash=USDC:1e9',
    );
    expect(s).toEqual({
      base: null,
      model: null,
      legs: [{ instrument: 'ETH-PERP', size: 3 }],
      collateral: [],
    });
    expect(encodeBuilderQuery(decodeBuilderQuery(''))).toBe('');
  });
});
