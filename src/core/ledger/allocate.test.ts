import { describe, it, expect } from 'vitest';
import { XmarginError } from '../errors.js';
import { allocate, allocateAmount } from './allocate.js';
import { amountOf } from './amount.js';
import { defineAsset } from './asset.js';

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

describe('allocate: worked cases', () => {
  const cases: { name: string; total: bigint; ratios: bigint[]; expected: bigint[] }[] = [
    {
      // Shares 1000·3/7 = 428 + 4/7 (twice) and 1000/7 = 142 + 6/7. Bases sum to 998; the two
      // leftover units go to remainder 6/7 (index 2), then 4/7 (tie of 0 and 1 → index 0).
      name: 'doc example 1000 by 3:3:1',
      total: 1000n,
      ratios: [3n, 3n, 1n],
      expected: [428n + 1n, 428n, 142n + 1n],
    },
    {
      // Shares 33 + 1/3 each; one leftover unit; all remainders tie → lowest index.
      name: '100 by 1:1:1, tie to the lowest index',
      total: 100n,
      ratios: [1n, 1n, 1n],
      expected: [34n, 33n, 33n],
    },
    {
      // Shares 7/3 = 2 + 1/3 and 14/3 = 4 + 2/3; the leftover unit goes to the larger remainder
      // (index 1), not to the first index as a naive "leftover to the front" split would.
      name: '7 by 1:2, largest remainder wins',
      total: 7n,
      ratios: [1n, 2n],
      expected: [2n, 5n],
    },
    {
      // Negative totals split symmetrically: allocate(−T, r) = −allocate(T, r).
      name: '−100 by 1:1:1',
      total: -100n,
      ratios: [1n, 1n, 1n],
      expected: [-34n, -33n, -33n],
    },
    {
      name: 'exactly proportional 10 by 1:2:3:4',
      total: 10n,
      ratios: [1n, 2n, 3n, 4n],
      expected: [1n, 2n, 3n, 4n],
    },
    { name: 'zero ratios get zero', total: 101n, ratios: [0n, 1n, 0n, 1n], expected: [0n, 51n, 0n, 50n] },
    { name: 'a single positive ratio takes all', total: 5n, ratios: [1n, 0n, 0n], expected: [5n, 0n, 0n] },
    { name: 'one unit by 1:1', total: 1n, ratios: [1n, 1n], expected: [1n, 0n] },
    { name: 'zero total', total: 0n, ratios: [1n, 2n], expected: [0n, 0n] },
    {
      // 70/30 in basis points of a 1 USDC penalty (10^6 units): 700_000 and 300_000, exact.
      name: 'basis-point ratios',
      total: 10n ** 6n,
      ratios: [7000n, 3000n],
      expected: [(10n ** 6n * 7000n) / 10_000n, (10n ** 6n * 3000n) / 10_000n],
    },
    {
      // Beyond 2^53: 2^70 + 1 by 1:1 → 2^69 + 1 and 2^69 (leftover to index 0 on the tie).
      name: 'large total',
      total: 2n ** 70n + 1n,
      ratios: [1n, 1n],
      expected: [2n ** 69n + 1n, 2n ** 69n],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parts = allocate(c.total, c.ratios);
      expect(parts).toEqual(c.expected);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(c.total);
    });
  }
});

describe('allocate: refused input', () => {
  it('empty ratios', () => {
    const e = caught(() => allocate(10n, []));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.details['field']).toBe('ratios');
  });
  it('all-zero ratios', () => {
    const e = caught(() => allocate(10n, [0n, 0n]));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.message).toBe('ratios must contain at least one positive ratio; got ["0","0"]');
  });
  it('a negative ratio, naming its index', () => {
    const e = caught(() => allocate(10n, [1n, -1n]));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.message).toBe('ratios[1] must be a non-negative bigint; got -1');
  });
  it('a non-bigint ratio or total from untyped callers', () => {
    expect(caught(() => allocate(10n, [1 as unknown as bigint])).details['field']).toBe('ratios[0]');
    expect(caught(() => allocate(10 as unknown as bigint, [1n])).details['field']).toBe('total');
  });
});

describe('allocateAmount', () => {
  it('keeps the asset and conserves the units', () => {
    const usdc = defineAsset('USDC', 6);
    const parts = allocateAmount(amountOf(usdc, 1000n), [3n, 3n, 1n]);
    expect(parts.map((p) => p.units)).toEqual(allocate(1000n, [3n, 3n, 1n]));
    for (const p of parts) expect(p.asset).toBe(usdc);
  });
});
