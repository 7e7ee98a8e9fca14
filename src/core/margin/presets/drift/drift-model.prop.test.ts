/**
 * Properties of the `drift` preset on random books (STYLE §3.8): IM ≥ MM ≥ 0, contributions and
 * components sum to IM; the √size premium makes requirements monotone and superlinear in size:
 * scaling a book of perpetuals and borrows by k ≥ 1 scales IM and MM by at least k; homogeneous
 * when no IMF factor applies; a larger deposit never earns a higher asset weight.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { DEFAULT_DRIFT_PARAMS, driftModel, parseDriftParams, sizeDiscountAssetWeight } from './index.js';

const market = buildMarginMarket({
  valuationMs: 1772372400000,
  prices: { BTC: 60000, SOL: 100, DOGE: 0.1, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', markPrice: 101 },
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC' },
    { id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE' },
  ],
});
const ctx = createMarginContext(market);
const withImf = parseDriftParams({
  perpMarkets: Object.fromEntries(
    Object.entries(DEFAULT_DRIFT_PARAMS.perpMarkets).map(([u, m]) => [
      u,
      { ...m, imfFactor: 0.002, unrealizedPnlImfFactor: 0.001 },
    ]),
  ),
});
const noImf = parseDriftParams({
  spotMarkets: Object.fromEntries(
    Object.entries(DEFAULT_DRIFT_PARAMS.spotMarkets).map(([a, m]) => [a, { ...m, imfFactor: 0 }]),
  ),
  defaultSpotMarket: { ...DEFAULT_DRIFT_PARAMS.defaultSpotMarket, imfFactor: 0 },
});

const size = fc.double({ min: -500, max: 500, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);
const perps = fc.array(
  fc.record({
    instrument: fc.constantFrom('SOL-PERP', 'BTC-PERP', 'DOGE-PERP'),
    size,
    entryPrice: fc.option(fc.double({ min: 0.05, max: 70000, noNaN: true }), { nil: undefined }),
  }),
  { maxLength: 5 },
);
const amount = (min: number, max: number) => fc.integer({ min, max });
const collateral = fc.record({
  USDC: amount(-100_000, 1_000_000),
  SOL: amount(-5_000, 50_000),
  BTC: amount(-20, 200),
  USDT: amount(-50_000, 50_000),
});
type Perp = { instrument: string; size: number; entryPrice?: number | undefined };
const toBook = (c: Record<string, number>, ps: Perp[]) =>
  parsePortfolio(
    {
      collateral: Object.fromEntries(Object.entries(c).map(([a, v]) => [a, String(v)])),
      positions: ps.map((x) =>
        x.entryPrice === undefined
          ? { instrument: x.instrument, size: x.size }
          : { ...x, entryPrice: x.entryPrice },
      ),
    },
    market,
  );
const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
const close = (a: number, b: number, rel = 1e-9) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe('drift properties', () => {
  it('IM ≥ MM ≥ 0; components and contributions sum to IM', () => {
    fc.assert(
      fc.property(collateral, perps, fc.constantFrom(DEFAULT_DRIFT_PARAMS, withImf), (c, ps, params) => {
        const r = driftModel.compute(toBook(c, ps), ctx, params);
        expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
        expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
        expect(close(sum(r.contributions), r.initialUsd)).toBe(true);
        expect(close(sum(r.components), r.initialUsd)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('monotone in size: scaling perpetuals and borrows by k ≥ 1 scales IM and MM by at least k', () => {
    const borrows = fc.record({ SOL: amount(-5_000, 0), BTC: amount(-20, 0), USDT: amount(-50_000, 0) });
    fc.assert(
      fc.property(borrows, perps, fc.integer({ min: 1, max: 20 }), (c, ps, k) => {
        const flat = ps.map((x) => ({ instrument: x.instrument, size: x.size }));
        const a = driftModel.compute(toBook(c, flat), ctx, withImf);
        const scaled = Object.fromEntries(Object.entries(c).map(([s, v]) => [s, v * k]));
        const b = driftModel.compute(
          toBook(
            scaled,
            flat.map((x) => ({ ...x, size: x.size * k })),
          ),
          ctx,
          withImf,
        );
        return (
          b.initialUsd >= k * a.initialUsd * (1 - 1e-12) &&
          b.maintenanceUsd >= k * a.maintenanceUsd * (1 - 1e-12)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('positively homogeneous without IMF factors or P&L: m(k·P) = k·m(P)', () => {
    fc.assert(
      fc.property(collateral, perps, fc.integer({ min: 2, max: 10 }), (c, ps, k) => {
        const flat = ps.map((x) => ({ instrument: x.instrument, size: x.size }));
        const a = driftModel.compute(toBook(c, flat), ctx, noImf);
        const scaled = Object.fromEntries(Object.entries(c).map(([s, v]) => [s, v * k]));
        const b = driftModel.compute(
          toBook(
            scaled,
            flat.map((x) => ({ ...x, size: x.size * k })),
          ),
          ctx,
          noImf,
        );
        return (
          close(b.initialUsd, k * a.initialUsd) &&
          close(b.maintenanceUsd, k * a.maintenanceUsd) &&
          close(b.equityUsd, k * a.equityUsd)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('a larger deposit never earns a higher asset weight', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, imf) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return sizeDiscountAssetWeight(hi, imf, 0.8) <= sizeDiscountAssetWeight(lo, imf, 0.8);
        },
      ),
      { numRuns: 300 },
    );
  });
});
