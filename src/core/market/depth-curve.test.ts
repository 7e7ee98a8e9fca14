import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { createDepthCurve, type BookDepthCurveInput } from './depth-curve.js';
import { computeExecutionCost } from './execution-cost.js';

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

// Mid = (99 + 101)/2 = 100. Depth 8 on each side.
const BOOK: BookDepthCurveInput = {
  kind: 'book',
  asset: 'BTC',
  bids: [
    { price: 99, qty: 1 },
    { price: 98, qty: 2 },
    { price: 95, qty: 5 },
  ],
  asks: [
    { price: 101, qty: 1 },
    { price: 102, qty: 2 },
    { price: 105, qty: 5 },
  ],
};

describe('computeExecutionCost on an order book', () => {
  const book = createDepthCurve(BOOK);
  const cases: Record<string, { qty: number; avg: number; cost: number; side: string }> = {
    'buy inside the first level': { qty: 0.5, avg: 101, cost: 0.5 * (101 - 100), side: 'buy' },
    'buy across two levels': { qty: 2, avg: (101 + 102) / 2, cost: 1 * 1 + 1 * 2, side: 'buy' },
    'sell across two levels': { qty: -3, avg: (99 + 2 * 98) / 3, cost: 1 * 1 + 2 * 2, side: 'sell' },
    'buy exactly the whole side': {
      qty: 8,
      avg: (101 + 2 * 102 + 5 * 105) / 8,
      cost: 1 * 1 + 2 * 2 + 5 * 5,
      side: 'buy',
    },
    'sell exactly the whole side': {
      qty: -8,
      avg: (99 + 2 * 98 + 5 * 95) / 8,
      cost: 1 * 1 + 2 * 2 + 5 * 5,
      side: 'sell',
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const r = computeExecutionCost(book, c.qty);
      expect(r.side).toBe(c.side);
      expect(r.qty).toBe(Math.abs(c.qty));
      expect(r.avgPrice).toBeCloseTo(c.avg, 12);
      expect(r.costUsd).toBeCloseTo(c.cost, 12);
      expect(r.notionalUsd).toBeCloseTo(Math.abs(c.qty) * c.avg, 10);
      expect(r.referencePrice).toBe(100);
      expect(r.extrapolatedQty).toBe(0);
    });
  }

  it('q = 0 costs nothing', () => {
    expect(computeExecutionCost(book, 0)).toMatchObject({
      side: 'none',
      qty: 0,
      costUsd: 0,
      avgPrice: 100,
      notionalUsd: 0,
    });
  });

  it("beyond depth with the default 'throw' rule fails closed", () => {
    const e = caught(() => computeExecutionCost(book, 9));
    expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    expect(e.details).toMatchObject({ asset: 'BTC', side: 'buy', qty: 9, depth: 8 });
  });

  it('beyond depth with a penalty fills the excess at the last level moved against the taker', () => {
    const pen = createDepthCurve({ ...BOOK, beyondDepth: { kind: 'penalty', penalty: 0.1 } });
    // buy 10: book cost 30, then 2 at 105·1.1 = 115.5, each 15.5 above the mid
    const buy = computeExecutionCost(pen, 10);
    expect(buy.costUsd).toBeCloseTo(30 + 2 * (105 * 1.1 - 100), 10);
    expect(buy.extrapolatedQty).toBeCloseTo(2, 12);
    // sell 10 with penalty 1: the 2 beyond depth fetch nothing, each costs the full mid 100
    const wipe = createDepthCurve({ ...BOOK, beyondDepth: { kind: 'penalty', penalty: 1 } });
    expect(computeExecutionCost(wipe, -10).costUsd).toBeCloseTo(30 + 2 * 100, 10);
  });

  it('a reference above the best ask floors the cost at 0 (never a credit)', () => {
    const c = createDepthCurve({ ...BOOK, referencePrice: 101.5 });
    // raw: 0.5·(101 − 101.5) = −0.25 → 0
    expect(computeExecutionCost(c, 0.5).costUsd).toBe(0);
    // 2 units: 1·(101 − 101.5) + 1·(102 − 101.5) = 0
    expect(computeExecutionCost(c, 2).costUsd).toBeCloseTo(0, 12);
    expect(computeExecutionCost(c, 3).costUsd).toBeCloseTo(-0.5 + 0.5 + 0.5, 12);
  });

  it('rejects a non-finite quantity', () => {
    expect(caught(() => computeExecutionCost(book, Number.POSITIVE_INFINITY)).details['field']).toBe('qty');
  });
});

describe('createDepthCurve validation', () => {
  const rules: Record<string, [BookDepthCurveInput, string]> = {
    'crossed book': [{ ...BOOK, bids: [{ price: 101, qty: 1 }] }, 'depthCurve.bids[0].price'],
    'asks not increasing': [
      {
        ...BOOK,
        asks: [
          { price: 101, qty: 1 },
          { price: 101, qty: 1 },
        ],
      },
      'depthCurve.asks[1].price',
    ],
    'bids not decreasing': [
      {
        ...BOOK,
        bids: [
          { price: 99, qty: 1 },
          { price: 99.5, qty: 1 },
        ],
      },
      'depthCurve.bids[1].price',
    ],
    'zero quantity': [{ ...BOOK, asks: [{ price: 101, qty: 0 }] }, 'depthCurve.asks[0].qty'],
    'NaN price': [{ ...BOOK, bids: [{ price: Number.NaN, qty: 1 }] }, 'depthCurve.bids[0].price'],
    'empty side': [{ ...BOOK, asks: [] }, 'depthCurve.asks'],
    'penalty above 1': [
      { ...BOOK, beyondDepth: { kind: 'penalty', penalty: 1.5 } },
      'depthCurve.beyondDepth.penalty',
    ],
    'reference price 0': [{ ...BOOK, referencePrice: 0 }, 'depthCurve.referencePrice'],
    'empty asset': [{ ...BOOK, asset: '' }, 'depthCurve.asset'],
  };
  for (const [name, [input, field]] of Object.entries(rules)) {
    it(`rejects ${name}, naming ${field}`, () => {
      const e = caught(() => createDepthCurve(input));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe(field);
    });
  }

  it('rejects bad square-root parameters', () => {
    const ok = {
      kind: 'sqrt',
      asset: 'ETH',
      referencePrice: 100,
      halfSpread: 0.001,
      impactCoefficient: 0.5,
      dailyVolume: 1000,
    } as const;
    expect(caught(() => createDepthCurve({ ...ok, halfSpread: 1 })).details['field']).toBe(
      'depthCurve.halfSpread',
    );
    expect(caught(() => createDepthCurve({ ...ok, impactCoefficient: -1 })).details['field']).toBe(
      'depthCurve.impactCoefficient',
    );
    expect(caught(() => createDepthCurve({ ...ok, dailyVolume: 0 })).details['field']).toBe(
      'depthCurve.dailyVolume',
    );
  });

  it('is immutable', () => {
    const c = createDepthCurve(BOOK);
    expect(Object.isFrozen(c)).toBe(true);
    expect(c.kind === 'book' && Object.isFrozen(c.asks[0])).toBe(true);
  });
});

describe('computeExecutionCost with square-root impact', () => {
  const c = createDepthCurve({
    kind: 'sqrt',
    asset: 'ETH',
    referencePrice: 100,
    halfSpread: 0.001,
    impactCoefficient: 0.5,
    dailyVolume: 1000,
  });

  it('buy: cost = q·P·(h + k·sqrt(q/V))', () => {
    // f = 0.001 + 0.5·√(10/1000) = 0.051
    const r = computeExecutionCost(c, 10);
    expect(r.costUsd).toBeCloseTo(10 * 100 * 0.051, 10);
    expect(r.avgPrice).toBeCloseTo(100 * 1.051, 10);
  });

  it('sell: the same cost, average price below the reference', () => {
    const r = computeExecutionCost(c, -10);
    expect(r.costUsd).toBeCloseTo(10 * 100 * 0.051, 10);
    expect(r.avgPrice).toBeCloseTo(100 * (1 - 0.051), 10);
  });

  it('a sale cannot fetch a negative price: cost capped at the notional', () => {
    // f = 0.001 + 0.5·√(4e6/1000) ≈ 31.6 > 1 → cost = q·P, avg 0
    const r = computeExecutionCost(c, -4e6);
    expect(r.costUsd).toBe(4e6 * 100);
    expect(r.avgPrice).toBe(0);
  });
});
