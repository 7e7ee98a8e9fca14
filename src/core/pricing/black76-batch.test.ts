/** The batched kernels must equal the scalar API row by row (differential test). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBlack76GreeksBatch, impliedVolBlack76Batch, priceBlack76Batch } from './black76-batch.js';
import { computeBlack76Greeks, priceBlack76 } from './black76.js';
import { impliedVolBlack76 } from './implied-vol.js';

const row = fc.record({
  isCall: fc.boolean(),
  forward: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
  moneyness: fc.double({ min: -2, max: 2, noNaN: true }),
  tYears: fc.oneof(fc.constant(0), fc.double({ min: -0.1, max: 5, noNaN: true })),
  vol: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  rate: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
});

function toColumns(
  rows: { isCall: boolean; forward: number; moneyness: number; tYears: number; vol: number; rate: number }[],
) {
  const n = rows.length;
  const cols = {
    isCall: new Uint8Array(n),
    forward: new Float64Array(n),
    strike: new Float64Array(n),
    tYears: new Float64Array(n),
    vol: new Float64Array(n),
    rate: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    cols.isCall[i] = r.isCall ? 1 : 0;
    cols.forward[i] = r.forward;
    cols.strike[i] = r.forward * Math.exp(-r.moneyness);
    cols.tYears[i] = r.tYears;
    cols.vol[i] = r.vol;
    cols.rate[i] = r.rate;
  });
  return cols;
}

const scalarInput = (c: ReturnType<typeof toColumns>, i: number) => ({
  type: c.isCall[i] === 1 ? ('call' as const) : ('put' as const),
  forward: c.forward[i]!,
  strike: c.strike[i]!,
  tYears: c.tYears[i]!,
  vol: c.vol[i]!,
  rate: c.rate[i]!,
});

describe('batched Black-76 equals the scalar API', () => {
  it('prices and greeks, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), (rows) => {
        const c = toColumns(rows);
        const n = rows.length;
        const price = new Float64Array(n);
        priceBlack76Batch(c, price);
        const out = {
          price: new Float64Array(n),
          delta: new Float64Array(n),
          gamma: new Float64Array(n),
          vega: new Float64Array(n),
          theta: new Float64Array(n),
          rho: new Float64Array(n),
        };
        computeBlack76GreeksBatch(c, out);
        for (let i = 0; i < n; i++) {
          const s = scalarInput(c, i);
          expect(price[i]).toBe(priceBlack76(s));
          const g = computeBlack76Greeks(s);
          expect([out.price[i], out.delta[i], out.gamma[i], out.vega[i], out.theta[i], out.rho[i]]).toEqual([
            g.price,
            g.delta,
            g.gamma,
            g.vega,
            g.theta,
            g.rho,
          ]);
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('implied vols, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const c = toColumns(
          rows.map((r) => ({ ...r, tYears: Math.max(r.tYears, 0.01), vol: Math.max(r.vol, 0.05) })),
        );
        const n = rows.length;
        const price = new Float64Array(n);
        priceBlack76Batch(c, price);
        const iv = new Float64Array(n);
        impliedVolBlack76Batch(
          { isCall: c.isCall, price, forward: c.forward, strike: c.strike, tYears: c.tYears, rate: c.rate },
          iv,
        );
        for (let i = 0; i < n; i++) {
          const s = scalarInput(c, i);
          expect(iv[i]).toBe(impliedVolBlack76({ ...s, price: price[i]! }));
        }
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('a bad row is named by its index', () => {
    const c = toColumns([
      { isCall: true, forward: 100, moneyness: 0, tYears: 1, vol: 0.5, rate: 0 },
      { isCall: false, forward: 100, moneyness: 0, tYears: 1, vol: 0.5, rate: 0 },
    ]);
    c.strike[1] = -5;
    expect(() => priceBlack76Batch(c, new Float64Array(2))).toThrow(
      'strike[1] must be finite and > 0; got -5',
    );
  });

  it('an out-of-bounds price names its row', () => {
    const c = toColumns([{ isCall: true, forward: 100, moneyness: 0, tYears: 1, vol: 0.5, rate: 0 }]);
    try {
      impliedVolBlack76Batch({ ...c, price: new Float64Array([150]) }, new Float64Array(1));
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; message: string; details: { row: number } };
      expect(err.code).toBe('ERR_PRICE_OUT_OF_BOUNDS');
      expect(err.details.row).toBe(0);
      expect(err.message).toMatch(/^row 0: /);
    }
  });

  it('mismatched column lengths are an invariant error', () => {
    const c = toColumns([{ isCall: true, forward: 100, moneyness: 0, tYears: 1, vol: 0.5, rate: 0 }]);
    expect(() => priceBlack76Batch(c, new Float64Array(2))).toThrow(/column length mismatch/);
  });
});
